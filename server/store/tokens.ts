/** The `api_tokens` table: every SQL statement that reads or writes it. Secrets arrive hashed. */
import type { Queryable } from '../db/Db.js';
import type { TokenInfo } from '../../core/apiTypes.js';
import { iso, isoOrNull } from './rowValues.js';

export type { TokenInfo };

/** A token with the sha256 of its secret (hex), for the credential check only. */
export interface TokenSecretRow extends TokenInfo {
  secretHash: string;
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
    createdAt: iso(row.created_at),
    revokedAt: isoOrNull(row.revoked_at),
  };
}

/** Stores a token by the hash of its secret; returns its id. */
export async function insertToken(q: Queryable, t: { name: string; secretHash: string; scopes: readonly string[]; createdBy: string }): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    'INSERT INTO api_tokens (name, secret_hash, scopes, created_by) VALUES ($1, $2, $3::jsonb, $4) RETURNING id',
    [t.name, t.secretHash, JSON.stringify(t.scopes), t.createdBy],
  );
  return Number(rows[0]!.id);
}

export async function getTokenWithSecret(q: Queryable, id: number): Promise<TokenSecretRow | null> {
  const { rows } = await q.query<TokenRow>('SELECT * FROM api_tokens WHERE id = $1', [id]);
  return rows[0] ? { ...toInfo(rows[0]), secretHash: rows[0].secret_hash } : null;
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
export async function revokeToken(q: Queryable, id: number): Promise<{ before: TokenInfo; after: TokenInfo } | null> {
  const { rows } = await q.query<TokenRow>('SELECT * FROM api_tokens WHERE id = $1 FOR UPDATE', [id]);
  if (!rows[0]) return null;
  const before = toInfo(rows[0]);
  const updated = await q.query<TokenRow>('UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *', [id]);
  return { before, after: toInfo(updated.rows[0]!) };
}
