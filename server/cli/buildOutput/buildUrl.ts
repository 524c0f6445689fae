/**
 * Turning a URL written in a build (an `index.html` tag, a manifest with a public path) into a file of
 * the build folder. Builds are often made for a base path (`/apps/dashboard/`), which is not where
 * Finch will serve them, so an absolute path is matched by its longest tail that names a file.
 */
import { FinchError } from '../../../core/FinchError.js';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * The build file `url` names, relative to the folder `from` (`''` for the top), or null when it names
 * no file of the build. A URL to another origin is refused: Finch serves the build from its own place,
 * so a page would still load that file from elsewhere.
 * @example buildFileOf('/apps/dashboard/assets/a.js', '', files) // 'assets/a.js'
 */
export function buildFileOf(url: string, from: string, files: ReadonlySet<string>, where: string): string | null {
  const raw = url.trim();
  if (raw.startsWith('//') || SCHEME.test(raw)) {
    throw new FinchError('invalid-input', `Failed to find the entry files: ${where} loads ${raw} from another origin, and Finch serves a build from one place. Bundle the file, or name the entry files with --files.`);
  }
  const bare = raw.replace(/[?#].*$/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(bare);
  } catch {
    return null;
  }
  if (decoded.startsWith('/')) {
    const parts = decoded.split('/').filter((p) => p !== '');
    for (let i = 0; i < parts.length; i++) {
      const tail = parts.slice(i).join('/');
      if (files.has(tail)) return tail;
    }
    return null;
  }
  const out: string[] = from === '' ? [] : from.split('/');
  for (const part of decoded.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  const file = out.join('/');
  return files.has(file) ? file : null;
}
