/**
 * `finch token create` while `finch serve` holds the embedded database: the token is created by the
 * running server (POST /api/v1/tokens), so it is written by the one process that owns the database
 * and works at once. The credential is the one the server left in FINCH_DATA_DIR for this command.
 */
import { hostname } from 'node:os';
import { FinchError } from '../../core/FinchError.js';
import type { LockHolder } from '../db/dataDirLock.js';
import { readRunningServer, runningServerFile } from './runningServer.js';

export interface CreatedToken {
  id: number;
  name: string;
  scopes: string[];
  token: string;
}

/**
 * Creates the token through the server named in the data directory, if that server is the process
 * holding the lock; otherwise `locked` (which names the holder and what to do) is thrown as it is.
 */
export async function createTokenThroughServer(dataDir: string, locked: FinchError, input: { name: string; scopes: string[] }): Promise<CreatedToken> {
  const holder = (locked.details['holder'] ?? null) as LockHolder | null;
  const server = readRunningServer(dataDir);
  // The same pid on another machine (a data directory on a shared file system) is a coincidence.
  if (holder === null || server === null || server.pid !== holder.pid || holder.hostname !== hostname()) throw locked;
  let res: Response;
  try {
    res = await fetch(`${server.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(input),
    });
  } catch (err) {
    throw new FinchError(
      'network-error',
      `Failed to reach the running "finch serve" (pid ${server.pid}) at ${server.url}, as ${runningServerFile(dataDir)} says: ` +
        `${err instanceof Error ? err.message : String(err)}. It holds the embedded database; check that it is up, or stop it and run this again.`,
    );
  }
  const body = (await res.json().catch(() => null)) as (CreatedToken & { error?: { code?: string; message?: string } }) | null;
  if (res.status === 201 && body !== null && typeof body.token === 'string') {
    return { id: body.id, name: body.name, scopes: body.scopes, token: body.token };
  }
  const reason = body?.error?.message ?? `HTTP ${res.status}`;
  if (res.status === 400) throw new FinchError('invalid-input', reason);
  throw new FinchError(
    res.status === 401 || res.status === 403 ? 'unauthorized' : 'internal',
    `Failed to create the token through the running "finch serve" at ${server.url}: ${reason}. If it just restarted, run this again.`,
  );
}
