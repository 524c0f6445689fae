/**
 * Entries from the build's own `index.html`: its `<link rel="stylesheet" href>` tags, then its
 * `<script src>` tags (`type="module"` or classic), each in document order. Inline scripts and styles
 * stay behind with the page (a micro-frontend has no page of its own); `nomodule` scripts are a legacy
 * fallback that modern browsers skip, so they are not loaded either.
 */
import { Parser } from 'htmlparser2';
import { FinchError } from '../../../core/FinchError.js';
import { buildFileOf } from './buildUrl.js';
import { type BuildListing, type FoundEntries, inLoadOrder, type ScriptKind } from './FoundEntries.js';

export const INDEX_HTML = 'index.html';

interface Tag {
  kind: 'style' | ScriptKind;
  url: string;
}

/** The stylesheet and script URLs of a page, in document order. */
export function pageTags(html: string): Tag[] {
  const tags: Tag[] = [];
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'link' && attrs['href'] !== undefined) {
        const rel = (attrs['rel'] ?? '').toLowerCase().split(/\s+/);
        if (rel.includes('stylesheet') && !rel.includes('alternate')) tags.push({ kind: 'style', url: attrs['href'] });
      } else if (name === 'script' && attrs['src'] !== undefined && attrs['nomodule'] === undefined) {
        const type = (attrs['type'] ?? '').trim().toLowerCase();
        if (type === 'module') tags.push({ kind: 'module', url: attrs['src'] });
        else if (type === '' || type === 'text/javascript' || type === 'application/javascript') tags.push({ kind: 'classic', url: attrs['src'] });
      }
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.end(html);
  return tags;
}

export async function fromIndexHtml(build: BuildListing): Promise<FoundEntries | null> {
  if (!build.files.includes(INDEX_HTML)) return null;
  const tags = pageTags(await build.readText(INDEX_HTML));
  if (tags.length === 0) return null;
  const files = new Set(build.files);
  const entries: string[] = [];
  const scripts: Record<string, ScriptKind> = {};
  for (const tag of tags) {
    const f = buildFileOf(tag.url, '', files, INDEX_HTML);
    if (f === null) {
      throw new FinchError('invalid-input', `Failed to find the entry files: ${INDEX_HTML} loads ${tag.url}, which is not in the build. Publish the whole output folder, or name the entry files with --files.`);
    }
    entries.push(f);
    if (tag.kind !== 'style') scripts[f] = tag.kind;
  }
  return { source: INDEX_HTML, files: inLoadOrder(entries), scripts, consumed: [] };
}
