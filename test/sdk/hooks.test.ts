// @vitest-environment happy-dom
// The micro-frontend hook: called with this page's build once known and on every change, never after
// unregister; a refresh reaches later navigations only, so one page never mixes versions.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { ManifestEntry } from '../../core/manifest.js';
import { createFinch } from '../../sdk/createFinch.js';
import { memoryStore } from '../../sdk/FinchStore.js';
import { collect, controlPlane, entry, json, manifest, next } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const V1 = entry('dashboard', 40, '1.0.0');
const V2 = entry('dashboard', 42, '2.0.0');
const HEADER = entry('header', 10, '1.0.0');
const USERS: Record<string, Record<string, ManifestEntry>> = {
  alice: { dashboard: V2, header: HEADER },
  bob: { dashboard: V1, header: HEADER },
  carol: { dashboard: V1, header: HEADER },
  dave: { header: HEADER },
};

function setup() {
  const byUser = { ...USERS };
  let revision = 1;
  const cp = controlPlane(server, ({ body }) => json(manifest(body.userId, byUser[body.userId]!, { revision: revision++ })));
  const finch = createFinch({ endpoint: '/api/v1', products: ['dashboard', 'header'], store: memoryStore() });
  return { cp, finch, setUser: (u: string, p: Record<string, ManifestEntry>) => (byUser[u] = p) };
}

test('a hook registered before login waits for it; one registered after is called at once', async () => {
  const { finch } = setup();
  const early: (ManifestEntry | null)[] = [];
  const earlyAbsent: (ManifestEntry | null)[] = [];
  finch.register('dashboard', (e) => early.push(e));
  finch.register('nope', (e) => earlyAbsent.push(e));
  expect(early).toEqual([]);
  await finch.login('alice');
  expect(early).toEqual([V2]);
  // The first decision is news even when it is "no build": the micro-frontend mounts its stable one.
  expect(earlyAbsent).toEqual([null]);
  const late: (ManifestEntry | null)[] = [];
  finch.register('dashboard', (e) => late.push(e));
  expect(late).toEqual([V2]);
  const absent: (ManifestEntry | null)[] = [];
  finch.register('nope', (e) => absent.push(e));
  expect(absent).toEqual([null]);
});

test('called on every change of this page\'s build, not when it stays the same, never after unregister', async () => {
  const { finch } = setup();
  const seen: (number | null)[] = [];
  const headerSeen: (number | null)[] = [];
  const off = finch.register('dashboard', (e) => seen.push(e?.resourceId ?? null));
  finch.register('header', (e) => headerSeen.push(e?.resourceId ?? null));
  await finch.login('alice');
  await finch.login('bob'); // 42 → 40
  await finch.login('carol'); // same build: no call
  await finch.login('dave'); // product gone
  expect(seen).toEqual([42, 40, null]);
  expect(headerSeen).toEqual([10]);
  off();
  await finch.login('alice');
  await finch.logout();
  expect(seen).toEqual([42, 40, null]);
  expect(headerSeen).toEqual([10, null]);
});

test('refresh(): a new manifest is stored and announced, this page keeps its build and hooks stay quiet', async () => {
  const { finch, cp, setUser } = setup();
  const seen: (number | null)[] = [];
  finch.register('dashboard', (e) => seen.push(e?.resourceId ?? null));
  await finch.login('alice');
  setUser('alice', { dashboard: V1 });
  const update = next(finch, 'update');
  await finch.refresh();
  expect((await update).products.dashboard).toEqual(V1);
  expect(cp.calls).toHaveLength(2);
  expect(finch.resource('dashboard')).toEqual(V2);
  expect(seen).toEqual([42]);
});

test('a throwing hook becomes an error event and does not stop the others', async () => {
  const { finch } = setup();
  const errors = collect(finch, 'error');
  const seen: string[] = [];
  finch.register('dashboard', () => {
    throw new Error('mount failed');
  });
  finch.register('dashboard', (e) => seen.push(e!.version));
  await finch.login('alice');
  expect(seen).toEqual(['2.0.0']);
  expect(errors.map((e) => [e.code, (e.details.cause as Error).message])).toEqual([['internal', 'mount failed']]);
});

test('on() returns a function that removes the listener', async () => {
  const { finch } = setup();
  const ready: string[] = [];
  const off = finch.on('ready', (r) => ready.push(r.userId));
  await finch.login('alice');
  off();
  await finch.login('bob');
  expect(ready).toEqual(['alice']);
});
