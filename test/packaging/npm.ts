/**
 * npm as the packaging tests use it: run with the environment of `npm test` stripped of npm's own
 * variables (a child npm would otherwise read the repository as its prefix and install there).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BROWSER_DIR = `${ROOT}packages/finch-gray`;

export interface Manifest {
  name: string;
  version: string;
  sideEffects?: unknown;
  bin?: Record<string, string>;
  files?: string[];
  exports: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as Manifest;

const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

export function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `npm pack` of the package in `dir`: the tarball's name and the paths inside it. */
export function pack(dir: string, destination: string | null): { filename: string; files: string[] } {
  const where = destination === null ? ['--dry-run'] : ['--pack-destination', destination];
  const [out] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', ...where], dir)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  return { filename: out!.filename, files: out!.files.map((f) => f.path).sort() };
}

/** Node in `cwd` running an ES module script; returns what it wrote to stdout. */
export function nodeIn(cwd: string, script: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
}

/** A bare specifier: a package name (scoped or not), maybe with a subpath. */
const PACKAGE_SPECIFIER = /^(?:@[a-z0-9~][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*(?:\/\S*)?$/;

/**
 * The packages a JavaScript or declaration file imports by bare name (`pkg`, `@scope/pkg`), from its
 * static and dynamic imports and `export … from`; relative paths and Node's built-ins are left out.
 */
export function bareImports(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) {
    const spec = m[1]!;
    // Text such as `'querystring/from'` also matches the loose pattern; only a package name can be an import.
    if (!PACKAGE_SPECIFIER.test(spec) || isBuiltin(spec)) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...names];
}
