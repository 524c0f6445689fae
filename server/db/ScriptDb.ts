/** A Db that can also run multi-statement SQL scripts in a transaction: what the migration runner needs. */
import type { Db, Queryable } from './Db.js';

export interface ScriptQueryable extends Queryable {
  /** Runs a script of several statements (no parameters). */
  exec(sql: string): Promise<void>;
}

export interface ScriptDb extends Db {
  txScript<T>(fn: (q: ScriptQueryable) => Promise<T>): Promise<T>;
}
