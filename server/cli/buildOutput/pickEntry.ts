/** Choosing the one entry a micro-frontend loads when a build manifest lists several. */
import { FinchError } from '../../../core/FinchError.js';

/**
 * The only entry, or the one `wanted` (from --entry) matches by any of its `names`. Several entries and
 * no choice is an error: loading all of a multi-page build's entries would run every page.
 */
export function pickEntry<T>(entries: [string, T][], wanted: string | undefined, source: string, names: (key: string, value: T) => string[]): [string, T] {
  if (wanted !== undefined) {
    const hit = entries.find(([k, v]) => names(k, v).includes(wanted));
    if (hit === undefined) {
      throw new FinchError('invalid-input', `Failed to find the entry "${wanted}" (from --entry) in the ${source}: it has ${entries.map(([k]) => k).join(', ') || 'no entries'}.`);
    }
    return hit;
  }
  if (entries.length === 1) return entries[0]!;
  throw new FinchError('invalid-input', entries.length === 0
    ? `Failed to find the entry files: the ${source} lists no entry. Name the entry files with --files.`
    : `Failed to find the entry files: the ${source} lists ${entries.length} entries (${entries.map(([k]) => k).join(', ')}); a micro-frontend loads one. Choose it with --entry.`);
}
