/**
 * The Finch control plane of table 1: a fresh PGlite data dir seeded with the fixture (seedStore.ts),
 * then `finch serve` (bin/finch.js → dist/node) in its own process on a random loopback port.
 */
import { existsSync, rmSync } from 'node:fs';
import type { FixtureOptions } from './fixture.js';
import { rootPath } from './finchModules.js';
import { freePort, rssOf, startChild, tempDir, waitForHttp, type Child } from './processes.js';

export interface SeededStore {
  dataDir: string;
  /** PostgreSQL database the store lives in; null for PGlite in `dataDir`. */
  databaseUrl: string | null;
  /** The clock the fixture's time windows were built around. */
  now: number;
  seedMs: number;
  /** Removes the data dir and drops the database. */
  remove(): Promise<void>;
}

export interface FinchServer {
  origin: string;
  pid: number;
  /** How it was started, for the notes. */
  how: string;
  rss(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/**
 * Seeds a fresh data dir (PGlite), or a fresh PostgreSQL database when `databaseUrl` is given, in a
 * child process. Not timed, so run.ts starts it early, next to the size measurements, to keep `--quick`
 * under a minute. `remove` deletes the data dir and drops the database.
 */
export async function seedFinchStore(store: FixtureOptions & { now: number }, databaseUrl: string | null = null): Promise<SeededStore> {
  const dataDir = tempDir('finch-bench-data-');
  let dbCreated = false;
  const remove = async (): Promise<void> => {
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl !== null && dbCreated) await dropDatabase(databaseUrl);
  };
  const t0 = performance.now();
  try {
    if (databaseUrl !== null) {
      await createDatabase(databaseUrl);
      dbCreated = true;
    }
    // A tracked child, so an interrupted bench stops it by PID like every other process it started.
    const seed = startChild(
      process.execPath,
      ['--import', 'tsx', rootPath('test/bench/seedStore.ts'), dataDir, String(store.products), String(store.strategiesPerProduct), String(store.userIds), String(store.now)],
      { cwd: rootPath(''), env: { ...process.env, DATABASE_URL: databaseUrl ?? '' } },
    );
    try {
      await seed.waitFor(/^seeded /m, 120_000);
    } finally {
      await seed.stop();
    }
  } catch (err) {
    await remove();
    throw err;
  }
  return { dataDir, databaseUrl, now: store.now, seedMs: performance.now() - t0, remove };
}

/** `postgres://…/name` → [maintenance URL on the same server, name]. */
function splitDatabaseUrl(url: string): [string, string] {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected bench database name: ${name}`);
  u.pathname = '/postgres';
  return [u.toString(), name];
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createDatabase(url: string): Promise<void> {
  const [admin, name] = splitDatabaseUrl(url);
  await adminQuery(admin, `CREATE DATABASE ${name}`);
}

async function dropDatabase(url: string): Promise<void> {
  const [admin, name] = splitDatabaseUrl(url);
  await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

export async function startFinchServer(dataDir: string, databaseUrl: string | null = null): Promise<FinchServer> {
  let child: Child | null = null;
  const stop = async (): Promise<void> => {
    await child?.stop();
  };
  try {
    const port = await freePort();
    const built = existsSync(rootPath('dist/node/server/cli.js'));
    // The compiled server is what users run; the TypeScript source is the fallback for a bench run
    // without `npm run build`.
    const [args, how] = built
      ? [[rootPath('bin/finch.js'), 'serve'], '`finch serve` (bin/finch.js, dist/node)']
      : [['--import', 'tsx', rootPath('server/main.ts')], 'server/main.ts via tsx (dist/node missing)'];
    child = startChild(process.execPath, args, {
      cwd: rootPath(''),
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        FINCH_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl ?? '',
        // Request logging at info would measure the log pipe, not the server.
        FINCH_LOG_LEVEL: 'warn',
        FINCH_ADMIN_PASSWORD: 'bench-admin-password',
      },
    });
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(`${origin}/api/v1/console-version?products=x`, 60_000).catch((err: unknown) => {
      throw new Error(`${String(err)}; server output: ${child?.output().slice(-600)}`);
    });
    const pid = child.pid;
    return { origin, pid, how, rss: () => rssOf(pid), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
