/**
 * One process per embedded data directory. Two processes on one PGlite directory each keep their own
 * copy of the database, so the second one's writes are never seen by the first and are lost on its
 * next write. A second opener, in this process or another, is refused with `data-dir-locked` naming
 * the holder; closing releases the lock; a holder killed with SIGKILL does not lock it for good.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { isFinchError } from '../../../core/FinchError.js';
import { lockDataDir, lockPaths, readLockHolder, type DataDirLock } from '../../../server/db/dataDirLock.js';
import { openDb } from '../../../server/db/openDb.js';
import { runTs, startTs, type Running } from '../cli/runTs.js';
import { createLocation, type TestLocation } from '../harness.js';

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; holder: unknown }> {
  const err: unknown = await p.then(() => null, (e: unknown) => e);
  if (!isFinchError(err)) throw new Error(`expected a FinchError, got ${String(err)}`);
  return { code: err.code, message: err.message, holder: err.details['holder'] };
}

describe('the embedded data directory lock', () => {
  const dirs: string[] = [];
  const locks: DataDirLock[] = [];
  const children: Running[] = [];
  const newDir = async (): Promise<string> => {
    const d = await mkdtemp(path.join(tmpdir(), 'finch-lock-'));
    dirs.push(d);
    return path.join(d, 'db');
  };
  afterEach(async () => {
    for (const c of children.splice(0)) await c.kill();
    for (const l of locks.splice(0)) await l.release();
  });
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  test('a second taker in the same process is refused, naming the holder; release frees it', async () => {
    const dir = await newDir();
    const first = await lockDataDir(dir, { command: 'finch serve' });
    locks.push(first);
    expect(readLockHolder(dir)).toEqual(first.holder);
    const r = await refusal(lockDataDir(dir));
    expect(r.code).toBe('data-dir-locked');
    expect(r.holder).toEqual(first.holder);
    expect(r.message).toContain(`pid ${process.pid}`);
    expect(r.message).toContain('"finch serve"');
    expect(r.message).toContain(first.holder.since);
    await first.release();
    locks.pop();
    expect(existsSync(lockPaths(dir).lock)).toBe(false);
    expect(readLockHolder(dir)).toBeNull();
    locks.push(await lockDataDir(dir));
  });

  test('another process is refused while this one holds it, and takes it once released', async () => {
    const dir = await newDir();
    const mine = await lockDataDir(dir, { command: 'finch serve' });
    const refused = await runTs('test/server/db/lockFromChild.ts', [dir, 'try']);
    expect(refused.code, refused.stderr).toBe(0);
    const answer = JSON.parse(refused.stdout) as { code: string; holder: { pid: number; command: string }; message: string };
    expect(answer.code).toBe('data-dir-locked');
    expect(answer.holder).toMatchObject({ pid: process.pid, command: 'finch serve' });
    await mine.release();
    const taken = await runTs('test/server/db/lockFromChild.ts', [dir, 'try']);
    expect(JSON.parse(taken.stdout)).toEqual({ ok: true });
  });

  test('a holder in another process is named to this one', async () => {
    const dir = await newDir();
    const child = await startTs('test/server/db/lockFromChild.ts', [dir, 'hold'], /held \d+/);
    children.push(child);
    const r = await refusal(lockDataDir(dir));
    expect(r.code).toBe('data-dir-locked');
    expect(r.holder).toMatchObject({ pid: child.pid, command: 'lock test hold' });
  });

  test('a holder killed with SIGKILL leaves a lock that the next taker waits out', { timeout: 60_000 }, async () => {
    const dir = await newDir();
    const child = await startTs('test/server/db/lockFromChild.ts', [dir, 'hold'], /held \d+/);
    await child.kill();
    // The dead holder's lock and holder file are still there: nothing released them.
    expect(readLockHolder(dir)?.pid).toBe(child.pid);
    const lock = await lockDataDir(dir, { command: 'after the crash' });
    locks.push(lock);
    expect(readLockHolder(dir)).toMatchObject({ pid: process.pid, command: 'after the crash' });
  });
});

describe('a lock left behind', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'finch-lock-left-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** A lock directory last refreshed `ageMs` ago, and a holder file naming `pid` on this machine. */
  async function leftBehind(name: string, pid: number, ageMs: number): Promise<string> {
    const dir = path.join(root, name, 'db');
    const paths = lockPaths(dir);
    await mkdir(paths.lock, { recursive: true });
    await writeFile(paths.holder, JSON.stringify({ pid, hostname: hostname(), command: 'finch serve', since: '2020-01-01T00:00:00.000Z' }));
    const when = new Date(Date.now() - ageMs);
    await utimes(paths.lock, when, when);
    return dir;
  }

  test('a running holder whose lock is a little overdue (a stalled event loop) is not taken over', async () => {
    const dir = await leftBehind('stalled', process.ppid, 30_000);
    const r = await refusal(lockDataDir(dir));
    expect(r.code).toBe('data-dir-locked');
    expect(r.holder).toMatchObject({ pid: process.ppid });
  });

  test('this very pid, not holding it, is an earlier life of the pid (a restarted container): taken', async () => {
    const dir = await leftBehind('same-pid', process.pid, 30_000);
    const lock = await lockDataDir(dir, { command: 'new life' });
    expect(readLockHolder(dir)).toMatchObject({ pid: process.pid, command: 'new life' });
    await lock.release();
  });

  test('a running pid whose lock has not been refreshed for minutes is another program: taken', async () => {
    const dir = await leftBehind('reused-pid', process.ppid, 5 * 60_000);
    const lock = await lockDataDir(dir);
    expect(readLockHolder(dir)?.pid).toBe(process.pid);
    await lock.release();
  });
});

describe('the PGlite store takes the lock', () => {
  let loc: TestLocation;
  afterAll(async () => {
    await loc?.dispose();
  });

  test('a second openDb on the same FINCH_DATA_DIR is refused until the first closes', { timeout: 60_000 }, async () => {
    loc = await createLocation('pglite');
    const config = { dataDir: loc.dataDir, databaseUrl: null };
    const db = await openDb(config, { command: 'first opener' });
    try {
      const r = await refusal(openDb(config));
      expect(r.code).toBe('data-dir-locked');
      expect(r.message).toContain('"first opener"');
      await db.query('CREATE TABLE kept (v int)');
      await db.query('INSERT INTO kept VALUES (1)');
    } finally {
      await db.close();
    }
    const again = await openDb(config);
    try {
      expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 1 }]);
    } finally {
      await again.close();
    }
  });
});
