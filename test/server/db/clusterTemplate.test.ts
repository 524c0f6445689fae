/**
 * A first start on an empty data directory unpacks the initialised cluster the build made instead of
 * running initdb (which peaks near 700 MB): the cluster is a working database, migrations run on it,
 * data survives a restart, and a template that breaks half-way leaves nothing PGlite could take for a
 * database. The memory figure itself is in the bench (first-start peak RSS), not here.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unpackClusterTemplate, writeClusterTemplate } from '../../../server/db/clusterTemplate.js';
import { migrate } from '../../../server/db/migrate.js';
import { openPglite } from '../../../server/db/pgliteDb.js';
import type { ScriptDb } from '../../../server/db/ScriptDb.js';
import { tarGz } from '../builds/support.js';

/** initdb gives every cluster a random identifier: two databases with the same one came from one template. */
async function systemIdentifier(db: ScriptDb): Promise<string> {
  const r = await db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
  return r.rows[0]!.id;
}

describe('first start from the initialised cluster', () => {
  let work: string;
  let template: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'finch-template-'));
    template = path.join(work, 'cluster.tar.gz');
    // What `npm run build` does, into this test's own folder.
    await writeClusterTemplate(template);
  }, 120_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('an empty data dir becomes a working database: migrations run, data survives a restart', { timeout: 60_000 }, async () => {
    const dir = path.join(work, 'a', 'db');
    const db = await openPglite(dir, { template });
    let id: string;
    try {
      const applied = await migrate(db);
      expect(applied.applied.length).toBeGreaterThan(0);
      expect(applied.skipped).toEqual([]);
      await db.query("INSERT INTO products (name) VALUES ('kept')");
      id = await systemIdentifier(db);
    } finally {
      await db.close();
    }
    expect(existsSync(path.join(dir, 'postmaster.pid'))).toBe(false);
    expect(existsSync(`${dir}.unpacking`)).toBe(false);

    // Restart: the directory is not empty any more, so nothing is unpacked over it.
    const again = await openPglite(dir, { template });
    try {
      expect((await migrate(again)).applied).toEqual([]);
      expect((await again.query('SELECT name FROM products')).rows).toEqual([{ name: 'kept' }]);
      expect(await systemIdentifier(again)).toBe(id);
    } finally {
      await again.close();
    }

    // A second fresh directory is the same cluster: it was unpacked, not made by initdb.
    const other = await openPglite(path.join(work, 'b', 'db'), { template });
    try {
      expect(await systemIdentifier(other)).toBe(id);
      expect((await other.query("SELECT to_regclass('products') AS t")).rows).toEqual([{ t: null }]);
    } finally {
      await other.close();
    }
  });

  test('a template that breaks half-way leaves no partial cluster and no lock', { timeout: 60_000 }, async () => {
    const whole = await readFile(template);
    const broken = path.join(work, 'broken.tar.gz');
    await writeFile(broken, whole.subarray(0, Math.floor(whole.length / 2)));
    const dir = path.join(work, 'c', 'db');
    await expect(openPglite(dir, { template: broken })).rejects.toThrow(/Failed to unpack the initialised database/);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(`${dir}.unpacking`)).toBe(false);
    const db = await openPglite(dir, { template });
    await db.close();
  });
});

describe('unpacking an archive', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'finch-unpack-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('never writes outside the cluster, and drops the dumped postmaster.pid', async () => {
    const archive = path.join(work, 't.tar.gz');
    await writeFile(archive, await tarGz([
      { name: '/base', type: 'directory' },
      { name: '/base/1', content: 'kept' },
      { name: '/PG_VERSION', content: '17\n' },
      { name: '/postmaster.pid', content: '-42\n' },
      { name: '../escaped', content: 'no' },
      { name: 'base/../../escaped-too', content: 'no' },
    ]));
    const dir = path.join(work, 'cluster', 'db');
    await unpackClusterTemplate(archive, dir);
    expect(await readFile(path.join(dir, 'base', '1'), 'utf8')).toBe('kept');
    expect(await readFile(path.join(dir, 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(existsSync(path.join(dir, 'postmaster.pid'))).toBe(false);
    expect(existsSync(path.join(work, 'cluster', 'escaped'))).toBe(false);
    expect(existsSync(path.join(work, 'escaped'))).toBe(false);
    expect(existsSync(path.join(work, 'escaped-too'))).toBe(false);
  });
});
