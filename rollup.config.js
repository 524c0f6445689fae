// Browser bundles: the SDK (ES module + script tag), its single-spa and qiankun adapters (ES modules), the service worker (self-contained file + module),
// and the operators' console (dist/console/: index.html, hashed entry, lazy chunks and one hashed stylesheet);
// for Node, the bundler plugins finch-gray/vite and finch-gray/webpack.
// `__FINCH_DEV__` becomes false so development-only text is dropped (core/dev.ts).
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const plugins = (tsconfig) => [
  replace({ preventAssignment: true, values: { __FINCH_DEV__: 'false' } }),
  resolve({ browser: true }),
  typescript({ tsconfig, compilerOptions: { noEmit: false, declaration: false, sourceMap: false }, outputToFilesystem: false }),
];
const minify = terser({ ecma: 2020, module: false, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } });
const minifyModule = terser({ ecma: 2020, module: true, compress: { passes: 3 }, format: { comments: false } });

/**
 * The console's page around its bundle: emits the stylesheets, joined, as one hashed asset (lightly minified),
 * writes index.html naming the hashed entry and stylesheet (no inline script or style: the console
 * is served under a CSP without 'unsafe-inline'), and removes files of earlier builds from the folder.
 */
function consolePage({ css, dir }) {
  let cssRef;
  return {
    name: 'finch-console-page',
    buildStart() {
      // Several files make the one stylesheet, in order (the shell's, uPlot's, the pages' own).
      for (const file of css) this.addWatchFile(file);
      const source = css.map((file) => readFileSync(file, 'utf8')).join('\n')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s*\n\s*/g, '\n')
        .replace(/\s*([{};,])\s*/g, '$1')
        .trim();
      cssRef = this.emitFile({ type: 'asset', name: 'console.css', source });
    },
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((f) => f.type === 'chunk' && f.isEntry);
      if (!entry) this.error('the console bundle has no entry chunk');
      const cssFile = this.getFileName(cssRef);
      const page = [
        '<!doctype html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        '<title>Finch console</title>',
        // No icon of its own: without this line the browser asks for /favicon.ico and logs the 404.
        '<link rel="icon" href="data:,">',
        `<link rel="stylesheet" href="./${cssFile}">`,
        `<script type="module" src="./${entry.fileName}"></script>`,
        '</head>',
        '<body>',
        '<noscript><p class="noscript">The Finch console needs JavaScript. 需要启用 JavaScript 才能使用 Finch 控制台。</p></noscript>',
        '<div id="app"></div>',
        '</body>',
        '</html>',
        '',
      ].join('\n');
      this.emitFile({ type: 'asset', fileName: 'index.html', source: page });
    },
    writeBundle(_options, bundle) {
      // Hashed names change with every build; keep only this build's files.
      const keep = new Set(Object.keys(bundle));
      for (const name of readdirSync(dir)) if (!keep.has(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
    },
  };
}

/** One bundle of a room, compiled with that room's tsconfig; ES modules are minified as modules. */
const bundle = (room, input, file, format) => ({
  input: `${room}/${input}`,
  plugins: plugins(`${room}/tsconfig.json`),
  output: { file, format, plugins: [format === 'es' ? minifyModule : minify] },
});

/** A Node ES module of the bundler plugins: not minified (stack traces stay readable), Node's built-ins left as imports. */
const nodeBundle = (input, file) => ({
  input: `bundler/${input}`,
  plugins: plugins('bundler/tsconfig.json'),
  external: (id) => id.startsWith('node:'),
  output: { file, format: 'es' },
});

export default [
  bundle('sdk', 'index.ts', 'dist/finch.mjs', 'es'),
  bundle('sdk', 'script.ts', 'dist/finch.js', 'iife'),
  // The framework adapters ship apart, so a page without single-spa or qiankun never downloads them.
  bundle('sdk', 'adapters/singleSpa.ts', 'dist/finch-single-spa.mjs', 'es'),
  bundle('sdk', 'adapters/qiankun.ts', 'dist/finch-qiankun.mjs', 'es'),
  bundle('sw', 'index.ts', 'dist/finch-sw.mjs', 'es'),
  bundle('sw', 'worker.ts', 'dist/finch-sw.js', 'iife'),
  // The Vite and webpack plugins run in Node, at build time; vite and webpack are only types there.
  // In a folder of their own: the server package ships dist/*.js, and these belong to finch-gray alone.
  nodeBundle('vite.ts', 'dist/bundler/vite.js'),
  nodeBundle('webpack.ts', 'dist/bundler/webpack.js'),
  // The console: ES modules with hashed names, so the server can cache them forever; uPlot and other
  // page-only libraries go to lazy chunks. consolePage adds the stylesheet and writes index.html.
  {
    input: { console: 'console/main.ts' },
    plugins: [...plugins('console/tsconfig.json'), consolePage({ css: ['console/style.css', 'node_modules/uplot/dist/uPlot.min.css', 'console/components/operatorPages.css'], dir: 'dist/console' })],
    output: {
      dir: 'dist/console',
      format: 'es',
      entryFileNames: '[name]-[hash].js',
      chunkFileNames: '[name]-[hash].js',
      assetFileNames: '[name]-[hash][extname]',
      plugins: [minifyModule],
    },
  },
];
