/**
 * Several dispatchers on one PostgreSQL database (two control planes, each with its timer, and two more
 * dispatchers racing them tick for tick) send each delivery once: a claim is taken by one of them only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, STORES, type TestLocation } from '../harness.js';
import { createDispatcher } from '../../../server/webhooks/dispatcher.js';
import { emitEvent } from '../../../server/webhooks/emitEvent.js';
import { SECRET, startReceiver, startWebhookServer, verifyFinchSignature, type Receiver, type WebhookServer } from './support.js';

const pg = STORES.find((s) => s.name === 'postgres')!;
const EVENTS = 60;

describe.skipIf(pg.skip !== null)(`webhook dispatchers sharing PostgreSQL${pg.skip ? ` (skipped: ${pg.skip})` : ''}`, () => {
  let loc: TestLocation;
  let a: WebhookServer;
  let b: WebhookServer;
  let rx: Receiver;

  beforeAll(async () => {
    loc = await createLocation('postgres');
    a = await startWebhookServer(loc);
    b = await startWebhookServer(loc);
    rx = await startReceiver();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await rx?.close();
    await loc?.dispose();
  });

  test('each event reaches the receiver exactly once', async () => {
    const hook = await a.call('POST', '/api/v1/webhooks', { url: rx.url, events: ['rollout.stage-advanced'], secret: SECRET }, a.auth.admin);
    expect(hook.statusCode, hook.body).toBe(201);
    // Emitted as the rollout engine will: one call inside its own transaction, on either process.
    await Promise.all(Array.from({ length: EVENTS }, (_, i) => (i % 2 === 0 ? a : b).deps.db.tx((q) =>
      emitEvent(q, 'rollout.stage-advanced', { product: 'p', rolloutId: i, resourceId: 1, stageIndex: 1 }))));
    const racers = [createDispatcher(a.deps.db), createDispatcher(b.deps.db)];
    const delivered = async (): Promise<number> => Number((await a.deps.db.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM webhook_deliveries WHERE status = 'delivered'")).rows[0]!.n);
    // The racers claim as fast as they can while both servers' timers tick.
    while (await delivered() < EVENTS) await Promise.all(racers.map((d) => d.runOnce()));
    await Promise.all(racers.map((d) => d.stop()));

    const ids = rx.received.map((r) => String(r.headers['x-finch-delivery']));
    expect(new Set(ids).size).toBe(EVENTS);
    expect(ids).toHaveLength(EVENTS);
    expect(rx.received.every((r) => verifyFinchSignature(SECRET, r.headers, r.body))).toBe(true);
    const rollouts = rx.received.map((r) => JSON.parse(r.body).data.rolloutId as number).sort((x, y) => x - y);
    expect(rollouts).toEqual(Array.from({ length: EVENTS }, (_, i) => i));
    const log = (await a.call('GET', `/api/v1/webhooks/${hook.json().id}/deliveries?limit=500`, undefined, a.auth.admin)).json();
    expect(log.deliveries.every((d: { attempts: number }) => d.attempts === 1)).toBe(true);
  });
});
