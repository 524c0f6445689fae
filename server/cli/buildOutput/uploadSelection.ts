/**
 * Which files of a build folder are published: what a page may fetch (scripts, chunks, styles, images,
 * fonts…), not the page itself, the bundler's records, source maps (unless asked for) or files the
 * operating system leaves behind. Every published file is hashed and pre-cached by the worker, so each
 * one left out is work saved on every visitor's first load.
 */
import { INDEX_HTML } from './indexHtml.js';

/** Publish configuration read by `finch publish` itself. */
export const PUBLISH_CONFIG_FILE = 'finch.config.json';

const OS_JUNK = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/** Why a file is left out, or null when it is published. */
export function leftOutBecause(file: string, consumed: ReadonlySet<string>, withMaps: boolean): string | null {
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (file === INDEX_HTML) return 'the page';
  if (file === PUBLISH_CONFIG_FILE) return 'publish configuration';
  if (file.startsWith('.vite/')) return "Vite's records";
  if (consumed.has(file)) return 'build records';
  if (!withMaps && file.endsWith('.map')) return 'source map';
  if (OS_JUNK.has(name) || file.startsWith('__MACOSX/')) return 'operating system file';
  return null;
}

export interface UploadSelection {
  upload: string[];
  /** Reason → files. */
  leftOut: Map<string, string[]>;
}

export function selectUpload(files: readonly string[], consumed: readonly string[], withMaps: boolean): UploadSelection {
  const used = new Set(consumed);
  const upload: string[] = [];
  const leftOut = new Map<string, string[]>();
  for (const f of files) {
    const why = leftOutBecause(f, used, withMaps);
    if (why === null) upload.push(f);
    else leftOut.set(why, [...(leftOut.get(why) ?? []), f]);
  }
  return { upload, leftOut };
}
