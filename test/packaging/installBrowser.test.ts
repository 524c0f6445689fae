/**
 * Installing the browser package the way its users do: `npm pack` it, install the tarball into an empty
 * project in a temporary folder (its three small dependencies come from the registry), then check that no
 * server package came along and that the SDK, the worker module, core and the bundler plugins resolve,
 * load and type-check.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BROWSER_DIR, ROOT, nodeIn, npm, pack, readManifest } from './npm.js';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

let dir = '';
let app = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'finch-packaging-'));
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const { filename } = pack(BROWSER_DIR, dir);
  npm(['install', join(dir, filename), '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], app);
}, 180_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** Every package folder under node_modules, nested ones included (`a`, `@scope/b`, `a/node_modules/c`). */
function installed(modules: string): string[] {
  if (!existsSync(modules)) return [];
  return readdirSync(modules).flatMap((entry) => {
    if (entry.startsWith('.')) return [];
    const names = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
    return names.flatMap((name) => [name, ...installed(join(modules, name, 'node_modules'))]);
  });
}

describe('npm install finch-gray', () => {
  test("import finch from 'finch-gray/vite' gives a Vite plugin for the product", () => {
    const out = nodeIn(
      app,
      `import finch from 'finch-gray/vite';
import { FinchWebpackPlugin } from 'finch-gray/webpack';
const plugin = finch({ product: 'dashboard' });
let refused = '';
try { new FinchWebpackPlugin({ product: 'Not A Name' }); } catch (err) { refused = err.name + ' ' + err.code; }
process.stdout.write(JSON.stringify({ name: plugin.name, apply: plugin.apply, refused }));`,
    );
    expect(JSON.parse(out)).toEqual({ name: 'finch-gray', apply: 'build', refused: 'FinchError invalid-input' });
  });

  test('installs no server dependency', () => {
    const packages = installed(join(app, 'node_modules'));
    expect(packages).toContain('finch-gray');
    const browserDeps = Object.keys(readManifest(BROWSER_DIR).dependencies ?? {});
    const serverOnly = Object.keys(readManifest(ROOT).dependencies ?? {}).filter((name) => !browserDeps.includes(name));
    expect(serverOnly).toEqual(expect.arrayContaining(['@electric-sql/pglite', 'fastify', 'pg']));
    expect(packages.filter((name) => serverOnly.includes(name))).toEqual([]);
  });

  test.each([
    ['finch-gray', 'dist/finch.mjs', ['FinchError', 'createFinch']],
    ['finch-gray/single-spa', 'dist/finch-single-spa.mjs', ['lifecycles', 'registerWithFinch']],
    ['finch-gray/qiankun', 'dist/finch-qiankun.mjs', ['qiankunApp', 'qiankunEntry']],
    ['finch-gray/sw', 'dist/finch-sw.mjs', ['installFinch']],
    ['finch-gray/core', 'dist/core/index.js', ['compileRule', 'resolveManifest', 'validateManifest']],
    // Without vite or webpack installed: the plugins need them only as types.
    ['finch-gray/vite', 'dist/vite.js', ['default', 'finch']],
    ['finch-gray/webpack', 'dist/webpack.js', ['FinchWebpackPlugin']],
  ])('%s resolves to %s and loads in Node', (specifier, file, names) => {
    const out = nodeIn(
      app,
      `const m = await import(${JSON.stringify(specifier)});
process.stdout.write(JSON.stringify({ url: import.meta.resolve(${JSON.stringify(specifier)}), names: Object.keys(m) }));`,
    );
    const { url, names: exported } = JSON.parse(out) as { url: string; names: string[] };
    expect(url).toBe(`file://${join(app, 'node_modules/finch-gray', file)}`);
    expect(exported).toEqual(expect.arrayContaining(names));
  });

  test.each([
    ['finch-gray', 'dist/types/sdk/index.d.ts'],
    ['finch-gray/single-spa', 'dist/types/sdk/adapters/singleSpa.d.ts'],
    ['finch-gray/qiankun', 'dist/types/sdk/adapters/qiankun.d.ts'],
    ['finch-gray/sw', 'dist/types/sw/index.d.ts'],
    ['finch-gray/core', 'dist/core/index.d.ts'],
    ['finch-gray/vite', 'dist/types/bundler/vite.d.ts'],
    ['finch-gray/webpack', 'dist/types/bundler/webpack.d.ts'],
  ])('TypeScript resolves %s to %s', (specifier, file) => {
    const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
    const { resolvedModule } = ts.resolveModuleName(specifier, join(app, 'index.ts'), options, ts.sys);
    expect(resolvedModule?.resolvedFileName).toBe(join(app, 'node_modules/finch-gray', file));
  });

  // DOM and WebWorker declarations cannot share one program, so the page and the worker compile apart,
  // strict and with the packages' own declarations checked (skipLibCheck off).
  test.each([
    ['page', 'DOM', `import { createFinch, FinchError, type Finch } from 'finch-gray';
const finch: Finch = createFinch({ endpoint: '/api/v1', products: ['header'] });
const code: string = new FinchError('timeout', 'late').code;
export { finch, code };`],
    ['worker', 'WebWorker', `import { installFinch, type FinchSwOptions } from 'finch-gray/sw';
const options: FinchSwOptions = {};
installFinch(options);`],
  ])('a strict TypeScript %s using the package compiles', (name, lib, source) => {
    const project = join(app, name);
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'index.ts'), source);
    const compilerOptions = { strict: true, skipLibCheck: false, noEmit: true, module: 'NodeNext', target: 'ES2022', lib: ['ES2022', lib], types: [] };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
    let output = '';
    try {
      execFileSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(output).toBe('');
  });
});
