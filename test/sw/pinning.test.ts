import { beforeEach, describe, expect, test } from 'vitest';
import { applyManifest } from '../../sw/applyManifest.js';
import { handleMessage } from '../../sw/handleMessage.js';
import { createState } from '../../sw/state.js';
import { build, manifest, rig, text } from './fakes.js';
import type { Rig } from './fakes.js';

const v1 = manifest(build(1, '1.0.0'));
const v2 = manifest(build(2, '2.0.0'), build(1, '1.0.0'));

let w: Rig;
beforeEach(async () => {
  w = rig();
  for (const id of [1, 2]) {
    w.serve(`/releases/dashboard/${id}/main.js`, `main ${id}`);
    w.serve(`/releases/dashboard/${id}/chunk.js`, `chunk ${id}`);
  }
  await handleMessage({ type: 'finch:manifest', manifest: v1, pin: false }, 'A', w.state, w.deps);
});

describe('Mixed versions: one page keeps one build per product for its whole life', () => {
  test('a refresh (pin: false) reaches new pages only; the open page keeps its chunks', async () => {
    w.navigate('/', 'A');
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('main 1');
    await handleMessage({ type: 'finch:manifest', manifest: v2, pin: false }, 'A', w.state, w.deps);
    expect(await text(w.get('/apps/dashboard/chunk.js', 'A'))).toBe('chunk 1');
    w.navigate('/', 'B');
    expect(await text(w.get('/apps/dashboard/chunk.js', 'B'))).toBe('chunk 2');
    expect(await text(w.get('/apps/dashboard/chunk.js', 'A'))).toBe('chunk 1');
  });

  test('a page is pinned at its navigation, not at its first asset request', async () => {
    w.navigate('/', 'B');
    await applyManifest(w.state, w.deps, v2);
    expect(await text(w.get('/apps/dashboard/main.js', 'B'))).toBe('main 1');
  });

  test('a page this worker never saw navigate is pinned on its first request', async () => {
    expect(await text(w.get('/apps/dashboard/main.js', 'C'))).toBe('main 1');
    await applyManifest(w.state, w.deps, v2);
    expect(await text(w.get('/apps/dashboard/chunk.js', 'C'))).toBe('chunk 1');
  });

  test('login/logout (pin: true) re-pin the sending page only', async () => {
    w.navigate('/', 'A');
    w.navigate('/', 'B');
    await handleMessage({ type: 'finch:manifest', manifest: v2, pin: true }, 'B', w.state, w.deps);
    expect(await text(w.get('/apps/dashboard/main.js', 'B'))).toBe('main 2');
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('main 1');
    await handleMessage({ type: 'finch:manifest', manifest: null, pin: true }, 'B', w.state, w.deps);
    expect(w.get('/apps/dashboard/main.js', 'B')).toBeUndefined();
    expect(await text(w.get('/apps/dashboard/chunk.js', 'A'))).toBe('chunk 1');
  });

  test('a restarted or updated worker reads the stored pins and keeps open pages on their builds', async () => {
    w.navigate('/', 'A');
    await applyManifest(w.state, w.deps, v2);
    expect(w.savedPins?.A?.dashboard?.resourceId).toBe(1);
    // What loadStoredState does with the stored value (storage.test.ts covers the IndexedDB round trip).
    w.state = createState(w.state.config);
    w.state.manifest = v2;
    for (const [id, pins] of Object.entries(w.savedPins!)) w.state.pins.set(id, pins);
    expect(await text(w.get('/apps/dashboard/chunk.js', 'A'))).toBe('chunk 1');
    w.navigate('/', 'B');
    expect(await text(w.get('/apps/dashboard/chunk.js', 'B'))).toBe('chunk 2');
  });

  test('pins of pages that are gone are dropped on the next manifest change', async () => {
    w.navigate('/', 'A');
    w.navigate('/', 'Z');
    w.clients = ['A'];
    await applyManifest(w.state, w.deps, v2);
    expect([...w.state.pins.keys()]).toEqual(['A']);
    expect(Object.keys(w.savedPins!)).toEqual(['A']);
  });
});
