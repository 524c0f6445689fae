// Staged rollouts against the demo, through the public HTTP API only, as a script of an operator would
// drive them: a webhook receiver is registered, a three-stage rollout with one-second holds ends with
// the build full, and a second rollout whose gray build gets fallback reports ends rolled back, after
// which alice gets the stable build. The receiver checks every delivery's HMAC signature.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDemo } from '../../../demo/run.js';
import { client } from '../../../demo/seed.js';

const SECRET = 'a-receiver-secret-of-some-length';

interface Delivery {
  event: string;
  body: { type: string; data: Record<string, unknown> };
  signed: boolean;
}

let demo: Awaited<ReturnType<typeof startDemo>>;
let dataDir: string;
let receiver: Server;
const deliveries: Delivery[] = [];
let api: ReturnType<typeof client>;
let cookie: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'finch-demo-rollouts-'));
  demo = await startDemo({ port: 0, dataDir });
  receiver = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (c: string) => (raw += c)).on('end', () => {
      const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${req.headers['x-finch-timestamp']}.${raw}`).digest('hex');
      deliveries.push({ event: String(req.headers['x-finch-event']), body: JSON.parse(raw), signed: req.headers['x-finch-signature'] === expected });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  api = client(demo.url);
  cookie = await api.login('admin', 'finch-demo');
  await api.call('POST', '/webhooks', { cookie, body: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/finch`, events: ['*'], secret: SECRET } });
});

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await demo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Rollout = { id: number; state: string; stageIndex: number; decision: { reason: string; figures: Record<string, unknown> | null } };

async function resourceOf(product: string, version: string): Promise<number> {
  const list = (await api.call('GET', `/products/${product}/resources`, { cookie })) as { resources: Array<{ id: number; version: string }> };
  return list.resources.find((r) => r.version === version)!.id;
}

async function versionOf(userId: string, product: string): Promise<string> {
  const m = (await api.call('POST', '/console-version', { body: { userId, products: [product] } })) as { products: Record<string, { version: string }> };
  return m.products[product]!.version;
}

async function untilEnded(id: number): Promise<Rollout> {
  await expect.poll(async () => ((await api.call('GET', `/rollouts/${id}`, { cookie })) as Rollout).state, { interval: 200, timeout: 60_000 }).toMatch(/^(completed|rolled-back|aborted)$/);
  return (await api.call('GET', `/rollouts/${id}`, { cookie })) as Rollout;
}

/** The signed deliveries about rollout `id`, once `event` is among them (delivery is asynchronous). */
async function eventsOf(id: number, event: string): Promise<string[]> {
  const of = () => deliveries.filter((d) => d.body.data?.['rolloutId'] === id);
  await expect.poll(() => of().map((d) => d.event), { interval: 200, timeout: 30_000 }).toContain(event);
  expect(of().every((d) => d.signed)).toBe(true);
  return of().map((d) => d.event);
}

test('a three-stage rollout with one-second holds ends with the build full, and the receiver gets signed events', async () => {
  const header = await resourceOf('header', '1.1.0');
  const r = (await api.call('POST', '/rollouts', {
    cookie,
    body: { product: 'header', resourceId: header, stages: [{ percent: 10, holdSeconds: 1 }, { percent: 50, holdSeconds: 1 }, { percent: 100, holdSeconds: 1 }] },
  })) as Rollout;
  const ended = await untilEnded(r.id);
  expect(ended).toMatchObject({ state: 'completed', stageIndex: 2 });
  expect(await versionOf('bob', 'header')).toBe('1.1.0');
  expect(await eventsOf(r.id, 'rollout.finished')).toEqual(['rollout.stage-advanced', 'rollout.stage-advanced', 'rollout.finished']);
});

test('fallback reports of the gray build roll the second rollout back; alice gets the stable build; signed events', async () => {
  const gray = await resourceOf('dashboard', '2.0.0');
  const r = (await api.call('POST', '/rollouts', {
    cookie,
    body: {
      // The defaults do the rest: judge from 10 users, roll back on a breach.
      product: 'dashboard', resourceId: gray,
      stages: [{ percent: 50, holdSeconds: 60 }, { percent: 100, holdSeconds: 60 }],
      guard: { maxFallbackRate: 0.05 },
    },
  })) as Rollout;
  expect(await versionOf('alice', 'dashboard')).toBe('2.0.0');
  // As a script would send them: plain reports, no token (the demo counts them: FINCH_REPORT_TOKENS=optional).
  const reports = [
    ...Array.from({ length: 10 }, () => ({ product: 'dashboard', resourceId: gray, kind: 'exposure' })),
    ...Array.from({ length: 5 }, () => ({ product: 'dashboard', resourceId: gray, kind: 'load-error' })),
  ];
  await api.call('POST', '/reports', { body: reports });

  const ended = await untilEnded(r.id);
  expect(ended.state).toBe('rolled-back');
  expect(ended.decision.reason).toMatch(/fallback rate/);
  // The demo's own gray strategy for alice served the same build: the rollback turned it off too.
  expect(await versionOf('alice', 'dashboard')).toBe('1.0.0');
  expect(await eventsOf(r.id, 'rollout.rolled-back')).toEqual(['rollout.guard-breached', 'rollout.rolled-back']);
});
