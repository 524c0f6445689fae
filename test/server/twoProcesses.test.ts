/**
 * Two processes, one database: two `finch serve` processes starting together on one empty PostgreSQL database both come up and
 * the migrations run once. Then the hot path across processes: a write through one process reaches the
 * other's in-memory snapshot (LISTEN/NOTIFY) without a restart.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { createLocation, startServer, STORES, type TestLocation } from './harness.js';
import { spawnServe, type ServeProcess } from './process.js';
import { migrationsDir } from '../../server/db/migrate.js';
import { createToken } from '../../server/auth/tokens.js';

const pgStore = STORES.find((s) => s.name === 'postgres');
const skip = pgStore?.skip ?? null;

describe.skipIf(skip !== null)(`two processes, one PostgreSQL database${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let loc: TestLocation;
  const procs: ServeProcess[] = [];
  afterAll(async () => {
    for (const p of procs) await p.stop();
    await loc?.dispose();
  });

  test('two processes, one database: both start together on an empty database, both serve, each migration ran once', async () => {
    loc = await createLocation('postgres');
    const env = { DATABASE_URL: loc.databaseUrl ?? '', FINCH_DATA_DIR: loc.dataDir };
    const started = await Promise.allSettled([spawnServe(env), spawnServe(env)]);
    for (const s of started) if (s.status === 'fulfilled') procs.push(s.value);
    expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);

    for (const p of procs) {
      const r = await fetch(`${p.url}/api/v1/console-version?products=none`);
      expect(r.status).toBe(200);
    }
    const files = readdirSync(migrationsDir()).filter((f) => f.endsWith('.sql')).sort();
    const c = new pg.Client({ connectionString: loc.databaseUrl ?? '' });
    await c.connect();
    try {
      const rows = (await c.query<{ name: string }>('SELECT name FROM finch_migrations ORDER BY name')).rows.map((r) => r.name);
      expect(rows).toEqual(files);
      expect((await c.query('SELECT * FROM revision')).rowCount).toBe(1);
    } finally {
      await c.end();
    }
    // Each migration was applied by exactly one of the two (each file runs under its own lock, so the
    // two may share the work); the other found it recorded.
    const appliedBy = (p: ServeProcess): string[] =>
      /applied migrations (.*)/.exec(p.output())?.[1]?.split(', ').map((f) => f.trim()) ?? [];
    expect(procs.flatMap(appliedBy).sort()).toEqual(files);
  });

  test('a change through one process reaches the other one\'s snapshot', async () => {
    const [a, b] = procs as [ServeProcess, ServeProcess];
    // A token made directly in the shared database works on both processes.
    const setup = await startServer(loc, { tokens: false });
    const { token } = await createToken(setup.deps.db, { name: 'two-proc', scopes: ['admin'], createdBy: 'test' });
    await setup.close();
    const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = async (url: string, body: unknown): Promise<{ id: number }> => {
      const r = await fetch(url, { method: 'POST', headers: h, body: JSON.stringify(body) });
      expect(r.status).toBe(201);
      return (await r.json()) as { id: number };
    };
    await post(`${a.url}/api/v1/products`, { name: 'shared' });
    const res = await post(`${a.url}/api/v1/resources`, { product: 'shared', version: '1.0.0', baseUrl: '/releases/shared/x/', files: ['a.js'], status: 'deployed' });
    await post(`${a.url}/api/v1/strategies`, { product: 'shared', resourceId: res.id, status: 'full' });

    const consoleVersion = async (p: ServeProcess): Promise<unknown> =>
      (await fetch(`${p.url}/api/v1/console-version?products=shared&userId=u`)).json();
    const fromA = await consoleVersion(a);
    // B hears the NOTIFY after A's commit and reloads in the background, and nothing it prints marks
    // the reload: ask B until it gives A's answer (its 5 s revision poll alone would get there).
    await expect.poll(() => consoleVersion(b), { interval: 100, timeout: 30_000 }).toEqual(fromA);
  });
});
