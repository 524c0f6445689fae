// The built browser package as its users see it: every path of packages/finch-gray/package.json "exports",
// imported by Node through the package's name, exactly as `import … from 'finch-gray'` resolves (the
// repository links the package into node_modules as an npm workspace; `npm run build` fills its dist/).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageDir = `${root}packages/finch-gray/`;
const pkg = JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8')) as {
  name: string;
  version: string;
  sideEffects: unknown;
  exports: Record<string, string | Record<string, string>>;
};

/** Imports `specifier` in a fresh Node process from the repository root; returns its sorted export names. */
function exportsOf(specifier: string): string[] {
  const script = `const m = await import(${JSON.stringify(specifier)}, ${specifier.endsWith('.json') ? "{ with: { type: 'json' } }" : '{}'});
process.stdout.write(JSON.stringify(Object.keys(m).sort()));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })) as string[];
}

test('package.json: sideEffects false, ./package.json exported, every condition object lists types first', () => {
  expect(pkg.sideEffects).toBe(false);
  expect(Object.keys(pkg.exports).sort()).toEqual(['.', './core', './package.json', './qiankun', './single-spa', './sw', './vite', './webpack']);
  expect(pkg.exports['./package.json']).toBe('./package.json');
  for (const [path, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    expect(Object.keys(target)[0], path).toBe('types');
    for (const file of Object.values(target)) expect(existsSync(`${packageDir}${file}`), `${path} → ${file}`).toBe(true);
  }
});

test.each([
  [pkg.name, ['FinchError', 'createFinch']],
  [`${pkg.name}/single-spa`, ['lifecycles', 'registerWithFinch']],
  [`${pkg.name}/qiankun`, ['qiankunApp', 'qiankunEntry']],
  [`${pkg.name}/sw`, ['installFinch']],
  [`${pkg.name}/vite`, ['default', 'finch']],
  [`${pkg.name}/webpack`, ['FinchWebpackPlugin']],
  [`${pkg.name}/core`, ['FinchError', 'IDB_NAME', 'IDB_STORE', 'checkBaseUrl', 'compileRule', 'compileSnapshot', 'joinUrl', 'manifestKey', 'murmur3', 'resolveManifest', 'validateManifest']],
])('%s exports what it should', (specifier, names) => {
  expect(exportsOf(specifier)).toEqual(expect.arrayContaining(names));
});

test('the SDK entry exports nothing else', () => {
  expect(exportsOf(pkg.name)).toEqual(['FinchError', 'createFinch']);
});

test(`${pkg.name}/package.json is importable`, () => {
  expect(exportsOf(`${pkg.name}/package.json`)).toEqual(['default']);
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `import p from '${pkg.name}/package.json' with { type: 'json' }; process.stdout.write(p.version)`],
    { cwd: root, encoding: 'utf8' },
  );
  expect(out).toBe(pkg.version);
});

test('the SDK works from the built module: createFinch with a stub environment', () => {
  // The module bundle must not touch window/document at import time (sideEffects: false).
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `const { createFinch, FinchError } = await import('${pkg.name}'); process.stdout.write(typeof createFinch + ' ' + new FinchError('timeout', 'x').code)`],
    { cwd: root, encoding: 'utf8' },
  );
  expect(out).toBe('function timeout');
});
