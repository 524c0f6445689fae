/**
 * The JSON objects the HTTP API returns (docs/api.md), written once for the server that sends them and
 * the console that reads them. Types only: times are ISO 8601 strings, as they travel.
 */
import type { ProductRow, ResourceRow, StrategyRow } from './snapshot.js';
import type { RolloutCommand } from './rollout/command.js';
import type { RolloutState } from './rollout/Rollout.js';
import type { RolloutPlan } from './rollout/RolloutPlan.js';

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

/**
 * A staged rollout as the API answers it (docs/api.md, "Rollouts"). `decision.figures` stays unknown:
 * it is null or a `DecisionFigures`, and the server may add fields to it, so readers check what they use.
 */
export interface RolloutInfo {
  id: number;
  product: string;
  /** The gray build. */
  resourceId: number;
  /** The gray strategy the rollout drives. */
  strategyId: number | null;
  state: RolloutState;
  /** From 0. */
  stageIndex: number;
  stageCount: number;
  /** When the stage (or its resumption) began, on the database clock. */
  stageStartedAt: string;
  /** With every default filled in. */
  plan: RolloutPlan;
  priority: number;
  /** The last decision, by the engine or an operator. */
  decision: { reason: string; figures: unknown; at: string };
  /** What its state accepts now. */
  commands: RolloutCommand[];
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** One build's users over a guard decision's window, by what they reported, and the rates judged. */
export interface BuildDecisionFigures {
  resourceId: number;
  /** Users who reported an `exposure`. */
  exposures: number;
  /** Users who reported a `load-error` or `integrity-error`: their page fell back. */
  fallbacks: number;
  /** Users who reported a `runtime-error`. */
  errors: number;
  /** Shares of the build's users (0.02 is 2 %); null with none. */
  fallbackRate: number | null;
  errorRate: number | null;
  /** How many of the counts are unsigned reports, one user each (FINCH_REPORT_TOKENS=optional); absent in decisions made before report tokens. */
  unsigned?: number;
}

/** The figures a guard decision rested on (docs/rollouts.md, "Forged report streams"). */
export interface DecisionFigures {
  /**
   * What the counts are: `users` (distinct users named by valid report tokens),
   * `users-and-unsigned-reports` (those, plus one user per unsigned report), or `reports` (decisions
   * made before report tokens, which counted reports); readers ignore a value they do not know.
   */
  counting: string;
  window: { from: string; to: string };
  gray: BuildDecisionFigures;
  /** The product's full build over the same window, when there is one. */
  stable: BuildDecisionFigures | null;
  comparedToStable: boolean;
}
