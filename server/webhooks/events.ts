/**
 * Every event a webhook can subscribe to, and the payload each carries (the `data` of a JSON delivery).
 * Payloads stay small summaries: ids to look the rest up by, never a rule's user list or a build's config.
 */

/** The event types, in the order the API documents them. */
export const WEBHOOK_EVENTS = [
  'build.published',
  'strategy.changed',
  'rollout.stage-advanced',
  'rollout.guard-breached',
  'rollout.finished',
  'rollout.rolled-back',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A subscription to every event, now and later. */
export const ALL_EVENTS = '*';

/** A build became `deployed`: by upload, by a status change, or registered so. */
export interface BuildPublished {
  product: string;
  resourceId: number;
  version: string;
  baseUrl: string;
}

/** A strategy was created or changed, or a rollback changed a product's strategies. */
export interface StrategyChanged {
  product: string;
  action: 'create' | 'update' | 'rollback';
  /** The strategy created or changed; for a rollback, the restored full one (null when none was). */
  strategyId: number | null;
  /** Its status after the change (null for a rollback that restored nothing). */
  status: 'off' | 'gray' | 'full' | null;
  resourceId: number | null;
  /** Strategies this change turned off (a retired full, the grays of a rollback). */
  turnedOff: number[];
}

/** What every rollout event says; the engine adds the stage and, for a breach, the reason and figures. */
export interface RolloutEvent {
  product: string;
  rolloutId: number;
  resourceId: number;
  /** The stage reached (stage-advanced) or the one it stopped in, counted from 0 as the rollout does. */
  stageIndex?: number;
  /** A sentence for people: why it stopped, what it did. */
  reason?: string;
  /** The guard's inputs and results, as the rollout records them. */
  figures?: Record<string, unknown>;
}

export interface WebhookPayloads {
  'build.published': BuildPublished;
  'strategy.changed': StrategyChanged;
  'rollout.stage-advanced': RolloutEvent;
  'rollout.guard-breached': RolloutEvent;
  'rollout.finished': RolloutEvent;
  'rollout.rolled-back': RolloutEvent;
}

export function isWebhookEvent(text: string): text is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(text);
}
