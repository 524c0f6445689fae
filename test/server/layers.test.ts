/**
 * The control plane's layers, lowest first. A module imports from its own layer or lower ones, never
 * higher: core (pure, outside server/) < model (pure server facts, configuration) < db (the driver
 * seam) < store (one module per table, all the SQL) < domain (services: auth decisions, builds,
 * strategies, snapshot, identity, input, uploads, reports, metrics) < http (routes, plugins, the hot
 * path) < app (app, deps, main, the command line). The imports are read from the source as text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const LAYERS: ReadonlyArray<readonly [name: string, members: readonly string[]]> = [
  ['core', ['core/']],
  ['model', ['server/config.ts', 'server/model/']],
  ['db', ['server/db/']],
  ['store', ['server/store/']],
  ['domain', [
    'server/auth/', 'server/builds/', 'server/products/', 'server/strategies/', 'server/snapshot/', 'server/identity/',
    'server/input/', 'server/upload/', 'server/reports/', 'server/metrics/', 'server/rollouts/', 'server/webhooks/', 'server/deps.ts',
  ]],
  ['http', ['server/http/', 'server/routes/', 'server/hotPath/', 'server/errors/', 'server/releases/']],
  ['app', ['server/app.ts', 'server/createDeps.ts', 'server/main.ts', 'server/cli.ts', 'server/cli/']],
];

/** The layer's index (higher is further from the data), or -1 for a file no layer names. */
function layerOf(file: string): number {
  return LAYERS.findIndex(([, members]) => members.some((m) => (m.endsWith('/') ? file.startsWith(m) : file === m)));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Every module specifier of static imports and re-exports, and of `import('…')` with a literal. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gm)) found.push(m[1]!);
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) found.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push(m[1]!);
  return found;
}

/** A relative specifier as the repository path of its TypeScript source. */
function resolve(from: string, specifier: string): string {
  return path.posix.join(path.posix.dirname(from), specifier).replace(/\.js$/, '.ts');
}

const SERVER = sourceFiles('server');
const EDGES = SERVER.flatMap((from) => importsOf(from).map((specifier) => ({ from, specifier })));
const RELATIVE = EDGES.filter((e) => e.specifier.startsWith('.')).map((e) => ({ from: e.from, to: resolve(e.from, e.specifier) }));

describe('server layers', () => {
  test('the import reader sees the server\'s imports', () => {
    expect(SERVER.length).toBeGreaterThan(50);
    expect(RELATIVE).toContainEqual({ from: 'server/app.ts', to: 'server/routes/products.ts' });
  });

  test('every server module belongs to one layer', () => {
    expect(SERVER.filter((f) => layerOf(f) === -1)).toEqual([]);
  });

  test('imports go to the same layer or a lower one', () => {
    const upward = RELATIVE
      .filter((e) => layerOf(e.to) > layerOf(e.from))
      .map((e) => `${e.from} (${LAYERS[layerOf(e.from)]![0]}) imports ${e.to} (${LAYERS[layerOf(e.to)]![0]})`);
    expect(upward).toEqual([]);
  });

  test('route modules share only the schemas: what two routes need lives in a store or a service', () => {
    const sideways = RELATIVE.filter((e) => e.from.startsWith('server/routes/') && e.to.startsWith('server/routes/') && e.to !== 'server/routes/schemas.ts');
    expect(sideways).toEqual([]);
  });

  test('only server/db/ imports a database driver', () => {
    const drivers = EDGES.filter((e) => /^(pg|@electric-sql\/pglite)(\/|$)/.test(e.specifier) && !e.from.startsWith('server/db/'));
    expect(drivers).toEqual([]);
  });

  test('only the http and app layers import the web framework', () => {
    const http = LAYERS.findIndex(([name]) => name === 'http');
    const framework = EDGES.filter((e) => /^(fastify|fastify-plugin|@fastify\/(?!proxy-addr$).+)$/.test(e.specifier) && layerOf(e.from) < http);
    expect(framework).toEqual([]);
  });
});
