// Browser bundles: the SDK (ES module + script tag), its single-spa and qiankun adapters (ES modules), and the service worker (self-contained file + module).
// `__FINCH_DEV__` becomes false so development-only text is dropped (core/dev.ts).
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';

const plugins = (tsconfig) => [
  replace({ preventAssignment: true, values: { __FINCH_DEV__: 'false' } }),
  resolve({ browser: true }),
  typescript({ tsconfig, compilerOptions: { noEmit: false, declaration: false, sourceMap: false }, outputToFilesystem: false }),
];
const minify = terser({ ecma: 2020, module: false, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } });
const minifyModule = terser({ ecma: 2020, module: true, compress: { passes: 3 }, format: { comments: false } });

/** One bundle of a room, compiled with that room's tsconfig; ES modules are minified as modules. */
const bundle = (room, input, file, format) => ({
  input: `${room}/${input}`,
  plugins: plugins(`${room}/tsconfig.json`),
  output: { file, format, plugins: [format === 'es' ? minifyModule : minify] },
});

export default [
  bundle('sdk', 'index.ts', 'dist/finch.mjs', 'es'),
  bundle('sdk', 'script.ts', 'dist/finch.js', 'iife'),
  // The framework adapters ship apart, so a page without single-spa or qiankun never downloads them.
  bundle('sdk', 'adapters/singleSpa.ts', 'dist/finch-single-spa.mjs', 'es'),
  bundle('sdk', 'adapters/qiankun.ts', 'dist/finch-qiankun.mjs', 'es'),
  bundle('sw', 'index.ts', 'dist/finch-sw.mjs', 'es'),
  bundle('sw', 'worker.ts', 'dist/finch-sw.js', 'iife'),
];
