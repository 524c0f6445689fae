/**
 * `finch serve`: builds the app, listens, and on SIGTERM/SIGINT stops taking connections, lets the
 * requests in flight finish, then closes the database.
 */
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './config.js';
import { buildApp } from './app.js';
import { closeDeps, createDeps } from './createDeps.js';

/** Drain deadline: a stuck request must not keep a stopping process alive forever. */
const DRAIN_MS = 10_000;

export async function serve(config: Config): Promise<void> {
  const deps = await createDeps(config, { logger: { level: process.env['FINCH_LOG_LEVEL'] ?? 'info' }, log: (m) => console.log(m) });
  const app = await buildApp(deps);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: draining`);
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
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await closeDeps(deps);
    throw err;
  }
}

// Run directly (`node --import tsx server/main.ts`): serve with the environment's configuration.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve(loadConfig(process.env)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
