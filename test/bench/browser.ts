/**
 * Table 4: what a person's browser feels, in Chromium: the worker's overhead on cached versioned files,
 * and the demo's login-to-mounted time for a first and a repeat visit.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH, startChromium, type Chromium } from './chromium.js';
import { measureDemoLogin, type DemoServer, type DemoVisits } from './demoLogin.js';
import { rootPath } from './finchModules.js';
import { errorText, notMeasured, num, ratio, type Goal, type SectionResult, type Table } from './report.js';
import { measureSwOverhead, type SwOverhead } from './swOverhead.js';

export async function browserBench(opts: { demo: Promise<DemoServer> }): Promise<SectionResult> {
  const fetches = 200;
  let chromium: Chromium | null = null;
  let sw: SwOverhead | null = null;
  let swError = '';
  let demo: DemoVisits | null = null;
  let demoError = '';
  try {
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}`);
    chromium = await startChromium();
    if (!existsSync(rootPath('dist/finch-sw.js'))) swError = 'dist/finch-sw.js not built';
    else {
      try {
        sw = await measureSwOverhead(chromium.browser, fetches);
      } catch (err) {
        swError = errorText(err);
      }
    }
    try {
      const server = await opts.demo;
      try {
        demo = await measureDemoLogin(chromium.browser, server.url);
      } finally {
        await server.stop();
      }
    } catch (err) {
      demoError = errorText(err);
    }
  } catch (err) {
    swError ||= errorText(err);
    demoError ||= errorText(err);
  } finally {
    await chromium?.stop();
    // Stopped here too when the browser never got to it (stop is idempotent).
    await opts.demo.then((d) => d.stop(), () => undefined);
  }

  const swTable: Table = {
    title: 'Browser: service worker overhead on a cached 10 KB versioned file',
    columns: ['fetch path', 'median ms', 'baseline', 'baseline median ms', 'ratio'],
    rows: [
      sw
        ? ['through dist/finch-sw.js (virtual URL, Cache Storage)', num(sw.workerMedianMs, 2), 'no worker, HTTP cache warm', num(sw.plainMedianMs, 2), ratio(sw.workerMedianMs, sw.plainMedianMs)]
        : ['through dist/finch-sw.js (virtual URL, Cache Storage)', notMeasured(swError), '', '', ''],
    ],
    notes: [
      `${sw?.fetches ?? fetches} sequential fetch() + arrayBuffer() per side in the page, in ${sw?.rounds ?? 20} rounds interleaved A B B A, after 20 warm-up fetches each; each figure is the median of that side's round medians. Two loopback origins of one node:http fixture site, the manifest handed to the worker by a finch:manifest message (core/protocol.ts) with a sha384 integrity.`,
      ...(sw
        ? [
            `Per-round ratios (worker ÷ no worker, same round): median ${num(quantile(sw.roundRatios, 0.5), 2)}×, quartiles ${num(quantile(sw.roundRatios, 0.25), 2)}–${num(quantile(sw.roundRatios, 0.75), 2)}×, range ${num(sw.roundRatios[0] ?? NaN, 2)}–${num(sw.roundRatios.at(-1) ?? NaN, 2)}×. ` +
              (sw.isolated ? 'Pages cross-origin isolated: performance.now() resolution 5 µs.' : 'Pages not cross-origin isolated: performance.now() clamped to 0.1 ms.'),
            `Requests for the file that reached the server during the timed fetches: ${sw.serverHitsWhileTimed} (0: both sides were served from caches). ` +
              (sw.cacheName ? `The worker holds the file in Cache Storage "${sw.cacheName}".` : 'No Cache Storage cache holds the file: the worker served it through the HTTP cache.'),
          ]
        : []),
      'Chromium (Debian) headless via playwright-core, flags of coordination.md, fresh temporary profile.',
    ],
  };

  const visitRow = (label: string, v: DemoVisits[keyof DemoVisits] | undefined, base: number | null): string[] =>
    v ? [label, num(v.ms, 0), num(v.controlPlaneRequests), base === null ? '—' : ratio(v.ms, base)] : [label, notMeasured(demoError), '', ''];
  const demoTable: Table = {
    title: 'Browser: demo login to mounted',
    columns: ['visit', 'ms to both products mounted', 'control-plane requests before mount', 'this ÷ first visit'],
    rows: [
      visitRow('first visit, fresh profile (submit → mounted)', demo?.first, null),
      visitRow('repeat visit, same profile (submit → mounted)', demo?.repeat, demo?.first.ms ?? null),
      visitRow('repeat visit, remembered user (navigation start → mounted)', demo?.auto, demo?.first.ms ?? null),
    ],
    notes: [
      '`node demo/run.js` on a random loopback port with its own data dir; user `alice` (dashboard 2.0.0 gray, header 1.0.0). Mounted: both `[data-finch-product][data-finch-version]` on screen, timed on the page clock.',
      'Requests counted: the page\'s resource-timing entries under /api/ that started before mount, plus /api/ requests of the worker by then.',
      ...(demo && demo.repeat.controlPlaneRequests > 0 ? [`Repeat visit requests before mount: ${demo.repeat.urls.join(', ')}`] : []),
      ...(demo && demo.auto.controlPlaneRequests > 0 ? [`Remembered-user visit requests before mount: ${demo.auto.urls.join(', ')}`] : []),
    ],
  };

  const goals: Goal[] = [
    {
      name: 'worker overhead on a cached versioned file',
      target: '≤ 1.5×',
      actual: sw ? ratio(sw.workerMedianMs, sw.plainMedianMs) : notMeasured(swError),
      met: sw ? sw.workerMedianMs / sw.plainMedianMs <= 1.5 : null,
    },
    {
      name: 'demo repeat visit: control-plane requests before mount',
      target: '0',
      actual: demo ? `${demo.repeat.controlPlaneRequests} (remembered user: ${demo.auto.controlPlaneRequests})` : notMeasured(demoError),
      met: demo ? demo.repeat.controlPlaneRequests === 0 && demo.auto.controlPlaneRequests === 0 : null,
    },
  ];
  return { tables: [swTable, demoTable], goals };
}

/** Linear-interpolated quantile of sorted numbers. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}
