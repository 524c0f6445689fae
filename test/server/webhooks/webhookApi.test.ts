/**
 * The webhook API on the real app and database: admins only, bad input a 400 naming the field, the
 * secret never answered nor audited, deletion stops deliveries and keeps the log.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, STORES, type TestLocation } from '../harness.js';
import { emitEvent } from '../../../server/webhooks/emitEvent.js';
import { MAX_WEBHOOKS } from '../../../server/webhooks/webhookChanges.js';
import { SECRET, startWebhookServer, type WebhookServer } from './support.js';

const good = { url: 'https://hooks.example.com/finch', events: ['build.published'], secret: SECRET };

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`webhook API on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: WebhookServer;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startWebhookServer(loc);
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    test.each([
      ['a non-http URL', { ...good, url: 'file:///etc/passwd' }, 'body/url'],
      ['a javascript: URL', { ...good, url: 'javascript:alert(1)' }, 'body/url'],
      ['a relative URL', { ...good, url: '/hook' }, 'body/url'],
      ['a URL with user:password', { ...good, url: 'https://user:pw@hooks.example.com/' }, 'body/url'],
      ['a URL too long', { ...good, url: `https://hooks.example.com/${'a'.repeat(2100)}` }, 'body/url'],
      ['no events', { ...good, events: [] }, 'body/events'],
      ['an unknown event', { ...good, events: ['build.deleted'] }, 'body/events/0'],
      ['"*" with others', { ...good, events: ['*', 'build.published'] }, 'body/events'],
      ['a short secret', { ...good, secret: 'short' }, 'body/secret'],
      ['a long secret', { ...good, secret: 's'.repeat(257) }, 'body/secret'],
      ['an unknown format', { ...good, format: 'xml' }, 'body/format'],
      ['no secret', { url: good.url, events: good.events }, 'body'],
      ['an unknown field', { ...good, extra: 1 }, 'body'],
    ])('refuses %s with 400 invalid-input', async (_name, body, field) => {
      const r = await s.call('POST', '/api/v1/webhooks', body, s.auth.admin);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('invalid-input');
      expect(String(r.json().error.details?.field ?? '')).toContain(field);
    });

    test('only admins: operators and publish tokens get 403, nobody 401', async () => {
      for (const who of [s.auth.operator, s.auth.publish]) {
        for (const [method, url, body] of [['POST', '/api/v1/webhooks', good], ['GET', '/api/v1/webhooks', undefined], ['DELETE', '/api/v1/webhooks/1', undefined], ['GET', '/api/v1/webhooks/1/deliveries', undefined]] as const) {
          const r = await s.call(method, url, body, who);
          expect(r.statusCode, `${method} ${url}`).toBe(403);
        }
      }
      expect((await s.call('GET', '/api/v1/webhooks')).statusCode).toBe(401);
    });

    test('the secret is taken, used, and never answered or audited', async () => {
      const created = await s.call('POST', '/api/v1/webhooks', { ...good, events: ['*'], format: 'slack' }, s.auth.admin);
      expect(created.statusCode, created.body).toBe(201);
      const hook = created.json();
      expect(hook).toMatchObject({ url: good.url, events: ['*'], format: 'slack', disabledAt: null });
      const listed = await s.call('GET', '/api/v1/webhooks', undefined, s.auth.admin);
      expect(listed.json().webhooks.map((w: { id: number }) => w.id)).toContain(hook.id);
      const audit = await s.call('GET', '/api/v1/audit?action=webhook.create', undefined, s.auth.admin);
      expect(audit.json().entries[0]).toMatchObject({ target: `webhook:${hook.id}`, actor: expect.stringMatching(/^token:/) });
      for (const text of [created.body, listed.body, audit.body]) expect(text).not.toContain(SECRET);
      // Stored, though: the dispatcher signs with it.
      const row = await s.deps.db.query<{ secret: string }>('SELECT secret FROM webhooks WHERE id = $1', [hook.id]);
      expect(row.rows[0]?.secret).toBe(SECRET);
    });

    test('delete: gone from the list, pending deliveries given up, the log kept, one audit row', async () => {
      const hook = (await s.call('POST', '/api/v1/webhooks', { ...good, url: 'http://127.0.0.1:9/never' }, s.auth.admin)).json();
      // Queued in a transaction, as the routes do; the dispatcher cannot reach port 9 (discard), which is fine:
      // either the attempt failed already or it is pending, and the deletion gives it up.
      await s.deps.db.tx((q) => emitEvent(q, 'build.published', { product: 'p', resourceId: 1, version: '1.0.0', baseUrl: '/x/' }));
      const first = await s.call('DELETE', `/api/v1/webhooks/${hook.id}`, undefined, s.auth.admin);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().disabledAt).not.toBeNull();
      const again = await s.call('DELETE', `/api/v1/webhooks/${hook.id}`, undefined, s.auth.admin);
      expect(again.statusCode).toBe(200);
      const audit = await s.call('GET', '/api/v1/audit?action=webhook.delete', undefined, s.auth.admin);
      expect(audit.json().entries.filter((e: { target: string }) => e.target === `webhook:${hook.id}`)).toHaveLength(1);
      const listed = await s.call('GET', '/api/v1/webhooks', undefined, s.auth.admin);
      expect(listed.json().webhooks.map((w: { id: number }) => w.id)).not.toContain(hook.id);
      const log = await s.call('GET', `/api/v1/webhooks/${hook.id}/deliveries`, undefined, s.auth.admin);
      expect(log.statusCode).toBe(200);
      expect(log.json().deliveries).toHaveLength(1);
      expect(log.json().deliveries[0]).toMatchObject({ event: 'build.published', status: 'failed' });
      // A deleted webhook gets no new deliveries.
      await s.deps.db.tx((q) => emitEvent(q, 'build.published', { product: 'p', resourceId: 2, version: '2.0.0', baseUrl: '/y/' }));
      expect((await s.call('GET', `/api/v1/webhooks/${hook.id}/deliveries`, undefined, s.auth.admin)).json().deliveries).toHaveLength(1);
    });

    test(`at most ${MAX_WEBHOOKS} webhooks exist, even when admins create them at once; deleting one makes room`, async () => {
      const existing = (await s.call('GET', '/api/v1/webhooks', undefined, s.auth.admin)).json().webhooks.length as number;
      const tries = await Promise.all(Array.from({ length: MAX_WEBHOOKS - existing + 5 }, () => s.call('POST', '/api/v1/webhooks', good, s.auth.admin)));
      expect(tries.filter((r) => r.statusCode === 201)).toHaveLength(MAX_WEBHOOKS - existing);
      const refused = tries.filter((r) => r.statusCode !== 201);
      expect(refused).toHaveLength(5);
      for (const r of refused) expect(r.json().error).toMatchObject({ code: 'invalid-input', details: { limit: MAX_WEBHOOKS } });
      const list = (await s.call('GET', '/api/v1/webhooks', undefined, s.auth.admin)).json().webhooks as Array<{ id: number }>;
      expect(list).toHaveLength(MAX_WEBHOOKS);
      for (const w of list) await s.call('DELETE', `/api/v1/webhooks/${w.id}`, undefined, s.auth.admin);
      expect((await s.call('POST', '/api/v1/webhooks', good, s.auth.admin)).statusCode).toBe(201);
    });

    test('unknown webhooks are 404, bad ids 400', async () => {
      expect((await s.call('DELETE', '/api/v1/webhooks/999999', undefined, s.auth.admin)).statusCode).toBe(404);
      expect((await s.call('GET', '/api/v1/webhooks/999999/deliveries', undefined, s.auth.admin)).statusCode).toBe(404);
      expect((await s.call('GET', '/api/v1/webhooks/abc/deliveries', undefined, s.auth.admin)).statusCode).toBe(400);
      expect((await s.call('GET', '/api/v1/webhooks/1/deliveries?limit=0', undefined, s.auth.admin)).statusCode).toBe(400);
    });

    test('the OpenAPI document lists the routes with summaries and the event names', async () => {
      const doc = (await s.call('GET', '/api/v1/openapi.json')).json();
      expect(doc.paths['/api/v1/webhooks'].post.summary).toMatch(/signed/);
      expect(doc.paths['/api/v1/webhooks/{id}/deliveries'].get.summary).toBeTruthy();
      expect(JSON.stringify(doc.paths['/api/v1/webhooks'].post)).toContain('rollout.guard-breached');
    });
  });
}
