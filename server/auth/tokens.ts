import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { FinchError } from '../../core/FinchError.js';
import { PRODUCT_NAME } from '../../core/manifest.js';
import type { Db, Queryable } from '../db/Db.js';
import type { Principal, Scope } from '../model/Principal.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { getToken, getTokenWithSecret, insertToken, revokeToken, type TokenInfo } from '../store/tokens.js';

/**
 * API tokens look like `finch_<id>_<secret>`: 32 random bytes (base64url) after the row id. The id finds
 * the row, the sha256 of the secret is compared in constant time. Only that hash is stored; the token is
 * shown once, when it is created.
 */
export const TOKEN_PREFIX = 'finch_';
const TOKEN_SHAPE = /^finch_([1-9][0-9]{0,9})_([A-Za-z0-9_-]{43})$/;

export interface TokenInput {
  name: string;
  /** `publish`, `publish:a,b`, `operate`, `admin`. */
  scopes: string[];
  /** Who created it, as the audit log names them (`user:admin`, `cli`). */
  createdBy: string;
}

/** What a presented token turned out to be. `revoked` is only said for a token whose secret matched. */
export type TokenCheck = { ok: true; principal: Principal } | { ok: false; reason: 'invalid' | 'revoked' };

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Parses one scope string; throws `invalid-input` naming the bad one. */
export function parseScope(text: string): Scope {
  if (text === 'operate') return { kind: 'operate' };
  if (text === 'admin') return { kind: 'admin' };
  if (text === 'publish') return { kind: 'publish', products: null };
  if (text.startsWith('publish:')) {
    const products = text.slice('publish:'.length).split(',');
    if (products.length > 0 && products.length <= 100 && products.every((p) => PRODUCT_NAME.test(p))) {
      return { kind: 'publish', products: [...new Set(products)] };
    }
  }
  throw new FinchError(
    'invalid-input',
    `Failed to read scope "${text.slice(0, 80)}": expected publish, publish:<product>[,<product>…], operate or admin.`,
    { scope: text.slice(0, 80) },
  );
}

export function formatScope(scope: Scope): string {
  if (scope.kind !== 'publish') return scope.kind;
  return scope.products ? `publish:${scope.products.join(',')}` : 'publish';
}

/** Validates and normalises scope strings (at least one, at most 20). */
export function normalizeScopes(scopes: readonly string[]): string[] {
  if (scopes.length === 0 || scopes.length > 20) {
    throw new FinchError('invalid-input', 'Failed to create token: give between 1 and 20 scopes.');
  }
  return [...new Set(scopes.map((s) => formatScope(parseScope(s))))];
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) {
    throw new FinchError('invalid-input', 'Failed to create token: name must be 1 to 100 characters.');
  }
  return trimmed;
}

/**
 * Creates a token and returns its only plaintext copy. Call inside the caller's transaction (with the
 * audit write) when there is one.
 * @example const { id, token } = await createToken(db, { name: 'ci', scopes: ['publish:dashboard'], createdBy: 'cli' });
 */
export async function createToken(q: Queryable, input: TokenInput): Promise<{ id: number; token: string }> {
  const name = checkName(input.name);
  const scopes = normalizeScopes(input.scopes);
  const secret = randomBytes(32).toString('base64url');
  const id = await insertToken(q, { name, secretHash: sha256(secret).toString('hex'), scopes, createdBy: input.createdBy });
  return { id, token: `${TOKEN_PREFIX}${id}_${secret}` };
}

/**
 * Checks a presented `Authorization: Bearer` value. Unknown ids and wrong secrets are both `invalid`
 * (401); a revoked token is `revoked` (403) only once its secret matched, so revocation leaks nothing.
 */
export async function verifyToken(q: Queryable, presented: string): Promise<TokenCheck> {
  const match = TOKEN_SHAPE.exec(presented);
  if (!match) return { ok: false, reason: 'invalid' };
  const row = await getTokenWithSecret(q, Number(match[1]));
  const given = sha256(match[2]!);
  // Compare against a dummy when the row is missing so both paths do the same work.
  const stored = row ? Buffer.from(row.secretHash, 'hex') : Buffer.alloc(32);
  const equal = stored.length === given.length && timingSafeEqual(stored, given);
  if (!row || !equal) return { ok: false, reason: 'invalid' };
  if (row.revokedAt !== null) return { ok: false, reason: 'revoked' };
  const scopes: Scope[] = [];
  for (const s of row.scopes) {
    try {
      scopes.push(parseScope(s));
    } catch {
      // A scope this version no longer knows grants nothing.
    }
  }
  return { ok: true, principal: { kind: 'token', id: row.id, name: row.name, scopes } };
}

/**
 * Creates a token and its audit row in the caller's transaction; the answer holds the token's only
 * plaintext copy. The API and `finch token create` both issue tokens through it.
 */
export async function issueToken(q: Queryable, input: Omit<TokenInput, 'createdBy'>, by: AuditActor): Promise<TokenInfo & { token: string }> {
  const { id, token } = await createToken(q, { ...input, createdBy: by.actor });
  const info = (await getToken(q, id))!;
  await writeAudit(q, { ...by, action: 'token.create', target: `token:${id}`, after: info });
  return { ...info, token };
}

/** Revokes a token with its audit row; `not-found` when unknown. Revoking twice writes no second row. */
export function revokeTokenAudited(db: Db, id: number, by: AuditActor): Promise<TokenInfo> {
  return db.tx(async (q) => {
    const result = await revokeToken(q, id);
    if (!result) throw new FinchError('not-found', `Token ${id} does not exist.`);
    if (result.before.revokedAt === null) {
      await writeAudit(q, { ...by, action: 'token.revoke', target: `token:${id}`, before: result.before, after: result.after });
    }
    return result.after;
  });
}
