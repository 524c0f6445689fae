// Browser bundles: the SDK (ES module + script tag) and the service worker (self-contained file + module).
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

export default [
  {
    input: 'sdk/index.ts',
    plugins: plugins('sdk/tsconfig.json'),
    output: { file: 'dist/finch.mjs', format: 'es', plugins: [minifyModule] },
  },
  {
    input: 'sdk/script.ts',
    plugins: plugins('sdk/tsconfig.json'),
    output: { file: 'dist/finch.js', format: 'iife', plugins: [minify] },
  },
  {
    input: 'sw/index.ts',
    plugins: plugins('sw/tsconfig.json'),
    output: { file: 'dist/finch-sw.mjs', format: 'es', plugins: [minifyModule] },
  },
  {
    input: 'sw/worker.ts',
    plugins: plugins('sw/tsconfig.json'),
    output: { file: 'dist/finch-sw.js', format: 'iife', plugins: [minify] },
  },
];
