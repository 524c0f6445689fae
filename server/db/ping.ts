/** The cheapest statement that proves the database answers (the health probe). */
import type { Queryable } from './Db.js';

export async function ping(q: Queryable): Promise<void> {
  await q.query('SELECT 1');
}
