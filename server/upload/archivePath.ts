import { checkFilePath } from '../../core/url/urlSafety.js';

/** Characters no stored file name may hold: separators, URL syntax, shell-ish wildcards, controls. */
const FORBIDDEN = /[\u0000-\u001f\u007f\\%?#:"<>|*]/;
const MAX_PATH = 1024;
const MAX_SEGMENT = 255;
const MAX_DEPTH = 32;

/**
 * The relative path an archive entry may be stored under, or a reason to refuse the whole archive.
 * Refuses absolute paths, drive letters, `..` and `.` segments, backslashes, percent signs (a name
 * like `%2e%2e` would decode differently in a URL) and empty segments. A leading `./` is dropped.
 */
export function archiveEntryPath(name: string): { ok: true; path: string } | { ok: false; reason: string } {
  let p = name;
  while (p.startsWith('./')) p = p.slice(2);
  if (p.endsWith('/')) p = p.slice(0, -1);
  if (p === '' || p === '.') return { ok: true, path: '' };
  if (p.startsWith('/')) return { ok: false, reason: 'absolute path' };
  if (/^[A-Za-z]:/.test(p)) return { ok: false, reason: 'drive letter' };
  if (p.length > MAX_PATH) return { ok: false, reason: 'path too long' };
  const segments = p.split('/');
  if (segments.length > MAX_DEPTH) return { ok: false, reason: 'nested too deeply' };
  for (const seg of segments) {
    if (seg === '..') return { ok: false, reason: 'parent directory segment (..)' };
    if (seg === '' || seg === '.') return { ok: false, reason: 'empty or . segment' };
    if (seg.length > MAX_SEGMENT) return { ok: false, reason: 'name too long' };
    if (FORBIDDEN.test(seg)) return { ok: false, reason: 'forbidden character' };
    if (seg.trim() !== seg) return { ok: false, reason: 'leading or trailing space' };
  }
  const joined = segments.join('/');
  // The same rule the manifest's file paths follow (unsafe URLs, docs/failures.md), so any stored file can be named in a manifest.
  try {
    checkFilePath(joined);
  } catch {
    return { ok: false, reason: 'unsafe file name' };
  }
  return { ok: true, path: joined };
}
