/** The one seam between the server and its database: PGlite (embedded) or PostgreSQL (pg), same SQL. */

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * Hears NOTIFY on `channel` from every process sharing the database, on one connection of its own
   * that reconnects after an error. Resolves once listening, with the function that stops it. On PGlite
   * it hears nothing: one process holds the embedded database, so there is nobody else to hear.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  /** A notification's payload. */
  onNotify: (payload: string) => void;
  /** Listening again after a lost connection: notifications sent meanwhile were missed. */
  onReconnect?: () => void;
  /** A lost connection (it is retried) or a failed reconnect. */
  onError?: (err: unknown) => void;
}
