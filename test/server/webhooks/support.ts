/**
 * What the webhook tests share: the control plane started with short back-off (createDeps's seam), a
 * receiver on 127.0.0.1 that records every request and answers as told, and the signature check a
 * receiver does, written as docs/webhooks.md shows it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { createToken } from '../../../server/auth/tokens.js';
import { closeDeps, createDeps } from '../../../server/createDeps.js';
import type { ServerDeps } from '../../../server/deps.js';
import { configFor, type TestLocation } from '../harness.js';

export interface WebhookServer {
  app: FastifyInstance;
  deps: ServerDeps;
  auth: { admin: Record<string, string>; operator: Record<string, string>; publish: Record<string, string> };
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startWebhookServer(loc: TestLocation, backoffMs: readonly number[] = [100, 100]): Promise<WebhookServer> {
  const deps = await createDeps(configFor(loc), { logger: false, webhookBackoffMs: backoffMs });
  const app = await buildApp(deps);
  await app.ready();
  const bearer = async (scopes: string[]): Promise<Record<string, string>> => {
    const t = await createToken(deps.db, { name: `t-${randomBytes(3).toString('hex')}`, scopes, createdBy: 'test' });
    return { authorization: `Bearer ${t.token}` };
  };
  return {
    app,
    deps,
    auth: { admin: await bearer(['admin']), operator: await bearer(['operate']), publish: await bearer(['publish']) },
    call: (method, url, body, headers = {}) => app.inject({
      method,
      url,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    }),
    async close() {
      await app.close();
      await closeDeps(deps);
    },
  };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The status of the next answers, in order; 200 once they are used up. */
  answers: number[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answers.shift() ?? 200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answers,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A receiver's check, as docs/webhooks.md gives it: the HMAC of `<timestamp>.<raw body>`, a fresh timestamp. */
export function verifyFinchSignature(secret: string, headers: IncomingHttpHeaders, rawBody: string, maxAgeSeconds = 300): boolean {
  const timestamp = String(headers['x-finch-timestamp'] ?? '');
  const signature = String(headers['x-finch-signature'] ?? '');
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= maxAgeSeconds;
  return fresh && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

export const SECRET = 'a-test-secret-of-enough-length';
