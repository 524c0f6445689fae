/**
 * The worker's overhead: the median time of N fetches of a cached 10 KB versioned file through
 * `dist/finch-sw.js` (virtual URL, answered from Cache Storage) against the same fetches of the real URL
 * on an origin without a worker (answered from the warm HTTP cache). Two origins of one tiny node:http
 * site, so the worker of one never touches the other.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import type { Manifest } from '../../core/manifest.js';
import { rootPath } from './finchModules.js';

export interface SwOverhead {
  /** Median of the per-round medians, each side. */
  workerMedianMs: number;
  plainMedianMs: number;
  /** Per round, the worker's median over the plain median of the same round, sorted. */
  roundRatios: number[];
  rounds: number;
  /** Timed fetches per side. */
  fetches: number;
  /** performance.now() resolution: 5 µs when the page is cross-origin isolated, else 100 µs in Chromium. */
  isolated: boolean;
  /** Requests for the file that reached the server during the timed fetches (both should be 0). */
  serverHitsWhileTimed: number;
  /** The Cache Storage cache holding the build file after the warm-up, or null if none does. */
  cacheName: string | null;
}

const FILE_PATH = '/releases/bench/1/file.js';
const VIRTUAL_PATH = '/apps/bench/file.js';

// 10 KB of plausible script text, so compression or sniffing behaves as with real code.
const FILE = Buffer.from(
  Array.from({ length: 160 }, (_, i) => `export const value${i} = ${JSON.stringify('x'.repeat(40))};\n`)
    .join('')
    .padEnd(10_240, '/')
    .slice(0, 10_240),
);

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench</title><script>
window.timeFetches = async (url, n) => {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fetch(url);
    const b = await r.arrayBuffer();
    out.push(performance.now() - t);
    if (!r.ok || b.byteLength !== ${FILE.length}) throw new Error('bad answer ' + r.status + ' ' + b.byteLength);
  }
  return out;
};
window.sendManifest = (manifest) => new Promise((resolve, reject) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = (e) => { if (e.data && e.data.type === 'finch:ack') resolve(true); };
  navigator.serviceWorker.controller.postMessage({ type: 'finch:manifest', manifest, pin: true }, [ch.port2]);
  setTimeout(() => reject(new Error('the worker did not acknowledge the manifest')), 10000);
});
</script>`;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(`http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`);
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function measureSwOverhead(browser: Browser, fetches: number): Promise<SwOverhead> {
  // FINCH_BENCH_SW: another build of the worker, to compare two versions with the same measurement.
  const worker = readFileSync(process.env['FINCH_BENCH_SW'] ?? rootPath('dist/finch-sw.js'));
  let hits = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      // Cross-origin isolated, so performance.now() is not clamped to 100 µs (a tenth of what is measured).
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(PAGE);
    } else if (path === '/finch-sw.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' });
      res.end(worker);
    } else if (path === FILE_PATH) {
      hits++;
      // As the control plane serves hosted builds (docs/api.md, /releases/).
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=31536000, immutable' });
      res.end(FILE);
    } else {
      res.writeHead(404).end();
    }
  });
  const withWorker = await listen(server);
  // A second listener of the same site: another origin, which never registers the worker.
  const plainServer = createServer((req, res) => server.emit('request', req, res));
  const plainOrigin = await listen(plainServer);
  const context = await browser.newContext();
  try {
    const manifest: Manifest = {
      schema: 1,
      userId: 'bench',
      revision: 1,
      ttlSeconds: 300,
      serviceWorker: { enabled: true },
      products: {
        bench: {
          resourceId: 1,
          version: '1.0.0',
          strategyId: 1,
          status: 'full',
          baseUrl: '/releases/bench/1/',
          files: ['file.js'],
          integrity: { 'file.js': `sha384-${createHash('sha384').update(FILE).digest('base64')}` },
          config: {},
          dependencies: [],
        },
      },
    };
    const sw: Page = await context.newPage();
    await sw.goto(`${withWorker}/`);
    await sw.evaluate(async () => {
      await navigator.serviceWorker.register('/finch-sw.js', { updateViaCache: 'none' });
      await navigator.serviceWorker.ready;
    });
    await sw.reload();
    const controlled = await sw.evaluate(() => navigator.serviceWorker.controller !== null);
    if (!controlled) throw new Error('the worker does not control the fixture page after a reload');
    await sw.evaluate((m) => (window as unknown as { sendManifest(m: unknown): Promise<boolean> }).sendManifest(m), manifest);

    const plain = await context.newPage();
    await plain.goto(`${plainOrigin}/`);

    const run = (page: Page, url: string, n: number): Promise<number[]> =>
      page.evaluate(([u, k]) => (window as unknown as { timeFetches(u: string, n: number): Promise<number[]> }).timeFetches(u, k), [url, n] as const);
    // Warm: the worker caches the build file, the plain page's HTTP cache holds it.
    await run(sw, VIRTUAL_PATH, 20);
    await run(plain, FILE_PATH, 20);
    const cacheName = await sw.evaluate(async (path) => {
      for (const k of await caches.keys()) if (await (await caches.open(k)).match(path)) return k;
      return null;
    }, FILE_PATH);
    const isolated = (await Promise.all([sw, plain].map((p) => p.evaluate(() => crossOriginIsolated)))).every(Boolean);
    hits = 0;
    // Many short rounds, interleaved A B B A, so a burst of load from elsewhere on the machine hits both
    // sides alike; each side's figure is the median of its round medians, and the spread of the per-round
    // ratios is reported beside it.
    const rounds = 20;
    const perRound = Math.ceil(fetches / rounds);
    const a: number[] = [];
    const b: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const plainFirst = i % 2 === 0;
      const first = await (plainFirst ? run(plain, FILE_PATH, perRound) : run(sw, VIRTUAL_PATH, perRound));
      const second = await (plainFirst ? run(sw, VIRTUAL_PATH, perRound) : run(plain, FILE_PATH, perRound));
      const [worker, base] = plainFirst ? [median(second), median(first)] : [median(first), median(second)];
      a.push(worker);
      b.push(base);
      ratios.push(worker / base);
    }
    return {
      workerMedianMs: median(a),
      plainMedianMs: median(b),
      roundRatios: ratios.sort((x, y) => x - y),
      rounds,
      fetches: rounds * perRound,
      isolated,
      serverHitsWhileTimed: hits,
      cacheName,
    };
  } finally {
    await context.close().catch(() => undefined);
    for (const s of [server, plainServer]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  }
}
