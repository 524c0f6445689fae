/** What the rollout tests share: a product with a stable full build and a new one, and reading rollouts. */
import { expect } from 'vitest';
import { createStrategy, seedProduct, type TestServer } from '../harness.js';

export interface Rollout {
  id: number;
  state: string;
  stageIndex: number;
  stageStartedAt: string;
  strategyId: number;
  decision: { reason: string; figures: Record<string, unknown> | null; at: string };
  commands: string[];
}

/** `name` with 1.0.0 full and 2.0.0 deployed but served to nobody. */
export async function seedTwoBuilds(s: TestServer, name: string): Promise<{ stable: number; next: number; fullId: number }> {
  const { resources } = await seedProduct(s, name, ['1.0.0', '2.0.0']);
  const full = await createStrategy(s, { product: name, resourceId: resources['1.0.0'], status: 'full' });
  return { stable: resources['1.0.0']!, next: resources['2.0.0']!, fullId: full.id };
}

export async function startRollout(s: TestServer, body: Record<string, unknown>): Promise<Rollout> {
  const r = await s.call('POST', '/api/v1/rollouts', body, s.auth.operator);
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as Rollout;
}

export async function readRollout(s: TestServer, id: number): Promise<Rollout> {
  const r = await s.call('GET', `/api/v1/rollouts/${id}`, undefined, s.auth.viewer);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Rollout;
}

/** Asks until the rollout has ended (the engine runs on its own timer), then returns it. */
export async function untilEnded(s: TestServer, id: number, timeout = 30_000): Promise<Rollout> {
  await expect.poll(async () => (await readRollout(s, id)).state, { interval: 100, timeout }).not.toMatch(/^(running|paused)$/);
  return readRollout(s, id);
}

/** The audit rows of one rollout, oldest first. */
export async function rolloutAudit(s: TestServer, product: string, id: number): Promise<Array<{ action: string; actor: string; before: { stageIndex?: number } | null; after: { stageIndex: number; state: string; reason: string; figures: Record<string, unknown> | null } }>> {
  const r = await s.call('GET', `/api/v1/audit?product=${product}&limit=500`, undefined, s.auth.admin);
  expect(r.statusCode, r.body).toBe(200);
  const entries = (r.json() as { entries: Array<{ action: string; target: string }> }).entries;
  return entries.filter((e) => e.target === `rollout:${id}`).reverse() as never;
}

export async function versionFor(s: TestServer, product: string, userId: string): Promise<string | undefined> {
  const r = await s.call('POST', '/api/v1/console-version', { products: [product], userId });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { products: Record<string, { version: string }> }).products[product]?.version;
}

/** The report token in `userId`'s manifest entry of `product` (present while a rollout watches the product). */
export async function reportTokenFor(s: TestServer, product: string, userId: string): Promise<string> {
  const r = await s.call('POST', '/api/v1/console-version', { products: [product], userId });
  expect(r.statusCode, r.body).toBe(200);
  const token = (r.json() as { products: Record<string, { reportToken?: string }> }).products[product]?.reportToken;
  expect(token, `a report token for ${userId}`).toBeTypeOf('string');
  return token!;
}

/** One report of `kind` per user, each signed with that user's token from their own manifest, as the SDK sends them. */
export async function signedReports(s: TestServer, product: string, resourceId: number, users: readonly string[], kind: string): Promise<Array<Record<string, unknown>>> {
  return Promise.all(users.map(async (u) => ({ product, resourceId, kind, token: await reportTokenFor(s, product, u) })));
}
