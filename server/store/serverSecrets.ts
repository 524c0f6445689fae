/** The `server_secrets` table: secrets the server makes for itself, one per name, shared by every process. */
import type { Queryable } from '../db/Db.js';

/**
 * The secret called `name`, made with `make` if none exists yet. Two processes starting at once both try
 * to insert; the first commit wins and both read its value.
 */
export async function ensureSecret(q: Queryable, name: string, make: () => string): Promise<string> {
  await q.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, make()]);
  const r = await q.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  return r.rows[0]!.value;
}
