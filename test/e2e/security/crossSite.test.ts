// Cross-site request forgery in a real browser: an admin is signed in to the control plane, and a page on
// another port of the same host (same site, so the SameSite=Strict cookie is sent) tries every
// cookie-authenticated mutation the API has: form posts in each encoding a form can send, and fetch
// with credentials. Every request that reaches the server is refused, and nothing changes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStrategy, seedProduct } from '../../server/harness.js';
import { auditCount } from '../../server/builds/support.js';
import { startAttackSite, type AttackSite } from './site.js';

/** Answer anyone, with no credentials: pages on any site call them (the SDK does). */
const ANONYMOUS = new Set(['POST /api/v1/console-version', 'POST /api/v1/reports']);

describe('another site cannot act with the operator session', () => {
  let site: AttackSite;
  let mutations: Array<{ method: string; url: string }>;
  let fullStrategy = 0;

  beforeAll(async () => {
    site = await startAttackSite();
    const s = site.server;
    const { resources } = await seedProduct(s, 'shop', ['1.0.0', '2.0.0']);
    fullStrategy = (await createStrategy(s, { product: 'shop', resourceId: resources['1.0.0'], status: 'full' })).id;
    await createStrategy(s, { product: 'shop', resourceId: resources['2.0.0'], status: 'gray', rule: { users: ['alice'] } });
    const ids: Record<string, string> = { name: 'shop', id: String(fullStrategy) };
    const doc = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    mutations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .map((m) => m.toUpperCase())
        .filter((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m) && !ANONYMOUS.has(`${m} ${path}`))
        .map((method) => ({ method, url: site.origin + path.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? '1') })),
    );
  });
  afterAll(async () => {
    await site?.stop();
  });

  test('every mutation, as forms and as fetch from the attacker\'s page: refused, nothing changed', async () => {
    const before = await auditCount(site.server);
    const posts = mutations.filter((m) => m.method === 'POST');
    expect(posts.map((m) => m.url)).toContain(`${site.origin}/api/v1/products/shop/rollback`);
    site.attacker.routes.set('/attack.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><body></body>');
    });
    const page = await site.context.newPage();
    try {
      await page.goto(`${site.attacker.origin}/attack.html`);
      await page.evaluate(async (list) => {
        const body = JSON.stringify({ name: 'pwned', scopes: ['admin'], status: 'off', username: 'mallory', password: 'mallory-password', role: 'admin' });
        // Forms: each posts into its own frame; the frame's load says the answer arrived.
        const forms = list.filter((m) => m.method === 'POST').flatMap((m) =>
          ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'].map((enctype, i) => new Promise<void>((resolve) => {
            const name = `f${Math.random().toString(36).slice(2)}${i}`;
            const frame = document.createElement('iframe');
            frame.name = name;
            document.body.append(frame);
            const form = document.createElement('form');
            form.method = 'POST';
            form.action = m.url;
            form.enctype = enctype;
            form.target = name;
            const input = document.createElement('input');
            input.name = body.slice(0, -1);
            input.value = '"x":1}';
            form.append(input);
            document.body.append(form);
            frame.onload = () => resolve();
            form.submit();
          })));
        // fetch with the cookie: POST needs no preflight (no-cors); other methods are preflighted and
        // the browser stops them unless the server allowed it, which it never does.
        const fetches = list.map((m) => fetch(m.url, {
          method: m.method,
          credentials: 'include',
          mode: m.method === 'POST' ? 'no-cors' : 'cors',
          headers: m.method === 'POST' ? { 'content-type': 'text/plain' } : { 'content-type': 'application/json' },
          body,
        }).then(() => undefined, () => undefined));
        await Promise.all([...forms, ...fetches]);
      }, mutations);
    } finally {
      await page.close();
    }
    // Every form and no-cors fetch reached the server, and every one was refused.
    const refused = site.foreign.filter((r) => r.method === 'POST');
    expect(refused.length).toBeGreaterThanOrEqual(posts.length * 4);
    expect(refused.filter((r) => r.status !== 403)).toEqual([]);
    expect(site.foreign.filter((r) => r.status < 400)).toEqual([]);
    expect(await auditCount(site.server)).toBe(before);
    expect(await site.tokensNamed('pwned')).toEqual([]);
    const strategy = await site.server.call('GET', `/api/v1/strategies/${fullStrategy}`, undefined, site.server.auth.admin);
    expect(strategy.json().status).toBe('full');
  });

  test('the console\'s own origin, with the same cookie, may do it', async () => {
    const status = await site.admin.evaluate(async () => {
      const r = await fetch('/api/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'console-made', scopes: ['publish'] }) });
      return r.status;
    });
    expect(status).toBe(201);
    expect(await site.tokensNamed('console-made')).toEqual(['console-made']);
  });
});
