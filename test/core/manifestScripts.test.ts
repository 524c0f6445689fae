// The manifest's `scripts` comes from what `finch publish` recorded in a resource's config
// (`config.finch.scripts`); the snapshot carries only kinds clients know, for the build's own files.
import { expect, test } from 'vitest';
import { compileSnapshot, resolveProduct } from '../../core/index.js';
import type { ResourceRow, SnapshotInput } from '../../core/index.js';
import { validatePageManifest } from '../../core/validateManifest.js';

function res(id: number, config: Record<string, unknown>): ResourceRow {
  return { id, product: 'shop', version: `${id}.0.0`, status: 'deployed', baseUrl: `/releases/shop/${id}/`, files: ['main.css', 'js/app.js', 'assets/index.js'], integrity: {}, config, dependencies: [] };
}

function entryFor(gray: ResourceRow, full: ResourceRow) {
  const input: SnapshotInput = {
    revision: 1,
    ttlSeconds: 60,
    serviceWorkerEnabled: true,
    products: [{ id: 1, name: 'shop' }],
    resources: [gray, full],
    strategies: [
      { id: 1, product: 'shop', resourceId: full.id, status: 'full', priority: 0, rule: null, salt: null, startsAt: null, endsAt: null, updatedAt: 0 },
      { id: 2, product: 'shop', resourceId: gray.id, status: 'gray', priority: 0, rule: { users: ['alice'] }, salt: null, startsAt: null, endsAt: null, updatedAt: 0 },
    ],
  };
  return resolveProduct(compileSnapshot(input), 'shop', { userId: 'alice', ip: '10.0.0.1', attributes: {} }, 0);
}

const none = res(1, {});

test.each<[string, Record<string, unknown>, Record<string, string> | undefined]>([
  ['recorded kinds', { finch: { scripts: { 'js/app.js': 'classic', 'assets/index.js': 'module' } } }, { 'js/app.js': 'classic', 'assets/index.js': 'module' }],
  ['nothing recorded', { theme: 'dark' }, undefined],
  ['finch not an object', { finch: 'yes' }, undefined],
  ['scripts not an object', { finch: { scripts: 'classic' } }, undefined],
  ['an unknown kind is left out', { finch: { scripts: { 'js/app.js': 'classic', 'assets/index.js': 'worker' } } }, { 'js/app.js': 'classic' }],
  ['a file outside the build is left out', { finch: { scripts: { 'js/app.js': 'classic', 'js/other.js': 'classic' } } }, { 'js/app.js': 'classic' }],
  ['nothing left: absent', { finch: { scripts: { 'js/other.js': 'classic' } } }, undefined],
])('%s', (_, config, want) => {
  const entry = entryFor(res(2, config), none);
  expect(entry?.scripts).toEqual(want);
  expect(entry?.config).toEqual(config);
});

test('the fallback carries its own build\'s kinds', () => {
  const entry = entryFor(res(2, {}), res(1, { finch: { scripts: { 'js/app.js': 'classic' } } }));
  expect(entry?.scripts).toBeUndefined();
  expect(entry?.fallback?.scripts).toEqual({ 'js/app.js': 'classic' });
});

test('what the snapshot carries is what clients accept', () => {
  const entry = entryFor(res(2, { finch: { scripts: { 'js/app.js': 'classic', x: 'nope' } } }), res(1, { finch: { scripts: { 'assets/index.js': 'module' } } }));
  const manifest = { schema: 1, userId: 'alice', revision: 1, ttlSeconds: 60, serviceWorker: { enabled: true }, products: { shop: JSON.parse(JSON.stringify(entry)) } };
  const out = validatePageManifest(manifest, { origin: 'http://127.0.0.1', allowedOrigins: [] });
  expect(out.products.shop?.scripts).toEqual({ 'js/app.js': 'classic' });
  expect(out.products.shop?.fallback?.scripts).toEqual({ 'assets/index.js': 'module' });
});
