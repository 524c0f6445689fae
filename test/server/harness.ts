/**
 * Starts the real control plane for a test file: on a fresh PGlite data directory (a tmp dir) or on a
 * fresh PostgreSQL database created from FINCH_TEST_DATABASE_URL and dropped afterwards. Tests talk to
 * it with `inject()` or real HTTP; nothing is mocked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../server/config.js';
import { buildApp } from '../../server/app.js';
import { closeDeps, createDeps } from '../../server/createDeps.js';
import type { ServerDeps } from '../../server/deps.js';
import { createToken } from '../../server/auth/tokens.js';

export type StoreName = 'pglite' | 'postgres';

export interface Store {
  name: StoreName;
  /** Why this store's tests are skipped, or null when they run. */
  skip: string | null;
}

async function probePostgres(): Promise<string | null> {
  const url = process.env['FINCH_TEST_DATABASE_URL'];
  if (url === undefined || url === '') return 'FINCH_TEST_DATABASE_URL is not set';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return `PostgreSQL at FINCH_TEST_DATABASE_URL is unreachable (${err instanceof Error ? err.message : String(err)})`;
  } finally {
    await client.end().catch(() => {});
  }
}

const pgSkip = await probePostgres();
if (pgSkip !== null) console.warn(`[finch tests] PostgreSQL part SKIPPED: ${pgSkip}`);

/** Both stores, the PostgreSQL one carrying its skip reason when there is none to use. */
export const STORES: Store[] = [
  { name: 'pglite', skip: null },
  { name: 'postgres', skip: pgSkip },
];

/** A fresh place to keep data: a tmp dir (PGlite and releases) plus, for PostgreSQL, a new database. */
export interface TestLocation {
  store: StoreName;
  dataDir: string;
  databaseUrl: string | null;
  /** Removes the tmp dir and drops the database. */
  dispose(): Promise<void>;
}

export async function createLocation(store: StoreName): Promise<TestLocation> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'finch-test-'));
  if (store === 'pglite') {
    return { store, dataDir, databaseUrl: null, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env['FINCH_TEST_DATABASE_URL'] ?? '';
  const name = `finch_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    store,
    dataDir,
    databaseUrl: url.toString(),
    async dispose() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The environment a test server runs with; `env` adds or overrides variables. */
export function configFor(loc: TestLocation, env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    FINCH_DATA_DIR: loc.dataDir,
    ...(loc.databaseUrl !== null ? { DATABASE_URL: loc.databaseUrl } : {}),
    FINCH_ADMIN_PASSWORD: 'test-admin-password',
    ...env,
  });
}

export interface TestServer {
  app: FastifyInstance;
  deps: ServerDeps;
  /** Bearer header values with each power. */
  auth: { admin: Record<string, string>; operator: Record<string, string>; viewer: Record<string, string>; publish: Record<string, string> };
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** JSON request helper: `call('POST', '/api/v1/products', body, headers)`. */
  call(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Stops the app and closes the database (the location stays). */
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  now?: () => number;
  /** Create API tokens for the test (needs the auth tables). @default true */
  tokens?: boolean;
  /** Runs on the built app before it is ready: the place to add hooks. */
  beforeReady?: (app: FastifyInstance) => void;
}

export async function startServer(loc: TestLocation, opts: StartOptions = {}): Promise<TestServer> {
  const config = configFor(loc, opts.env);
  const deps = await createDeps(config, { ...(opts.now !== undefined ? { now: opts.now } : {}), logger: false });
  let app: FastifyInstance;
  try {
    app = await buildApp(deps);
    opts.beforeReady?.(app);
    await app.ready();
  } catch (err) {
    await closeDeps(deps);
    throw err;
  }
  const bearer = async (name: string, scopes: string[]): Promise<Record<string, string>> => {
    if (opts.tokens === false) return {};
    const t = await createToken(deps.db, { name: `${name}-${randomBytes(3).toString('hex')}`, scopes, createdBy: 'test' });
    return { authorization: `Bearer ${t.token}` };
  };
  const auth = {
    admin: await bearer('admin', ['admin']),
    operator: await bearer('operator', ['operate']),
    viewer: await bearer('viewer', ['publish:nothing-here']),
    publish: await bearer('publish', ['publish']),
  };
  const inject = (o: InjectOptions): Promise<LightMyRequestResponse> => app.inject(o);
  return {
    app,
    deps,
    auth,
    inject,
    call: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      }),
    async close() {
      await app.close();
      await closeDeps(deps);
    },
  };
}

/** Creates a product, a deployed resource per version, and returns their ids. */
export async function seedProduct(
  s: TestServer,
  name: string,
  versions: readonly string[],
): Promise<{ resources: Record<string, number> }> {
  const p = await s.call('POST', '/api/v1/products', { name }, s.auth.admin);
  if (p.statusCode !== 201) throw new Error(`seed product ${name}: ${p.statusCode} ${p.body}`);
  const resources: Record<string, number> = {};
  for (const v of versions) {
    const r = await s.call('POST', '/api/v1/resources', {
      product: name, version: v, baseUrl: `/releases/${name}/${v}/`, files: ['main.js'], status: 'deployed',
    }, s.auth.admin);
    if (r.statusCode !== 201) throw new Error(`seed resource ${name}@${v}: ${r.statusCode} ${r.body}`);
    resources[v] = (r.json() as { id: number }).id;
  }
  return { resources };
}

export async function createStrategy(s: TestServer, body: Record<string, unknown>): Promise<{ id: number; etag: string }> {
  const r = await s.call('POST', '/api/v1/strategies', body, s.auth.operator);
  if (r.statusCode !== 201) throw new Error(`create strategy: ${r.statusCode} ${r.body}`);
  return { id: (r.json() as { id: number }).id, etag: String(r.headers['etag']) };
}

/** The manifest for a user via POST /console-version. */
export async function manifestFor(
  s: TestServer,
  products: string[],
  userId?: string,
  attributes?: Record<string, string | number | boolean>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { userId: string | null; revision: number; products: Record<string, { version: string; status: string; strategyId: number; resourceId: number; fallback?: { version: string } }> } }> {
  const r = await s.call('POST', '/api/v1/console-version', {
    products, ...(userId !== undefined ? { userId } : {}), ...(attributes !== undefined ? { attributes } : {}),
  }, headers);
  return { status: r.statusCode, body: r.statusCode === 200 ? r.json() : r.body as never };
}
