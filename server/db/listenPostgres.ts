/** LISTEN on a PostgreSQL channel over a dedicated connection that comes back after errors. */
import pg from 'pg';
import type { ListenHandlers } from './Db.js';

/** Wait before reconnecting, so a database that is down is not hammered. */
const RECONNECT_MS = 1000;

export async function listenPostgres(url: string, channel: string, handlers: ListenHandlers): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Failed to listen: "${channel}" is not a plain channel name (lower-case letters, digits, _).`);
  const onError = handlers.onError ?? (() => {});
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url });
    c.on('error', (err) => {
      onError(err);
      c.end().catch(() => {});
      if (client === c) client = null;
      if (!stopped && timer === null) {
        timer = setTimeout(() => {
          timer = null;
          connect().then(() => handlers.onReconnect?.(), onError);
        }, RECONNECT_MS);
        timer.unref();
      }
    });
    c.on('notification', (msg) => {
      if (msg.channel === channel) handlers.onNotify(msg.payload ?? '');
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    if (stopped) await c.end();
    else client = c;
  }

  await connect();
  return async () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    const c = client;
    client = null;
    if (c !== null) await c.end().catch(() => {});
  };
}
