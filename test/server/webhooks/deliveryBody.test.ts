/** The Slack line of each event type, rollout events included (the engine emits them), and the JSON envelope. */
import { describe, expect, test } from 'vitest';
import { deliveryBody, summaryLine } from '../../../server/webhooks/deliveryBody.js';
import { WEBHOOK_EVENTS } from '../../../server/webhooks/events.js';

const rollout = { product: 'shop', rolloutId: 7, resourceId: 42, stageIndex: 1, reason: 'fallback rate 4.1% > 1% over 812 users' };

describe('delivery bodies', () => {
  test.each([
    ['build.published', { product: 'shop', resourceId: 42, version: '2.0.0', baseUrl: '/r/' }, 'Finch: shop 2.0.0 was published (build 42).'],
    ['strategy.changed', { product: 'shop', action: 'update', strategyId: 3, status: 'gray', resourceId: 42, turnedOff: [] }, 'Finch: shop strategy 3 was changed: now gray, build 42.'],
    ['strategy.changed', { product: 'shop', action: 'rollback', strategyId: 2, status: 'full', resourceId: 41, turnedOff: [3, 4] }, 'Finch: shop was rolled back to strategy 2; 2 strategies turned off.'],
    ['rollout.stage-advanced', rollout, 'Finch: rollout 7 of shop (build 42) advanced to stage 2.'],
    ['rollout.guard-breached', rollout, 'Finch: rollout 7 of shop (build 42) breached its guard at stage 2: fallback rate 4.1% &gt; 1% over 812 users'],
    ['rollout.finished', rollout, 'Finch: rollout 7 of shop (build 42) finished: the build is full.'],
    ['rollout.rolled-back', rollout, 'Finch: rollout 7 of shop (build 42) was rolled back: fallback rate 4.1% &gt; 1% over 812 users'],
  ])('%s', (type, data, line) => {
    expect(summaryLine(type, data)).toBe(line);
    expect(JSON.parse(deliveryBody('slack', { id: 1, type, createdAt: '2026-01-01T00:00:00.000Z', data }))).toEqual({ text: line });
  });

  test('every event type has its own line, and json carries the event as it is', () => {
    for (const type of WEBHOOK_EVENTS) expect(summaryLine(type, rollout)).not.toBe(`Finch: ${type}.`);
    expect(JSON.parse(deliveryBody('json', { id: 9, type: 'rollout.finished', createdAt: '2026-01-01T00:00:00.000Z', data: rollout })))
      .toEqual({ id: '9', type: 'rollout.finished', createdAt: '2026-01-01T00:00:00.000Z', data: rollout });
  });
});
