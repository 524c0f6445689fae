#!/usr/bin/env node
// `npm run demo` (after `npm run build`): the control plane on an embedded database in a fresh demo
// data directory, the demo host page served by the same app (one origin, so the worker can control the
// page), and the demo's builds and strategies (README) registered through the public HTTP API.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addHostRoutes } from './hostRoutes.js';
import { seedDemo } from './seed.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SERVER = new URL('../dist/node/server/', import.meta.url);
/** A demo directory carries this file; the demo refuses to wipe a directory that does not. */
const MARKER = '.finch-demo';
const SEEDED = '.finch-demo-seeded';

export const DEMO_ADMIN = Object.freeze({ username: 'admin', password: 'finch-demo' });

/**
 * Starts the demo and resolves once it is seeded and listening.
 * @example const demo = await startDemo({ port: 0, dataDir: '/tmp/finch-demo' }); … await demo.stop();
 * @param {object} [options]
 * @param {number} [options.port] @default 8080 (0: a free port)
 * @param {string} [options.host] @default '127.0.0.1'
 * @param {string} [options.dataDir] @default '.demo-data' in the repository
 * @param {boolean} [options.fresh] wipe the directory and seed again @default true
 * @param {Record<string, string|undefined>} [options.env] more server variables (FINCH_SW, FINCH_TTL_SECONDS…)
 * @returns {Promise<{ url: string, port: number, dataDir: string, reportTokens: 'required' | 'optional', stop: () => Promise<void> }>}
 */
export async function startDemo(options = {}) {
  const { port = 8080, host = '127.0.0.1', fresh = true, env = {} } = options;
  const dataDir = resolve(options.dataDir ?? join(ROOT, '.demo-data'));
  await prepareDataDir(dataDir, fresh);

  const { loadConfig } = await importServer('config.js');
  const { createDeps, closeDeps } = await importServer('createDeps.js');
  const { buildApp } = await importServer('app.js');

  const config = loadConfig({
    // A sandbox to try guards with curl: rollout guards count unsigned reports too, one user each
    // (docs/rollouts.md). `finch serve` requires report tokens unless told otherwise.
    FINCH_REPORT_TOKENS: 'optional',
    ...env,
    PORT: String(port),
    HOST: host,
    FINCH_DATA_DIR: dataDir,
    FINCH_ADMIN_PASSWORD: DEMO_ADMIN.password,
    // Always the embedded database: the demo must never seed (or wipe) someone's PostgreSQL.
    DATABASE_URL: undefined,
  });
  const deps = await createDeps(config, { logger: false });
  // createDeps created `admin` with FINCH_ADMIN_PASSWORD on the empty database, as `finch serve` does.
  let app;
  try {
    app = await buildApp(deps);
    addHostRoutes(app);
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app?.close().catch(() => undefined);
    await closeDeps(deps);
    throw err;
  }

  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;

  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      await app.close();
      await closeDeps(deps);
    })());

  try {
    if (!existsSync(join(dataDir, SEEDED))) {
      await seedDemo(url, DEMO_ADMIN);
      await writeFile(join(dataDir, SEEDED), `${new Date().toISOString()}\n`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port: actualPort, dataDir, reportTokens: config.reportTokens, stop };
}

/** A fresh start wipes the directory, but only one the demo made (or an empty one). */
async function prepareDataDir(dataDir, fresh) {
  if (fresh && existsSync(dataDir)) {
    const entries = await readdir(dataDir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`Failed to start the demo: ${dataDir} is not empty and was not made by the demo. Pick another FINCH_DEMO_DATA_DIR.`);
    }
    // Never wipe the database of a demo that is running: its lock names it (data-dir-locked).
    const { lockDataDir } = await importServer('db/dataDirLock.js');
    const lock = await lockDataDir(join(dataDir, 'db'), { command: 'npm run demo (wiping the demo data)' });
    await lock.release();
    await rm(dataDir, { recursive: true, force: true });
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, MARKER), 'Made by `npm run demo`; wiped on every fresh start.\n');
}

async function importServer(file) {
  const url = new URL(file, SERVER);
  if (!existsSync(url)) {
    throw new Error(`Failed to start the demo: ${fileURLToPath(url)} is missing. Run \`npm run build\` first (\`npm run demo\` does).`);
  }
  return import(url.href);
}

async function main(argv) {
  const keep = argv.includes('--keep-data');
  const port = process.env.PORT === undefined || process.env.PORT === '' ? 8080 : Number(process.env.PORT);
  const { DATABASE_URL: _ignored, FINCH_DATA_DIR: _ignoredToo, ...env } = process.env;
  (await importServer('db/tuneForEmbeddedServer.js')).tuneForEmbeddedServer();
  const demo = await startDemo({
    port,
    host: process.env.HOST || '127.0.0.1',
    dataDir: process.env.FINCH_DEMO_DATA_DIR || join(ROOT, '.demo-data'),
    fresh: !keep,
    env,
  });
  console.log(`
Finch demo is running at ${demo.url}/

  Sign in on the page as:
    alice            dashboard 2.0.0 (gray for users [alice]), header 1.0.0
    bob              dashboard 1.0.0 (full), header 1.0.0
    any + group beta header 1.1.0 (gray for group eq beta)

  Control plane API: ${demo.url}/api/v1 (OpenAPI: ${demo.url}/api/v1/openapi.json)
  Console:           ${demo.url}/console/ (sign in as ${DEMO_ADMIN.username} / ${DEMO_ADMIN.password})
  Rollout guards:    ${demo.reportTokens === 'optional' ? 'count unsigned reports too (FINCH_REPORT_TOKENS=optional); finch serve requires report tokens' : 'count only reports signed with report tokens'}
  Data:              ${demo.dataDir} (${keep ? 'kept' : 'fresh'}; wiped on every start without --keep-data)

  Ctrl-C stops it.
`);
  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) {
      // A second Ctrl-C: the user wants out now.
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the demo…`);
    demo.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err) => {
    if (err?.code === 'EADDRINUSE') {
      console.error(`Failed to start the demo: port ${process.env.PORT || 8080} is in use. Stop what uses it, or run PORT=8081 npm run demo.`);
    } else {
      console.error(err instanceof Error ? err.message : err);
    }
    process.exitCode = 1;
  });
}
