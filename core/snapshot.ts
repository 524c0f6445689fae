/**
 * The rows the control plane keeps, in the shape the resolver needs them. Times are epoch milliseconds.
 * `compileSnapshot` turns them into a `Snapshot` once per committed change; `resolveManifest` answers
 * getConsoleVersion from it with no I/O.
 */
import type { ResourceStatus, StrategyStatus } from './manifest.js';
import type { Rule } from './rules/Rule.js';

export interface ProductRow {
  id: number;
  name: string;
}

export interface ResourceRow {
  id: number;
  product: string;
  version: string;
  status: ResourceStatus;
  baseUrl: string;
  files: string[];
  integrity: Record<string, string>;
  config: Record<string, unknown>;
  dependencies: string[];
}

export interface StrategyRow {
  id: number;
  product: string;
  resourceId: number;
  status: StrategyStatus;
  /** Higher wins among matching gray strategies. */
  priority: number;
  /** The targeting rule of a gray strategy; null matches nobody. Ignored for off and full. */
  rule: Rule | null;
  /** Bucketing salt; null means the strategy id as a decimal string. */
  salt: string | null;
  startsAt: number | null;
  endsAt: number | null;
  /** Ties in priority go to the most recently updated. */
  updatedAt: number;
}

export interface SnapshotInput {
  revision: number;
  ttlSeconds: number;
  serviceWorkerEnabled: boolean;
  products: ProductRow[];
  resources: ResourceRow[];
  strategies: StrategyRow[];
}
