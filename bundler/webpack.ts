/**
 * `finch-gray/webpack`: builds a webpack app as a Finch micro-frontend. The entry becomes the Finch
 * lifecycle (lifecycleEntry.ts), chunks load from where the entry script came from
 * (`output.publicPath: 'auto'`), and the output folder gets the Finch build manifest.
 * @example
 * // webpack.config.js, with FinchWebpackPlugin from finch-gray/webpack
 * export default { entry: './src/index.js', plugins: [new FinchWebpackPlugin({ product: 'dashboard' })] };
 */
import type { Compilation, Compiler, Module } from 'webpack';
import { FinchError } from '../core/FinchError.js';
import { buildManifest, FINCH_BUILD_MANIFEST, manifestText } from './buildManifest.js';
import { checkOptions, type CheckedOptions, type FinchBundlerOptions, type ScriptFormat } from './options.js';
import { absoluteBaseError, isAbsoluteBase } from './publicBase.js';
import { PUBLIC_PATH_REQUEST, serveWrapperEntry, WRAPPER_REQUEST, type WrappedEntry } from './webpackEntry.js';

export type { FinchBundlerOptions, ScriptFormat } from './options.js';

const PLUGIN = 'FinchWebpackPlugin';

const fail = (why: string): never => {
  throw new FinchError('invalid-input', `Failed to build for Finch (${PLUGIN}): ${why}`);
};

/** `auto` unless the config says otherwise; any other public path is refused with what to set. */
function checkPublicPath(compiler: Compiler): void {
  const output = compiler.options.output;
  const publicPath = output.publicPath;
  if (publicPath === undefined || publicPath === 'auto') {
    // 'auto' finds the folder of the running script: document.currentScript for classic scripts,
    // import.meta.url for module output. Both work from the versioned folder and the virtual URL.
    output.publicPath = 'auto';
    return;
  }
  const shown = typeof publicPath === 'string' ? publicPath : 'a function';
  if (typeof publicPath === 'string' && isAbsoluteBase(publicPath)) {
    throw absoluteBaseError(PLUGIN, 'output.publicPath', publicPath, "Leave output.publicPath unset (Finch sets 'auto') or set it to 'auto'.");
  }
  fail(`output.publicPath is ${JSON.stringify(shown)}; a micro-frontend's chunks would then resolve against the host page, not the build. Leave output.publicPath unset (Finch sets 'auto') or set it to 'auto'.`);
}

/**
 * The one entry, rewritten to the wrapper; the user's request (its last import) is returned. A classic
 * build gets the public-path module before everything else (see publicPathSource).
 */
function wrapEntry(compiler: Compiler, classic: boolean): { name: string; request: string; context: string } {
  const entry = compiler.options.entry;
  if (typeof entry === 'function') return fail('entry is a function; Finch wraps one static entry. Name it, like entry: "./src/index.js".');
  const names = Object.keys(entry);
  if (names.length !== 1) return fail(`the config has ${names.length} entries (${names.join(', ') || 'none'}), and a micro-frontend has one. Build one entry per product.`);
  const name = names[0]!;
  const description = entry[name]!;
  const imports = description.import ?? [];
  const request = imports[imports.length - 1];
  if (request === undefined) return fail(`entry "${name}" imports nothing. Name the entry module, like entry: "./src/index.js".`);
  // Earlier imports (polyfills) still run first; webpack exports the last one, which the wrapper replaces.
  description.import = [...(classic ? [PUBLIC_PATH_REQUEST] : []), ...imports.slice(0, -1), WRAPPER_REQUEST];
  return { name, request, context: compiler.options.context ?? process.cwd() };
}

const isScript = (f: string): boolean => /\.m?js$/.test(f) && !/\.hot-update\.m?js$/.test(f);

/** The module itself, or a module webpack merged it into (module concatenation in production). */
function holds(module: Module, target: Module): boolean {
  const inner = (module as Module & { modules?: Iterable<Module> }).modules;
  return module === target || (inner !== undefined && [...inner].includes(target));
}

/** Stylesheets of every chunk group that holds the user's entry (a self-mounting entry sits in a lazy chunk). */
function appStyles(compilation: Compilation, wrapped: WrappedEntry): string[] {
  const target = wrapped.module;
  if (target === undefined) return [];
  const styles: string[] = [];
  for (const chunk of compilation.chunks) {
    if (![...compilation.chunkGraph.getChunkModulesIterable(chunk)].some((m) => holds(m, target))) continue;
    for (const group of chunk.groupsIterable) {
      for (const c of group.chunks) styles.push(...[...c.files].filter((f) => f.endsWith('.css')));
    }
  }
  return styles;
}

export class FinchWebpackPlugin {
  readonly #options: CheckedOptions;

  constructor(options: FinchBundlerOptions) {
    this.#options = checkOptions(options, PLUGIN);
  }

  apply(compiler: Compiler): void {
    const o = this.#options;
    checkPublicPath(compiler);
    // Read before webpack applies its defaults, which take output.module from experiments.outputModule.
    const { output, experiments } = compiler.options;
    const kind: ScriptFormat = (output.module ?? (experiments as { outputModule?: boolean }).outputModule) === true ? 'module' : 'classic';
    // Chunks register on a global named after uniqueName (by default the package's name); one per
    // product keeps two micro-frontends on one page from taking each other's chunks.
    output.uniqueName ??= `finch-${o.product}`;
    if (o.format !== undefined && o.format !== kind) {
      fail(kind === 'classic'
        ? "format is 'module' but webpack writes classic scripts. Turn on experiments.outputModule and output.module, or leave format out."
        : "format is 'classic' but output.module is on, so webpack writes ES modules. Turn output.module off, or leave format out.");
    }
    const { name, request, context } = wrapEntry(compiler, kind === 'classic');
    const wrapped: WrappedEntry = { module: undefined };
    serveWrapperEntry(compiler, request, context, o, PLUGIN, kind === 'classic', wrapped);

    compiler.hooks.thisCompilation.tap(PLUGIN, (compilation) => {
      // REPORT is the last stage: file contents are final (minified, real content hashes in place).
      compilation.hooks.processAssets.tap({ name: PLUGIN, stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        const entrypoint = compilation.entrypoints.get(name);
        if (entrypoint === undefined) return;
        const files = entrypoint.getFiles();
        const scripts = files.filter(isScript);
        if (scripts.length === 0) return;
        const manifest = buildManifest({
          product: o.product,
          bundler: 'webpack',
          styles: [...files.filter((f) => f.endsWith('.css')), ...appStyles(compilation, wrapped)],
          scripts,
          kind,
          bytesOf: (file) => {
            const asset = compilation.getAsset(file);
            if (asset === undefined) throw new FinchError('internal', `Failed to write ${FINCH_BUILD_MANIFEST}: webpack has no asset ${file}.`);
            return asset.source.buffer();
          },
        });
        compilation.emitAsset(FINCH_BUILD_MANIFEST, new compiler.webpack.sources.RawSource(manifestText(manifest)));
      });
    });
  }
}
