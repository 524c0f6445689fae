/** Transaction settings for reads that must all see one moment of the database. */
import type { Queryable } from './Db.js';

/** Call first in a transaction: every later read sees the same snapshot, and nothing can be written. */
export async function readOneSnapshot(q: Queryable): Promise<void> {
  await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
}
