/** The lines `finch publish` prints about a build before sending it, so a CI log shows what went out. */
import type { FoundEntries } from './FoundEntries.js';
import { formatBytes } from '../../../core/formatBytes.js';
import type { UploadSelection } from './uploadSelection.js';

/**
 * @example
 * describeEntries(found, 14, 312_000)
 * // 'vite manifest: entry src/main.jsx → assets/index-abc.js (module), assets/index-def.css; 14 files, 312 kB'
 */
export function describeEntries(found: Pick<FoundEntries, 'source' | 'entry' | 'files' | 'scripts'>, fileCount: number, bytes: number): string {
  const files = [...found.files.filter((f) => !f.endsWith('.css')), ...found.files.filter((f) => f.endsWith('.css'))]
    .map((f) => (found.scripts[f] ? `${f} (${found.scripts[f]})` : f));
  const entry = found.entry !== undefined ? `entry ${found.entry} → ` : '';
  return `${found.source}: ${entry}${files.join(', ')}; ${fileCount} file${fileCount === 1 ? '' : 's'}, ${formatBytes(bytes)}`;
}

/** "left out: index.html (the page), 3 source maps" or null when nothing was. */
export function describeLeftOut(leftOut: UploadSelection['leftOut']): string | null {
  if (leftOut.size === 0) return null;
  const parts = [...leftOut].map(([why, files]) => (files.length <= 3 ? `${files.join(', ')} (${why})` : `${files.length} files (${why})`));
  return `left out: ${parts.join('; ')}`;
}
