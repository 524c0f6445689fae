// The stage for the attacks on an operator's session: the control plane listening on a loopback port,
// an admin signed in to it in Chromium, and an attacker's site on another port of the same host (another
// origin, the same site: SameSite=Strict cookies still flow, which is what makes it the hard case).
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { createLocation, startServer, type TestLocation, type TestServer } from '../../server/harness.js';
import { startBrowser, startStaticServer, type BrowserHandle, type StaticServer } from '../harness/index.js';

export const ADMIN_PASSWORD = 'test-admin-password'; // the harness's FINCH_ADMIN_PASSWORD

export interface AttackSite {
  server: TestServer;
  /** `http://127.0.0.1:<port>` of the control plane. */
  origin: string;
  attacker: StaticServer;
  browser: BrowserHandle;
  context: BrowserContext;
  /** A tab of the signed-in admin, on the control plane's origin. */
  admin: Page;
  /** Every request the control plane answered that named an Origin other than its own. */
  foreign: Array<{ method: string; url: string; status: number }>;
  /** Tokens whose name starts with `prefix` (what an attack would have minted). */
  tokensNamed(prefix: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startAttackSite(opts: { beforeReady?: (app: FastifyInstance) => void } = {}): Promise<AttackSite> {
  const loc: TestLocation = await createLocation('pglite');
  const foreign: AttackSite['foreign'] = [];
  let origin = '';
  const server = await startServer(loc, {
    beforeReady: (app) => {
      app.addHook('onResponse', async (request, reply) => {
        const from = request.headers.origin;
        if (from !== undefined && from !== origin) foreign.push({ method: request.method, url: request.url, status: reply.statusCode });
      });
      opts.beforeReady?.(app);
    },
  });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const attacker = await startStaticServer();
  const browser = await startBrowser();
  const context = await browser.newContext();
  const admin = await context.newPage();
  await admin.goto(`${origin}/api/v1/openapi.json`);
  const signedIn = await admin.evaluate(async (password) => {
    const r = await fetch('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    return r.status;
  }, ADMIN_PASSWORD);
  if (signedIn !== 200) throw new Error(`admin sign-in in the browser: ${signedIn}`);
  return {
    server,
    origin,
    attacker,
    browser,
    context,
    admin,
    foreign,
    async tokensNamed(prefix) {
      const r = await server.deps.db.query<{ name: string }>('SELECT name FROM api_tokens WHERE starts_with(name, $1) ORDER BY id', [prefix]);
      return r.rows.map((row) => row.name);
    },
    async stop() {
      await browser.stop();
      await attacker.close();
      await server.close();
      await loc.dispose();
    },
  };
}
