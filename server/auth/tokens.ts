import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { FinchError } from '../../core/FinchError.js';
import { PRODUCT_NAME } from '../../core/manifest.js';
import type { Queryable } from '../db/Db.js';
import type { Principal, Scope } from './Principal.js';

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

export interface TokenInfo {
  id: number;
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
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
  const { rows } = await q.query<{ id: number }>(
    'INSERT INTO api_tokens (name, secret_hash, scopes, created_by) VALUES ($1, $2, $3::jsonb, $4) RETURNING id',
    [name, sha256(secret).toString('hex'), JSON.stringify(scopes), input.createdBy],
  );
  const id = Number(rows[0]!.id);
  return { id, token: `${TOKEN_PREFIX}${id}_${secret}` };
}

interface TokenRow {
  id: number;
  name: string;
  secret_hash: string;
  scopes: unknown;
  created_by: string;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function scopesOf(raw: unknown): string[] {
  const list = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
}

function toInfo(row: TokenRow): TokenInfo {
  return {
    id: Number(row.id),
    name: row.name,
    scopes: scopesOf(row.scopes),
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    revokedAt: iso(row.revoked_at),
  };
}

/**
 * Checks a presented `Authorization: Bearer` value. Unknown ids and wrong secrets are both `invalid`
 * (401); a revoked token is `revoked` (403) only once its secret matched, so revocation leaks nothing.
 */
export async function verifyToken(q: Queryable, presented: string): Promise<TokenCheck> {
  const match = TOKEN_SHAPE.exec(presented);
  if (!match) return { ok: false, reason: 'invalid' };
  const { rows } = await q.query<TokenRow>('SELECT * FROM api_tokens WHERE id = $1', [Number(match[1])]);
  const row = rows[0];
  const given = sha256(match[2]!);
  // Compare against a dummy when the row is missing so both paths do the same work.
  const stored = row ? Buffer.from(row.secret_hash, 'hex') : Buffer.alloc(32);
  const equal = stored.length === given.length && timingSafeEqual(stored, given);
  if (!row || !equal) return { ok: false, reason: 'invalid' };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
  const scopes: Scope[] = [];
  for (const s of scopesOf(row.scopes)) {
    try {
      scopes.push(parseScope(s));
    } catch {
      // A scope this version no longer knows grants nothing.
    }
  }
  return { ok: true, principal: { kind: 'token', id: Number(row.id), name: row.name, scopes } };
}

/** Every token, newest first, without secrets. */
export async function listTokens(q: Queryable): Promise<TokenInfo[]> {
  const { rows } = await q.query<TokenRow>('SELECT * FROM api_tokens ORDER BY id DESC');
  return rows.map(toInfo);
}

export async function getToken(q: Queryable, id: number): Promise<TokenInfo | null> {
  const { rows } = await q.query<TokenRow>('SELECT * FROM api_tokens WHERE id = $1', [id]);
  return rows[0] ? toInfo(rows[0]) : null;
}

/** Marks a token revoked (kept for the audit trail); returns the row before and after, null when unknown. */
export async function revokeToken(
  q: Queryable,
  id: number,
): Promise<{ before: TokenInfo; after: TokenInfo } | null> {
  const { rows } = await q.query<TokenRow>('SELECT * FROM api_tokens WHERE id = $1 FOR UPDATE', [id]);
  if (!rows[0]) return null;
  const before = toInfo(rows[0]);
  const updated = await q.query<TokenRow>(
    'UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *',
    [id],
  );
  return { before, after: toInfo(updated.rows[0]!) };
}
