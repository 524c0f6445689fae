/**
 * What a delivery's body says. `json`: `{id, type, createdAt, data}`. `slack`: `{text}` with one line
 * for people, which a Slack incoming webhook (and chat tools compatible with it) posts as it is.
 */
import type { WebhookFormat } from '../store/webhooks.js';
import type { BuildPublished, RolloutEvent, StrategyChanged } from './events.js';

export interface DeliveryEvent {
  /** The delivery's id, as in `X-Finch-Delivery`. */
  id: number;
  type: string;
  createdAt: string;
  data: unknown;
}

export function deliveryBody(format: WebhookFormat, event: DeliveryEvent): string {
  if (format === 'slack') return JSON.stringify({ text: summaryLine(event.type, event.data) });
  return JSON.stringify({ id: String(event.id), type: event.type, createdAt: event.createdAt, data: event.data });
}

/** Slack reads `<`, `>` and `&` as markup: escape what came from users (versions, reasons). */
function plain(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One line per event type; an event of a type this version does not know still gets a line. */
export function summaryLine(type: string, data: unknown): string {
  switch (type) {
    case 'build.published': {
      const d = data as BuildPublished;
      return `Finch: ${plain(d.product)} ${plain(d.version)} was published (build ${d.resourceId}).`;
    }
    case 'strategy.changed': {
      const d = data as StrategyChanged;
      if (d.action === 'rollback') {
        return `Finch: ${plain(d.product)} was rolled back${d.strategyId === null ? '' : ` to strategy ${d.strategyId}`}; ${d.turnedOff.length} strateg${d.turnedOff.length === 1 ? 'y' : 'ies'} turned off.`;
      }
      return `Finch: ${plain(d.product)} strategy ${d.strategyId} was ${d.action === 'create' ? 'created' : 'changed'}: now ${d.status ?? 'unknown'}, build ${d.resourceId}.`;
    }
    case 'rollout.stage-advanced':
      return `Finch: ${rollout(data)} advanced to stage ${stageOf(data)}.`;
    case 'rollout.guard-breached':
      return `Finch: ${rollout(data)} breached its guard at stage ${stageOf(data)}${reasonOf(data)}`;
    case 'rollout.finished':
      return `Finch: ${rollout(data)} finished: the build is full.`;
    case 'rollout.rolled-back':
      return `Finch: ${rollout(data)} was rolled back${reasonOf(data)}`;
    default:
      return `Finch: ${plain(type)}.`;
  }
}

function rollout(data: unknown): string {
  const d = data as RolloutEvent;
  return `rollout ${d.rolloutId} of ${plain(d.product)} (build ${d.resourceId})`;
}

function stageOf(data: unknown): string {
  const stage = (data as RolloutEvent).stageIndex;
  // Stages count from 0 in the API; people count from 1.
  return typeof stage === 'number' ? String(stage + 1) : '?';
}

function reasonOf(data: unknown): string {
  const reason = (data as RolloutEvent).reason;
  return typeof reason === 'string' && reason !== '' ? `: ${plain(reason)}` : '.';
}
