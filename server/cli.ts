/**
 * The `finch` command (bin/finch.js calls `main`). `serve` and `migrate` live here; `publish` and
 * `token` are their own modules, loaded only when asked for.
 */
import { isFinchError } from '../core/FinchError.js';
import { CONFIG_VARIABLES, loadConfig } from './config.js';
import { openDb } from './db/openDb.js';
import { migrate } from './db/migrate.js';
import { serve } from './main.js';

const USAGE = `Usage: finch <command> [options]

Commands:
  serve           start the control plane (embedded database, or PostgreSQL with DATABASE_URL)
  migrate         bring the database schema up to date and exit
  publish         register a build from CI, with integrity hashes, optional upload
  token create    create an API token (shown once)
  rollout         start a staged rollout, watch it live, pause, resume, abort or advance it

Run "finch <command> --help" for a command's options.`;

function envHelp(): string {
  const width = Math.max(...CONFIG_VARIABLES.map(([n]) => n.length));
  return CONFIG_VARIABLES.map(([n, h]) => `  ${n.padEnd(width)}  ${h}`).join('\n');
}

const SERVE_HELP = `Usage: finch serve

Starts the control plane on HOST:PORT. SIGTERM or SIGINT drains requests in flight, then stops.

Environment:
${envHelp()}`;

const MIGRATE_HELP = `Usage: finch migrate

Applies the SQL migrations that the database lacks, each in a transaction under an advisory lock
(safe to run while other Finch processes start), then exits. "finch serve" does this too. The embedded
database admits one process: while "finch serve" runs on it, this refuses and changes nothing.

Environment:
  DATABASE_URL    PostgreSQL to migrate; without it the embedded database in FINCH_DATA_DIR`;

const wantsHelp = (argv: readonly string[]): boolean => argv.includes('--help') || argv.includes('-h');

/** Commands owned by other modules: `export async function run(argv: string[]): Promise<number>`. */
const DELEGATED: Record<string, string> = {
  publish: './cli/publish.js',
  token: './cli/token.js',
  rollout: './cli/rollout.js',
};

export async function main(argv: string[]): Promise<number | void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  switch (command) {
    case 'serve': {
      if (wantsHelp(rest)) return help(SERVE_HELP);
      if (rest.length > 0) return usageError(`finch serve takes no arguments (got "${rest.join(' ')}"); it is configured by environment variables.`);
      await serve(loadConfig(process.env));
      return undefined;
    }
    case 'migrate': {
      if (wantsHelp(rest)) return help(MIGRATE_HELP);
      if (rest.length > 0) return usageError(`finch migrate takes no arguments (got "${rest.join(' ')}").`);
      const config = loadConfig(process.env);
      const db = await openDb(config, { migrate: false, command: 'finch migrate' }).catch((err: unknown) => {
        if (isFinchError(err) && err.code === 'data-dir-locked') {
          // Nothing was written. A running server applied the migrations it knows when it started.
          console.error(`finch migrate: ${err.message}\n"finch serve" applies migrations itself when it starts: to move to a newer Finch, stop the server and start the new version.`);
          return null;
        }
        throw err;
      });
      if (db === null) return 1;
      try {
        const result = await migrate(db);
        console.log(result.applied.length === 0 ? 'finch: database is up to date' : `finch: applied ${result.applied.join(', ')}`);
      } finally {
        await db.close();
      }
      return 0;
    }
    default: {
      const path = DELEGATED[command];
      if (path === undefined) return usageError(`Unknown command "${command}".`);
      const mod = (await import(path)) as { run?: (argv: string[]) => Promise<number> };
      if (typeof mod.run !== 'function') throw new Error(`finch ${command} is not available in this build.`);
      return mod.run(rest);
    }
  }
}

function usageError(message: string): number {
  console.error(`${message}\n\n${USAGE}`);
  return 2;
}

function help(text: string): number {
  console.log(text);
  return 0;
}
