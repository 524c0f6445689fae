/**
 * The credential of the `finch` command on the server's own machine. The embedded database admits one
 * process, so while `finch serve` runs, `finch token create` asks it over HTTP instead. The server makes
 * a random secret at start, keeps only its hash, and writes the secret to a file only the data
 * directory's owner can read. It is accepted only from a loopback peer, so a copy of that file (a
 * backup, an image layer) is no key from the network.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../model/Principal.js';

/** Not `finch_`: those are API tokens, looked up in the database. */
export const LOCAL_ADMIN_PREFIX = 'finchlocal_';

/** How the audit log names it: `token:0`, an id no stored token has. */
const LOCAL_ADMIN: Principal = { kind: 'token', id: 0, name: 'finch command on the server machine', scopes: [{ kind: 'admin' }] };

let secretHash: Buffer | null = null;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Makes a new secret (the previous one stops working) and returns the Bearer value that carries it. */
export function enableLocalAdmin(): string {
  const secret = randomBytes(32).toString('base64url');
  secretHash = sha256(secret);
  return `${LOCAL_ADMIN_PREFIX}${secret}`;
}

export function disableLocalAdmin(): void {
  secretHash = null;
}

/** The admin principal when `bearer` carries the current secret, else null (also when none is enabled). */
export function localAdminPrincipal(bearer: string): Principal | null {
  if (secretHash === null || !bearer.startsWith(LOCAL_ADMIN_PREFIX)) return null;
  const given = sha256(bearer.slice(LOCAL_ADMIN_PREFIX.length));
  return timingSafeEqual(given, secretHash) ? LOCAL_ADMIN : null;
}
