/**
 * Table 3: bytes of Finch's browser files beside the peers, each peer bundled in this run the way Finch is
 * (rollup, browser resolution, production defines, terser, IIFE) from a tiny entry that exports its main
 * API, then gzip -9 and brotli -11.
 */
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { nodeResolve as resolve } from '@rollup/plugin-node-resolve';
import replaceModule from '@rollup/plugin-replace';
import terserModule from '@rollup/plugin-terser';
import { rollup, type Plugin } from 'rollup';
import { rootPath } from './finchModules.js';
import { errorText, notMeasured, num, ratio, type Goal, type SectionResult, type Table } from './report.js';

// These plugins ship CommonJS-style typings: under NodeNext their default import types as the module
// object, while at run time the ESM build hands over the function itself. Either way, take the function.
type PluginFactory = (options?: Record<string, unknown>) => Plugin;
const fn = (m: unknown): PluginFactory => ((m as { default?: PluginFactory }).default ?? m) as PluginFactory;
const replace = fn(replaceModule);
const terser = fn(terserModule);

interface Sizes {
  min: number;
  gzip: number;
  brotli: number;
}

interface Peer {
  label: string;
  entry: string;
}

const SDK_PEERS: Peer[] = [
  { label: 'unleash-proxy-client', entry: `export { UnleashClient } from 'unleash-proxy-client';` },
  { label: 'flagsmith', entry: `export { default } from 'flagsmith';` },
  { label: '@openfeature/web-sdk', entry: `export { OpenFeature } from '@openfeature/web-sdk';` },
  { label: '@growthbook/growthbook', entry: `export { GrowthBook } from '@growthbook/growthbook';` },
  { label: 'launchdarkly-js-client-sdk', entry: `export { initialize } from 'launchdarkly-js-client-sdk';` },
  {
    label: 'workbox-window + idb-keyval',
    entry: `export { Workbox } from 'workbox-window'; export { get, set, del, createStore } from 'idb-keyval';`,
  },
];

// A worker is a script with effects, not a library: the entry registers the route the way a Workbox
// user would for versioned micro-frontend files (cache-first with expiration).
const SW_PEERS: Peer[] = [
  {
    label: 'workbox-routing + strategies + expiration',
    entry: [
      `import { registerRoute } from 'workbox-routing';`,
      `import { CacheFirst } from 'workbox-strategies';`,
      `import { ExpirationPlugin } from 'workbox-expiration';`,
      `registerRoute(({ url }) => url.pathname.startsWith('/apps/'),`,
      `  new CacheFirst({ cacheName: 'apps', plugins: [new ExpirationPlugin({ maxEntries: 200 })] }));`,
    ].join('\n'),
  },
];

function measure(code: string | Buffer): Sizes {
  return {
    min: Buffer.byteLength(code),
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

async function bundle(entry: string): Promise<string> {
  const virtual: Plugin = {
    name: 'bench-entry',
    resolveId: (id) => (id === '\0entry' ? id : null),
    load: (id) => (id === '\0entry' ? entry : null),
  };
  const build = await rollup({
    input: '\0entry',
    plugins: [
      virtual,
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
      resolve({ browser: true, rootDir: rootPath('') }),
    ],
    onwarn: () => undefined,
  });
  try {
    const { output } = await build.generate({
      format: 'iife',
      name: 'Peer',
      exports: 'named',
      // The same terser settings as rollup.config.js uses for dist/finch.js.
      plugins: [terser({ ecma: 2020, module: false, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } })],
    });
    return output[0].code;
  } finally {
    await build.close();
  }
}

async function sizeTable(title: string, own: { label: string; file: string }, peers: Peer[], budget: number): Promise<{ table: Table; goal: Goal }> {
  const columns = ['file', 'min B', 'gzip-9 B', 'brotli B', 'Finch gzip ÷ this gzip'];
  const rows: string[][] = [];
  const path = rootPath(own.file);
  const finch = existsSync(path) ? measure(readFileSync(path)) : null;
  rows.push(
    finch
      ? [own.label, num(finch.min), num(finch.gzip), num(finch.brotli), ratio(finch.gzip, finch.gzip)]
      : [own.label, notMeasured(`${own.file} not built`), '', '', ''],
  );
  for (const p of peers) {
    try {
      const s = measure(await bundle(p.entry));
      rows.push([p.label, num(s.min), num(s.gzip), num(s.brotli), finch ? ratio(finch.gzip, s.gzip) : 'n/a']);
    } catch (err) {
      rows.push([p.label, notMeasured(`bundling failed: ${errorText(err)}`), '', '', '']);
    }
  }
  return {
    table: {
      title,
      columns,
      rows,
      notes: [
        'Peers bundled in this run from node_modules: rollup + @rollup/plugin-node-resolve (browser) + terser, IIFE, `process.env.NODE_ENV` = "production".',
        `Budget: ${own.file} ≤ ${num(budget)} B gzip-9. Lower is better.`,
      ],
    },
    goal: {
      name: `${own.file} gzip-9`,
      target: `≤ ${num(budget)} B`,
      actual: finch ? `${num(finch.gzip)} B` : notMeasured(`${own.file} not built`),
      met: finch ? finch.gzip <= budget : null,
    },
  };
}

export async function sizesBench(): Promise<SectionResult> {
  const sdk = await sizeTable('Sizes: browser SDK (script tag, everything included)', { label: 'Finch `dist/finch.js`', file: 'dist/finch.js' }, SDK_PEERS, 6_000);
  const sw = await sizeTable('Sizes: service worker', { label: 'Finch `dist/finch-sw.js`', file: 'dist/finch-sw.js' }, SW_PEERS, 5_000);
  return { tables: [sdk.table, sw.table], goals: [sdk.goal, sw.goal] };
}
