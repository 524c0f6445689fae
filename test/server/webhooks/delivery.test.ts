/**
 * Deliveries end to end: real changes through the API queue events in their transaction, the
 * dispatcher on createDeps's timer POSTs them to a receiver on 127.0.0.1, signed as documented, and
 * retries with back-off (shortened through createDeps's seam); the delivery log shows each outcome.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, STORES, type TestLocation } from '../harness.js';
import { tarGz } from '../builds/support.js';
import { SECRET, startReceiver, startWebhookServer, verifyFinchSignature, type Receiver, type WebhookServer } from './support.js';

const POLL = { timeout: 20_000, interval: 100 };

interface Delivery { id: number; event: string; status: string; attempts: number; lastStatusCode: number | null; lastError: string | null }

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`webhook deliveries on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: WebhookServer;
    let rx: Receiver;
    let product = 0;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startWebhookServer(loc, [200, 200]);
    });
    afterEach(async () => {
      // One webhook per test: delete them so the next test's receiver hears only its own events.
      for (const w of (await s.call('GET', '/api/v1/webhooks', undefined, s.auth.admin)).json().webhooks) {
        await s.call('DELETE', `/api/v1/webhooks/${w.id}`, undefined, s.auth.admin);
      }
      await rx?.close();
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    async function subscribe(body: Record<string, unknown>): Promise<number> {
      rx = await startReceiver();
      const r = await s.call('POST', '/api/v1/webhooks', { url: rx.url, secret: SECRET, ...body }, s.auth.admin);
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id;
    }

    async function deliveries(hook: number): Promise<Delivery[]> {
      return (await s.call('GET', `/api/v1/webhooks/${hook}/deliveries`, undefined, s.auth.admin)).json().deliveries;
    }

    /** A product with one deployed build; returns its name and the build's id. */
    async function publish(): Promise<{ name: string; resourceId: number }> {
      const name = `hooked-${++product}`;
      expect((await s.call('POST', '/api/v1/products', { name }, s.auth.admin)).statusCode).toBe(201);
      const r = await s.call('POST', '/api/v1/resources', { product: name, version: '1.0.0', baseUrl: `/releases/${name}/v1/`, files: ['main.js'], status: 'built' }, s.auth.admin);
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json().id as number;
      expect((await s.call('PATCH', `/api/v1/resources/${id}`, { status: 'deployed' }, s.auth.admin)).statusCode).toBe(200);
      return { name, resourceId: id };
    }

    test('a receiver gets build.published and strategy.changed, signed as documented', async () => {
      const hook = await subscribe({ events: ['build.published', 'strategy.changed'] });
      const { name, resourceId } = await publish();
      const created = await s.call('POST', '/api/v1/strategies', { product: name, resourceId, status: 'full' }, s.auth.operator);
      expect(created.statusCode, created.body).toBe(201);
      await expect.poll(() => rx.received.length, POLL).toBe(2);

      const [published, changed] = rx.received;
      for (const r of [published!, changed!]) {
        expect(r.headers['content-type']).toBe('application/json');
        expect(verifyFinchSignature(SECRET, r.headers, r.body)).toBe(true);
        // Another secret, or a body changed on the way, fails the check.
        expect(verifyFinchSignature('another-secret-of-enough-length', r.headers, r.body)).toBe(false);
        expect(verifyFinchSignature(SECRET, r.headers, r.body.replace(name, 'tampered'))).toBe(false);
        // The timestamp is signed too: replaying the body under a new timestamp fails.
        expect(verifyFinchSignature(SECRET, { ...r.headers, 'x-finch-timestamp': String(Number(r.headers['x-finch-timestamp']) + 1) }, r.body)).toBe(false);
      }
      expect(published!.headers['x-finch-event']).toBe('build.published');
      const pb = JSON.parse(published!.body);
      expect(pb).toMatchObject({ type: 'build.published', data: { product: name, resourceId, version: '1.0.0', baseUrl: `/releases/${name}/v1/` } });
      expect(pb.id).toBe(published!.headers['x-finch-delivery']);
      expect(changed!.headers['x-finch-event']).toBe('strategy.changed');
      expect(JSON.parse(changed!.body)).toMatchObject({ type: 'strategy.changed', data: { product: name, action: 'create', strategyId: created.json().id, status: 'full', resourceId } });

      await expect.poll(async () => (await deliveries(hook)).map((d) => d.status), POLL).toEqual(['delivered', 'delivered']);
      expect((await deliveries(hook))[0]).toMatchObject({ attempts: 1, lastStatusCode: 200, lastError: null });
    });

    test('build.published also when a build is registered deployed and when its files are uploaded, once each', async () => {
      const hook = await subscribe({ events: ['build.published'] });
      const name = `hooked-${++product}`;
      expect((await s.call('POST', '/api/v1/products', { name }, s.auth.admin)).statusCode).toBe(201);
      const registered = await s.call('POST', '/api/v1/resources', { product: name, version: '1.0.0', baseUrl: `/releases/${name}/v1/`, files: ['main.js'], status: 'deployed' }, s.auth.publish);
      expect(registered.statusCode, registered.body).toBe(201);
      const hosted = (await s.call('POST', '/api/v1/resources', { product: name, version: '2.0.0' }, s.auth.publish)).json().id as number;
      const put = (body: Buffer) => s.app.inject({ method: 'PUT', url: `/api/v1/resources/${hosted}/files`, payload: body, headers: { 'content-type': 'application/gzip', ...s.auth.publish } });
      const archive = await tarGz([{ name: 'main.js', content: 'export {}' }]);
      expect((await put(archive)).statusCode).toBe(200);
      // The same upload again changes nothing, and so tells nobody.
      expect((await put(archive)).statusCode).toBe(200);
      // Queued in the changes' transactions, so already there: two, not three.
      expect(await deliveries(hook)).toHaveLength(2);
      await expect.poll(async () => (await deliveries(hook)).filter((d) => d.status === 'delivered').length, POLL).toBe(2);
      expect(rx.received.map((r) => JSON.parse(r.body).data.version)).toEqual(['1.0.0', '2.0.0']);
      expect(JSON.parse(rx.received[1]!.body).data).toMatchObject({ resourceId: hosted, baseUrl: `/releases/${name}/${hosted}/` });
    });

    test('update and rollback are strategy.changed too; a change that fails sends nothing', async () => {
      const hook = await subscribe({ events: ['strategy.changed'] });
      const { name, resourceId } = await publish();
      const second = (await s.call('POST', '/api/v1/resources', { product: name, version: '2.0.0', baseUrl: `/releases/${name}/v2/`, files: ['main.js'], status: 'deployed' }, s.auth.admin)).json().id as number;
      const first = (await s.call('POST', '/api/v1/strategies', { product: name, resourceId, status: 'full' }, s.auth.operator)).json();
      const next = (await s.call('POST', '/api/v1/strategies', { product: name, resourceId: second, status: 'off' }, s.auth.operator)).json();
      const up = await s.call('PATCH', `/api/v1/strategies/${next.id}`, { status: 'full' }, { ...s.auth.operator, 'if-match': '*' });
      expect(up.statusCode, up.body).toBe(200);
      // Refused (an unknown build): its transaction rolls back, and with it the event.
      expect((await s.call('POST', '/api/v1/strategies', { product: name, resourceId: 999_999, status: 'gray' }, s.auth.operator)).statusCode).toBeGreaterThanOrEqual(400);
      const back = await s.call('POST', `/api/v1/products/${name}/rollback`, {}, s.auth.operator);
      expect(back.statusCode, back.body).toBe(200);

      await expect.poll(() => rx.received.length, POLL).toBe(4);
      const data = rx.received.map((r) => JSON.parse(r.body).data);
      expect(data.map((d) => d.action)).toEqual(['create', 'create', 'update', 'rollback']);
      expect(data[2]).toMatchObject({ strategyId: next.id, status: 'full', turnedOff: [first.id] });
      expect(data[3]).toMatchObject({ strategyId: first.id, status: 'full', turnedOff: [next.id] });
      await expect.poll(async () => (await deliveries(hook)).length, POLL).toBe(4);
    });

    test('slack format: {text} with one line per event, still signed', async () => {
      await subscribe({ events: ['*'], format: 'slack' });
      const { name } = await publish();
      await expect.poll(() => rx.received.length, POLL).toBe(1);
      const r = rx.received[0]!;
      expect(JSON.parse(r.body)).toEqual({ text: `Finch: ${name} 1.0.0 was published (build ${JSON.parse(r.body).text.match(/build (\d+)/)[1]}).` });
      expect(r.headers['x-finch-event']).toBe('build.published');
      expect(verifyFinchSignature(SECRET, r.headers, r.body)).toBe(true);
    });

    test('a receiver answering 500 then 200 gets the delivery again; the log shows both attempts', async () => {
      const hook = await subscribe({ events: ['build.published'] });
      rx.answers.push(500);
      await publish();
      await expect.poll(async () => (await deliveries(hook))[0]?.status, POLL).toBe('delivered');
      expect(rx.received).toHaveLength(2);
      expect(rx.received[0]!.headers['x-finch-delivery']).toBe(rx.received[1]!.headers['x-finch-delivery']);
      // Each attempt is signed afresh.
      expect(verifyFinchSignature(SECRET, rx.received[1]!.headers, rx.received[1]!.body)).toBe(true);
      expect((await deliveries(hook))[0]).toMatchObject({ event: 'build.published', attempts: 2, lastStatusCode: 200, lastError: null });
    });

    test('a receiver that keeps failing: one attempt more than back-off waits, then failed with the last answer', async () => {
      const hook = await subscribe({ events: ['build.published'] });
      rx.answers.push(503, 503, 503, 503);
      await publish();
      await expect.poll(async () => (await deliveries(hook))[0]?.status, POLL).toBe('failed');
      expect((await deliveries(hook))[0]).toMatchObject({ attempts: 3, lastStatusCode: 503, lastError: 'HTTP 503' });
      expect(rx.received).toHaveLength(3);
    });

    test('a receiver that is not there: the error is logged without a status code', async () => {
      const hook = await subscribe({ events: ['build.published'] });
      await rx.close();
      await publish();
      await expect.poll(async () => (await deliveries(hook))[0]?.status, POLL).toBe('failed');
      const d = (await deliveries(hook))[0]!;
      expect(d.lastStatusCode).toBeNull();
      expect(d.lastError).toMatch(/ECONNREFUSED|fetch failed/);
    });
  });
}
