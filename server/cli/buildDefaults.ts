/**
 * What `finch publish` uses when neither a flag, `finch.config.json` nor the Finch build manifest names
 * the product or the version: the app's nearest package.json above the build folder, and the build's
 * own content. So `finch publish --dir dist` works for a plain build, and publishing a changed build
 * again never collides with the earlier one.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PRODUCT_NAME } from '../../core/manifest.js';

/** The same shape the server accepts for a version. */
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

export interface PackageFacts {
  /** The package.json read. */
  file: string;
  /** Its name without the npm scope, when that is a product name. */
  product?: string;
  /** Its version, when the server would take it as a build version (at most 55 characters, for a suffix). */
  version?: string;
}

/** The nearest package.json in `dir` or a folder above it; null when there is none or it is not JSON. */
export async function nearestPackage(dir: string): Promise<PackageFacts | null> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const file = path.join(at, 'package.json');
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return null;
      }
      const { name, version } = (json ?? {}) as { name?: unknown; version?: unknown };
      const unscoped = typeof name === 'string' ? name.replace(/^@[^/]+\//, '') : undefined;
      return {
        file,
        ...(unscoped !== undefined && PRODUCT_NAME.test(unscoped) ? { product: unscoped } : {}),
        ...(typeof version === 'string' && version.length <= 55 && VERSION.test(version) ? { version } : {}),
      };
    }
    if (path.dirname(at) === at) return null;
  }
}

/** Eight hex digits of the build's content: every uploaded file's name and hash. */
export function contentTag(integrity: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const file of Object.keys(integrity).sort()) hash.update(`${file}\0${integrity[file]}\0`);
  return hash.digest('hex').slice(0, 8);
}

/**
 * The versions to try, in order, when none was given: the package's version, then (when the server
 * already has that version with other content) that version tagged with the content as semver build
 * metadata, like `1.4.0+3fa9c2d1`. Without a package version only the tagged `0.0.0+…` is tried.
 */
export function versionCandidates(packageVersion: string | undefined, tag: string): string[] {
  return packageVersion === undefined ? [`0.0.0+${tag}`] : [packageVersion, `${packageVersion}${packageVersion.includes('+') ? '.' : '+'}${tag}`];
}
