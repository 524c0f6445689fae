/**
 * `finch serve`: builds the app, listens, and on SIGTERM/SIGINT stops taking connections, lets the
 * requests in flight finish, then closes the database. On the embedded database it also tells the
 * `finch` command on this machine where it listens (cli/runningServer.ts), since that command cannot
 * open the database while the server holds it.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './config.js';
import { buildApp } from './app.js';
import { disableLocalAdmin, enableLocalAdmin } from './auth/localAdmin.js';
import { loopbackUrl, removeRunningServer, runningServerFile, writeRunningServer } from './cli/runningServer.js';
import { closeDeps, createDeps } from './createDeps.js';
import { tuneForEmbeddedServer } from './db/tuneForEmbeddedServer.js';

/** Drain deadline: a stuck request must not keep a stopping process alive forever. */
const DRAIN_MS = 10_000;

export async function serve(config: Config): Promise<void> {
  // A server process lives long beside PGlite: its V8 settings are this command's to choose.
  if (config.databaseUrl === null) tuneForEmbeddedServer();
  const deps = await createDeps(config, { logger: { level: config.logLevel }, log: (m) => console.log(m) });
  const app = await buildApp(deps).catch(async (err: unknown) => {
    await closeDeps(deps);
    throw err;
  });
  const embedded = deps.db.kind === 'pglite';
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: draining`);
    if (embedded) {
      removeRunningServer(config.dataDir);
      disableLocalAdmin();
    }
    const force = setTimeout(() => {
      app.log.error('drain deadline passed, exiting');
      process.exit(1);
    }, DRAIN_MS);
    force.unref();
    app.close()
      .then(() => closeDeps(deps))
      .then(() => {
        clearTimeout(force);
        process.exitCode = 0;
      }, (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // Before Fastify's own listener logs "listening": whoever waits for that line finds the file.
  if (embedded) app.server.once('listening', () => announceToLocalCommands(app.server.address() as AddressInfo, config.dataDir));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close().catch(() => undefined);
    await closeDeps(deps);
    throw err;
  }
}

/** Lets `finch token create` on this machine reach this server, which holds the embedded database. */
function announceToLocalCommands(address: AddressInfo, dataDir: string): void {
  try {
    writeRunningServer(dataDir, { pid: process.pid, url: loopbackUrl(address), token: enableLocalAdmin() });
  } catch (err) {
    disableLocalAdmin();
    console.error(`finch: failed to write ${runningServerFile(dataDir)} (${err instanceof Error ? err.message : String(err)}); "finch token create" cannot reach this server, use the API with an admin token.`);
  }
}

// Run directly (`node --import tsx server/main.ts`): serve with the environment's configuration.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve(loadConfig(process.env)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
