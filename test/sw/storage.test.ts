import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, test } from 'vitest';
import { clear, get, set } from 'idb-keyval';
import { BAD_BUILDS_KEY, CURRENT_KEY, manifestKey } from '../../core/protocol.js';
import { loadStoredState, openStore, PINS_KEY, saveBad, savePins } from '../../sw/storage.js';
import { build, manifest, rig } from './fakes.js';

const store = openStore();
beforeEach(() => clear(store));

describe('the worker reads what the SDK stored (core/protocol.ts layout)', () => {
  test('current user → their manifest, bad builds, pins of open pages', async () => {
    const m = manifest(build(2, '2.0.0'), build(1, '1.0.0'));
    await set(CURRENT_KEY, { userId: 'alice' }, store);
    await set(manifestKey('alice'), { manifest: m, storedAt: 1, etag: null }, store);
    await set(manifestKey('bob'), { manifest: manifest(build(9, '9.0.0')), storedAt: 1, etag: null }, store);
    await set(BAD_BUILDS_KEY, { 7: 5 }, store);
    await set(PINS_KEY, { A: { dashboard: build(1, '1.0.0') } }, store);
    const w = rig();
    await loadStoredState(w.state, w.deps, store);
    expect(w.state.manifest?.products.dashboard?.resourceId).toBe(2);
    expect(w.state.bad).toEqual({ 7: 5 });
    expect(w.state.pins.get('A')?.dashboard?.resourceId).toBe(1);
  });

  test('the anonymous user (null) and no pointer at all', async () => {
    await set(CURRENT_KEY, { userId: null }, store);
    await set(manifestKey(null), { manifest: manifest(build(4, '4.0.0')), storedAt: 1, etag: null }, store);
    const w = rig();
    await loadStoredState(w.state, w.deps, store);
    expect(w.state.manifest?.products.dashboard?.resourceId).toBe(4);
    await clear(store);
    const empty = rig();
    await loadStoredState(empty.state, empty.deps, store);
    expect(empty.state.manifest).toBeNull();
  });

  test('a stored manifest with serviceWorker.enabled false throws the kill switch at start (kill switch)', async () => {
    await set(CURRENT_KEY, { userId: 'alice' }, store);
    await set(manifestKey('alice'), { manifest: manifest(build(2, '2.0.0'), undefined, false), storedAt: 1, etag: null }, store);
    const w = rig();
    await loadStoredState(w.state, w.deps, store);
    expect(w.state.off).toBe(true);
    expect(w.unregistered).toBe(1);
  });

  test('a tampered stored manifest is refused (unsafe URLs); the worker starts with none', async () => {
    const evil = manifest({ ...build(2, '2.0.0'), baseUrl: '//evil.test/' });
    await set(CURRENT_KEY, { userId: 'alice' }, store);
    await set(manifestKey('alice'), { manifest: evil, storedAt: 1, etag: null }, store);
    const w = rig();
    await expect(loadStoredState(w.state, w.deps, store)).rejects.toMatchObject({ code: 'unsafe-url' });
    expect(w.state.manifest).toBeNull();
  });

  test('bad builds are merged with what the SDK wrote; pins are written whole', async () => {
    await set(BAD_BUILDS_KEY, { 3: 1 }, store);
    await saveBad(store, 2, 10);
    await savePins(store, new Map([['A', { dashboard: build(1, '1.0.0') }]]));
    expect(await get(BAD_BUILDS_KEY, store)).toEqual({ 2: 10, 3: 1 });
    expect(await get(PINS_KEY, store)).toEqual({ A: { dashboard: build(1, '1.0.0') } });
  });

  test('the first bad build on an empty store; two saves at once both stay (one transaction each)', async () => {
    await Promise.all([saveBad(store, 4, 20), saveBad(store, 5, 30)]);
    expect(await get(BAD_BUILDS_KEY, store)).toEqual({ 4: 20, 5: 30 });
  });
});
