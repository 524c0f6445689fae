/**
 * `finch token create`: makes an API token straight in the database, or, when a `finch serve` holds
 * the embedded database, through that server's API with the credential it leaves for this command.
 */
import { isFinchError } from '../../core/FinchError.js';
import { loadConfig } from '../config.js';
import { openDb } from '../db/openDb.js';
import { issueToken } from '../auth/tokens.js';
import { parseArgs } from './parseArgs.js';
import { createTokenThroughServer, type CreatedToken } from './tokenThroughServer.js';

const HELP = `Usage: finch token create --name <name> --scope <scope> [--scope <scope>…] [--json]

Creates an API token and prints it once; only its hash is stored. Programs send it as
"Authorization: Bearer <token>". Revoke it with DELETE /api/v1/tokens/<id>.

Scopes:
  publish               publish builds of every product
  publish:a,b           publish builds of products a and b only
  operate               change strategies and roll back (operator)
  admin                 everything, including users and tokens

Options:
  --name <name>         what the token is for, like "ci" (required)
  --scope <scope>       repeat for several scopes (required)
  --json                print {"id", "name", "scopes", "token"} as JSON

Environment: the database of "finch serve" (DATABASE_URL, or FINCH_DATA_DIR for the embedded one).
The embedded database admits one process at a time: while "finch serve" runs on that FINCH_DATA_DIR
on this machine, the token is created through the running server (POST /api/v1/tokens) instead.

Example:
  finch token create --name ci --scope publish:dashboard`;

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    console.log(HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'create') {
    console.error(`Unknown subcommand "finch token ${sub}".\n\n${HELP}`);
    return 2;
  }
  const args = parseArgs(rest, {
    name: { type: 'string' },
    scope: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (!args.ok) {
    console.error(`${args.message}\n\n${HELP}`);
    return 2;
  }
  const name = args.values['name'];
  const scopes = (args.values as { scope?: string[] }).scope ?? [];
  if (typeof name !== 'string' || scopes.length === 0 || args.positionals.length > 0) {
    console.error(`finch token create needs --name and at least one --scope.\n\n${HELP}`);
    return 2;
  }
  const config = loadConfig(env);
  const created = await createInDatabase(config, name, scopes).catch(async (err: unknown) => {
    // The embedded database is held by another process: a running server can do it for us.
    if (!isFinchError(err) || err.code !== 'data-dir-locked') throw err;
    return createTokenThroughServer(config.dataDir, err, { name, scopes });
  });
  if (args.values['json'] === true) {
    console.log(JSON.stringify({ id: created.id, name: created.name, scopes: created.scopes, token: created.token }));
  } else {
    console.log(created.token);
    console.error(`finch: created token ${created.id} "${created.name}" (${created.scopes.join(' ')}). It is shown only this once.`);
  }
  return 0;
}

async function createInDatabase(config: ReturnType<typeof loadConfig>, name: string, scopes: string[]): Promise<CreatedToken> {
  const db = await openDb(config, { command: 'finch token create' });
  try {
    const t = await db.tx((q) => issueToken(q, { name, scopes }, { actor: 'cli' }));
    return { id: t.id, name: t.name, scopes: t.scopes, token: t.token };
  } finally {
    await db.close();
  }
}
