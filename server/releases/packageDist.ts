/**
 * `dist/` of the server package `finch-gray-server`, where the build puts the browser files it serves
 * (`finch.js`, `finch.mjs`, `finch-sw.js`). The package root is also the repository's, so this works
 * from the source tree and from `dist/node`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'finch-gray-server';

/** Walks up from this module to the package.json named finch-gray-server; `./dist` when none is found. */
export function packageDistDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return path.join(dir, 'dist');
      } catch {
        // not ours; keep walking up
      }
    }
    dir = path.dirname(dir);
  }
  return path.resolve('dist');
}
