/**
 * The other side of the input guard and the strict limits: what they promise to accept is accepted,
 * stored and read back unchanged (emoji, nesting at the limit, leap days, the widest offsets, the
 * first and last years), so the refusals in badInput.test.ts are not bought by refusing too much.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, seedProduct, startServer, STORES, type TestLocation, type TestServer } from './harness.js';
import { MAX_FREE_FORM_DEPTH } from '../../server/model/limits.js';

const nested = (levels: number): unknown => {
  let v: unknown = 'leaf \u{1f426}';
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
};

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`accepted edge input on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let resourceId: number;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      resourceId = (await seedProduct(s, 'edge-app', ['1.0.0'])).resources['1.0.0']!;
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    test(`a config nested exactly ${MAX_FREE_FORM_DEPTH} levels, with emoji in keys and values, is stored as sent`, async () => {
      const config = { '\u{1f600} key': nested(MAX_FREE_FORM_DEPTH - 1), text: 'caf\u00e9 \ud83d\ude80' };
      const created = await s.call('POST', '/api/v1/resources', { product: 'edge-app', version: '2.0.0', config }, s.auth.publish);
      expect(created.statusCode).toBe(201);
      const read = await s.call('GET', `/api/v1/resources/${created.json().id}`, undefined, s.auth.admin);
      expect(read.json().config).toEqual(config);
      const deeper = await s.call('PATCH', `/api/v1/resources/${created.json().id}`, { config: { a: nested(MAX_FREE_FORM_DEPTH) } }, s.auth.publish);
      expect(deeper.statusCode).toBe(400);
      expect(deeper.json().error.details).toEqual({ field: 'body/config', limit: MAX_FREE_FORM_DEPTH });
    });

    test('text with surrogate pairs goes everywhere text goes', async () => {
      const product = await s.call('POST', '/api/v1/products', { name: 'emoji-app', description: '\u{1f426} finch' }, s.auth.admin);
      expect(product.statusCode).toBe(201);
      expect(product.json().description).toBe('\u{1f426} finch');
      const strategy = await s.call('POST', '/api/v1/strategies', {
        product: 'edge-app', resourceId, status: 'gray', salt: '\u{1f9c2}', rule: { any: [{ users: ['\u{1f600}'] }, { attr: 'team', op: 'eq', value: '\u{1f426}' }] },
      }, s.auth.operator);
      expect(strategy.statusCode).toBe(201);
      const manifest = await s.call('POST', '/api/v1/console-version', { products: ['edge-app'], userId: '\u{1f600}' });
      expect(manifest.json().products['edge-app'].strategyId).toBe(strategy.json().id);
    });

    test.each([
      ['a leap day with the widest offsets', '2028-02-29T23:59:59.999999+15:59', '2028-03-01T00:00:00-15:59'],
      ['the first and the last years, offsets crossing them', '1000-01-01T00:00:00+15:59', '9999-12-31T23:59:59-15:59'],
      ['lower-case t and z, nine fraction digits', '2030-01-01t00:00:00.123456789z', '2030-01-02T00:00:00+00:00'],
    ])('a window of %s is stored and read back', async (_name, startsAt, endsAt) => {
      const created = await s.call('POST', '/api/v1/strategies', { product: 'edge-app', resourceId, startsAt, endsAt }, s.auth.operator);
      expect(created.statusCode).toBe(201);
      const read = await s.call('GET', `/api/v1/strategies/${created.json().id}`, undefined, s.auth.admin);
      expect(read.statusCode).toBe(200);
      // Read back as the same instant (microseconds are kept by the database, milliseconds by Date).
      expect(new Date(read.json().startsAt).getTime()).toBe(Date.parse(startsAt));
      expect(new Date(read.json().endsAt).getTime()).toBe(Date.parse(endsAt));
      const audit = await s.call('GET', `/api/v1/audit?from=${encodeURIComponent(startsAt)}&limit=1`, undefined, s.auth.admin);
      expect(audit.statusCode).toBe(200);
    });
  });
}
