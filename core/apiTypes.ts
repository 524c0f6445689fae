/**
 * The JSON objects the HTTP API returns (docs/api.md), written once for the server that sends them and
 * the console that reads them. Types only: times are ISO 8601 strings, as they travel.
 */
import type { ProductRow, ResourceRow, StrategyRow } from './snapshot.js';

export interface Product extends ProductRow {
  description: string;
  createdAt: string;
  updatedAt: string;
}

/** A build: what the resolver needs, plus provenance and times. */
export interface Resource extends ResourceRow {
  branch: string | null;
  commit: string | null;
  /** Bytes of every file uploaded to this server for the build; null when nothing was (hosted elsewhere, or not yet uploaded). */
  storedBytes: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A strategy: the resolver's row with its times as strings, plus the version `If-Match` compares. */
export interface Strategy extends Omit<StrategyRow, 'startsAt' | 'endsAt' | 'updatedAt'> {
  startsAt: string | null;
  endsAt: string | null;
  version: number;
  /** The `full` strategy this one replaced, which a rollback returns to. */
  previousFullId: number | null;
  createdAt: string;
  updatedAt: string;
}

/** An API token as listed: never its secret, which the server keeps only as a hash. */
export interface TokenInfo {
  id: number;
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** One entry of the audit log. */
export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  product: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  details: unknown;
}
