/**
 * `finch-gray/vite`: builds a Vite app as a Finch micro-frontend. The entry becomes the Finch lifecycle
 * (lifecycleEntry.ts), chunks and assets load relative to the entry script (`base: './'`), and the
 * output folder gets the Finch build manifest that `finch publish` reads.
 * @example
 * // vite.config.js, with finch the default export of finch-gray/vite
 * export default { plugins: [react(), finch({ product: 'dashboard' })] };
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { FinchError } from '../core/FinchError.js';
import { buildManifest, FINCH_BUILD_MANIFEST, manifestText } from './buildManifest.js';
import { entryLifecycle, lifecycleEntry } from './lifecycleEntry.js';
import { checkOptions, type FinchBundlerOptions } from './options.js';
import { absoluteBaseError, isAbsoluteBase } from './publicBase.js';
import { classicConfig, classicProblem } from './viteClassic.js';
import { entryStyles, type ViteBundle } from './viteStyles.js';

export type { FinchBundlerOptions, ScriptFormat } from './options.js';

const PLUGIN = 'finch-gray/vite';
/** The wrapper module's id: `\0` keeps other plugins off it, the user's entry path follows. */
const WRAPPER = '\0finch-lifecycle:';
/** Put on the src of index.html's module script, so resolveId knows the page's entry from its other imports. */
const MARK = 'finch-entry';
const MODULE_SCRIPT = /<script\b[^>]*\btype\s*=\s*["']?module["']?[^>]*>/gi;
const SRC = /(\bsrc\s*=\s*)(["'])([^"']*)\2/i;

/** Marks each `<script type="module" src>` of a page; a second one is an error (a micro-frontend has one entry). */
function markEntryScript(html: string, page: string): string {
  let count = 0;
  const marked = html.replace(MODULE_SCRIPT, (tag) => tag.replace(SRC, (_, attr: string, quote: string, src: string) => {
    count += 1;
    return `${attr}${quote}${src}${src.includes('?') ? '&' : '?'}${MARK}${quote}`;
  }));
  if (count > 1) {
    throw new FinchError('invalid-input', `Failed to build for Finch (${PLUGIN}): ${page} has ${count} module scripts, and a micro-frontend has one entry. Import the others from the main one.`, { page });
  }
  return marked;
}

const withoutMark = (source: string): string | null => {
  const m = /^(.*)[?&]finch-entry$/.exec(source);
  return m === null ? null : m[1]!;
};

/** The Vite plugin. Runs for `vite build` only: `vite dev` keeps serving the app as it is, self-mounted. */
export function finch(options: FinchBundlerOptions): Plugin {
  const o = checkOptions(options, PLUGIN);
  const format = o.format ?? 'module';
  const wrappers = new Map<string, string>();
  let config: ResolvedConfig | undefined;

  return {
    name: 'finch-gray',
    apply: 'build',
    enforce: 'pre',

    config(user) {
      if (user.build?.lib) {
        throw new FinchError('invalid-input', `Failed to build for Finch (${PLUGIN}): build.lib makes a library, and a Finch build is an app. Remove build.lib; the entry stays index.html's module script or build.rollupOptions.input.`);
      }
      return {
        // Relative to the entry script, so the same files work from the build's versioned folder and
        // through the worker's virtual URL.
        ...(user.base === undefined ? { base: './' } : {}),
        // One classic script for hosts that run scripts without `type=module`, like qiankun.
        ...(format === 'classic' ? classicConfig(user, o.product) : {}),
      };
    },

    configResolved(resolved) {
      // Checked on the resolved config, so a base set by another plugin is caught too.
      if (isAbsoluteBase(resolved.base)) {
        throw absoluteBaseError(PLUGIN, 'base', resolved.base, "Leave base unset (Finch sets './') or set base: './'.");
      }
      config = resolved;
    },

    onLog(_level, log) {
      // See classicProblem: the user's own import.meta is reported by transform below.
      if (format === 'classic' && log.code === 'EMPTY_IMPORT_META') return false;
      return undefined;
    },

    transform(code, id) {
      if (format !== 'classic') return null;
      const problem = classicProblem(code, id);
      if (problem !== null) this.warn(problem);
      return null;
    },

    transformIndexHtml: {
      order: 'pre',
      handler: (html, ctx) => markEntryScript(html, path.basename(ctx.filename)),
    },

    async resolveId(source, importer, opts) {
      if (source.startsWith(WRAPPER)) return source;
      const marked = withoutMark(source);
      // Without a page (rollupOptions.input names a script), the script given as input is the entry.
      const isScriptInput = opts.isEntry && importer === undefined && !source.endsWith('.html');
      if (marked === null && !isScriptInput) return null;
      const resolved = await this.resolve(marked ?? source, importer, { ...opts, skipSelf: true });
      if (resolved === null || resolved.external) return resolved;
      wrappers.set(WRAPPER + resolved.id, resolved.id);
      return WRAPPER + resolved.id;
    },

    async load(id) {
      if (!id.startsWith(WRAPPER)) return null;
      const entry = id.slice(WRAPPER.length);
      // Loading the entry here (not evaluating it) tells what it exports before the wrapper is written.
      const info = await this.load({ id: entry });
      const exports = info.exports ?? [];
      const shown = config ? path.relative(config.root, entry) : entry;
      return lifecycleEntry({
        product: o.product,
        rootId: o.rootId,
        entry,
        lifecycle: entryLifecycle(exports, shown, PLUGIN),
        bootstrap: exports.includes('bootstrap'),
        qiankun: format === 'classic',
      });
    },

    writeBundle(output, bundle) {
      const dir = output.dir ?? (output.file ? path.dirname(output.file) : config!.build.outDir);
      const entry = entryStyles(bundle as unknown as ViteBundle, wrappers, PLUGIN);
      const manifest = buildManifest({
        product: o.product,
        bundler: 'vite',
        styles: entry.styles,
        scripts: [entry.script],
        kind: format,
        bytesOf: (file) => readFileSync(path.join(dir, ...file.split('/'))),
      });
      const file = path.join(dir, ...FINCH_BUILD_MANIFEST.split('/'));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, manifestText(manifest));
    },
  };
}

export default finch;
