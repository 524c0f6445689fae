/**
 * Table 1: getConsoleVersion on loopback, 50 connections, each request another user, against the
 * benchmark store (20 products × 50 strategies, 100,000 user ids in lists); beside a bare node:http server
 * answering a body of the same size from memory, and the previous system's nginx + Lua + memcached design. All of
 * them run side by side and are measured in interleaved rounds (rounds.ts), so their ratios survive a
 * noisy machine.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixture, CONTROL_PLANE_STORE, requestUserIds, type Fixture, type FixtureOptions } from './fixture.js';
import { seedFinchStore, startFinchServer, type SeededStore } from './finchServer.js';
import { measureFirstStart, type FirstStart } from './firstStart.js';
import { loadCore, rootPath } from './finchModules.js';
import { nginxLuaMissing, startNginxLua } from './nginxLua.js';
import { rssOf, startChild, tempDir } from './processes.js';
import { errorText, notMeasured, num, ratio, type Goal, type SectionResult } from './report.js';
import { median, roundRatios, runRounds, type RoundsResult } from './rounds.js';
import { seedDesign } from './seedDesign.js';

const CONNECTIONS = 50;

interface Sampled {
  bodies: string[];
  meanBody: number;
}

/** Sequential GETs of the first `n` paths: body sizes, and a check that the server answers 200 at all. */
async function sample(origin: string, paths: readonly string[], n: number): Promise<Sampled> {
  const bodies: string[] = [];
  for (const p of paths.slice(0, n)) {
    const res = await fetch(origin + p);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${origin}${p} answered ${res.status}: ${text.slice(0, 200)}`);
    bodies.push(text);
  }
  return { bodies, meanBody: bodies.reduce((a, b) => a + Buffer.byteLength(b), 0) / bodies.length };
}

/** strategyId per product in a manifest body, for cross-checking two servers. */
function choices(body: string): string {
  const m = JSON.parse(body) as { products: Record<string, { strategyId: number }> };
  return Object.entries(m.products)
    .map(([k, v]) => `${k}:${v.strategyId}`)
    .join(',');
}

/** The store every server of this table answers from. */
export const STORE = CONTROL_PLANE_STORE;

type Key = 'finch' | 'finchPg' | 'bare' | 'nginx';

/** Row labels, in table order; the rounds go through the servers in this order too (rotated). */
const LABELS: Record<Key, string> = {
  finch: 'Finch getConsoleVersion (PGlite, the default store)',
  finchPg: 'Finch getConsoleVersion (PostgreSQL via DATABASE_URL)',
  bare: 'bare node:http, same-size body from memory',
  nginx: 'nginx + Lua + memcached (the previous system\'s design)',
};
const SHORT: Record<Key, string> = { finch: 'Finch', finchPg: 'Finch on PostgreSQL', bare: 'bare', nginx: 'nginx' };

/** A server started and sampled, idle until the rounds. */
interface Started {
  origin: string;
  meanBody: number;
  rss(): { peak: number };
}

interface Measured {
  load: RoundsResult;
  peakRss: number;
  meanBody: number;
}

/** Clean-ups, registered as each thing is made, so a start failing half-way still undoes what it did. */
type Stops = Array<() => Promise<void>>;

/** Runs every clean-up, the last registered first, even when one throws; then rethrows the first error. */
async function undo(stops: Stops): Promise<void> {
  const errors: unknown[] = [];
  for (const stop of stops.reverse()) await stop().catch((err: unknown) => errors.push(err));
  if (errors.length > 0) throw errors[0];
}

/** The default set-up, PGlite inside the process; its answers size the bare body and give nginx the revision. */
async function startFinch(seeded: SeededStore, paths: readonly string[], stops: Stops) {
  const server = await startFinchServer(seeded.dataDir);
  stops.push(() => server.stop());
  const { rss: idleRss, peak: startPeak } = server.rss();
  const s = await sample(server.origin, paths, 200);
  const revision = (JSON.parse(s.bodies[0]!) as { revision: number }).revision;
  return { started: { origin: server.origin, meanBody: s.meanBody, rss: server.rss }, sample: s, revision, how: server.how, idleRss, startPeak };
}

/**
 * The same server and store on PostgreSQL (DATABASE_URL): the production set-up, where the database's
 * memory is another process's and the Finch process holds only Node and the snapshot.
 */
async function startFinchOnPostgres(store: FixtureOptions & { now: number }, url: string, paths: readonly string[], stops: Stops) {
  const seeded = await seedFinchStore({ ...store }, url);
  stops.push(() => seeded.remove().catch(() => undefined));
  const server = await startFinchServer(seeded.dataDir, url);
  stops.push(() => server.stop());
  const idle = `${num(server.rss().rss / 1e6, 1)} MB (PostgreSQL; seeding took ${num(seeded.seedMs / 1000, 1)} s)`;
  const s = await sample(server.origin, paths, 200);
  return { started: { origin: server.origin, meanBody: s.meanBody, rss: server.rss }, sample: s, idle };
}

/** A real Finch answer, padded with JSON whitespace to the mean size of Finch's answers. */
async function startBare(finchSample: Sampled, paths: readonly string[], stops: Stops) {
  const dir = tempDir('finch-bench-bare-');
  stops.push(async () => rmSync(dir, { recursive: true, force: true }));
  const size = Math.round(finchSample.meanBody);
  const base = finchSample.bodies.filter((b) => Buffer.byteLength(b) <= size).sort((a, b) => b.length - a.length)[0] ?? finchSample.bodies[0]!;
  writeFileSync(join(dir, 'body.json'), base + ' '.repeat(Math.max(0, size - Buffer.byteLength(base))));
  const child = startChild(process.execPath, ['--import', 'tsx', rootPath('test/bench/bareServer.ts'), join(dir, 'body.json')], { cwd: rootPath('') });
  stops.push(() => child.stop());
  const port = (await child.waitFor(/listening (\d+)/, 15_000))[1];
  const origin = `http://127.0.0.1:${port}`;
  const s = await sample(origin, paths, 20);
  return { started: { origin, meanBody: s.meanBody, rss: () => rssOf(child.pid) } };
}

/** nginx + Lua + memcached loaded with the seed design of the same store (seedDesign.ts). */
async function startNginx(fixture: Fixture, revision: number, now: number, paths: readonly string[], stops: Stops) {
  const core = await loadCore();
  const design = seedDesign(fixture, revision, now, core.module.bucketOf);
  const server = await startNginxLua(design.fragments, design.entries);
  stops.push(() => server.stop());
  const s = await sample(server.origin, paths, 200);
  return { started: { origin: server.origin, meanBody: s.meanBody, rss: server.rss }, sample: s };
}

/** Listed users (even positions of the request list) must get the same builds from both designs. */
function nginxCrossCheck(nginx: Sampled, finch: Sampled): string {
  let same = 0;
  let compared = 0;
  for (let i = 0; i < nginx.bodies.length; i += 2) {
    compared++;
    if (choices(nginx.bodies[i]!) === choices(finch.bodies[i]!)) same++;
  }
  return same === compared
    ? `Cross-check: nginx+Lua and Finch chose the same build of every product for all ${compared} sampled listed users.`
    : `Cross-check: nginx+Lua and Finch agree for ${same} of ${compared} sampled listed users.`;
}

export async function consoleVersionBench(opts: { quick: boolean; seeded: Promise<SeededStore> }): Promise<SectionResult> {
  const seconds = opts.quick ? 2 : 10;
  // Five rounds of 2 s show the spread and keep each run at two of autocannon's 1 s samples or more.
  const rounds = opts.quick ? 2 : 5;
  const warmupSeconds = opts.quick ? 0.5 : 1;
  let seeded: SeededStore | null = null;
  let seedError = '';
  try {
    seeded = await opts.seeded;
  } catch (err) {
    seedError = `seeding failed: ${errorText(err)}`;
  }
  const now = seeded?.now ?? Date.now();
  const store = { ...STORE, now };
  const fixture = buildFixture(store);
  const paths = requestUserIds(fixture, opts.quick ? 5_000 : 20_000).map(
    (u) => `/api/v1/console-version?products=${fixture.productNames.join(',')}&userId=${encodeURIComponent(u)}`,
  );
  const pgUrl = new URL(process.env['FINCH_BENCH_DATABASE_URL'] || process.env['FINCH_TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres');
  pgUrl.pathname = `/finch_bench_${process.pid}_${Date.now().toString(36)}`;
  const notes = [
    `autocannon in the bench process, ${CONNECTIONS} connections. All servers are started first and measured in the same stretch of time: a ${warmupSeconds} s warm-up each, then ${rounds} rounds in which each server in turn gets ${num(seconds / rounds, 1)} s (${seconds} s per server in all), the order rotated every round; the servers not under load sit idle. GET of all ${fixture.productNames.length} products, userId cycling through ${num(paths.length)} ids (half in lists, half unknown). autocannon records latency in whole milliseconds.`,
    `req/s is all requests over all measured time. p50 and p99 are the median over the rounds of each round's percentile, as autocannon gives percentiles per run only. "Finch ÷ this" is the median over the rounds of Finch's req/s in a round over this server's in the same round${rounds % 2 === 0 ? ` (with ${rounds} rounds, the mean of the middle two)` : ''}.`,
    `Store: ${store.products} products × ${store.strategiesPerProduct} strategies, ${num(store.userIds)} user ids in lists; seeded into a fresh PGlite data dir through the server's own store seam (openDb + migrations, one transaction, bumpRevision) with bulk SQL, not through the HTTP API.`,
    'Each server runs as its own process with one CPU worker (Finch: one Node process; nginx: worker_processes 1 and memcached -t 1). RSS is the peak (VmHWM) after all rounds; for nginx it is master + worker + memcached.',
  ];

  const started = new Map<Key, Started>();
  const failed = new Map<Key, string>();
  const attempt = async <T extends { started: Started }>(key: Key, start: () => Promise<T>): Promise<T | null> => {
    try {
      const r = await start();
      started.set(key, r.started);
      return r;
    } catch (err) {
      failed.set(key, errorText(err));
      return null;
    }
  };
  const measured = new Map<Key, Measured>();
  const stops: Stops = [];
  let firstStart: FirstStart | null = null;
  let firstStartError = '';
  try {
    const s = seeded;
    if (s) stops.push(() => s.remove());
    // First, while none of the table's servers run (its figure is one process's own memory either way).
    try {
      firstStart = await measureFirstStart();
    } catch (err) {
      firstStartError = errorText(err);
    }
    const finch = await attempt('finch', async () => {
      if (!s) throw new Error(seedError);
      return startFinch(s, paths, stops);
    });
    const pg = await attempt('finchPg', () => startFinchOnPostgres(store, pgUrl.toString(), paths, stops));
    if (finch) {
      notes.push(
        `Finch ran as ${finch.how}; seeding took ${num(s!.seedMs / 1000, 1)} s; RSS after start, before any load: ${num(finch.idleRss / 1e6, 1)} MB (PGlite, a restart on the seeded store; peak ${num(finch.startPeak / 1e6, 1)} MB), ${pg?.idle ?? 'PostgreSQL run not measured'}.`,
      );
    }
    if (finch && pg && pg.sample.bodies.some((b, i) => choices(b) !== choices(finch.sample.bodies[i]!))) {
      notes.push('Cross-check: Finch on PostgreSQL and on PGlite chose different builds for some sampled users.');
    }
    notes.push(
      firstStart
        ? `First start on an empty PGlite data dir (the cluster unpacked, migrations, first admin): peak RSS ${num(firstStart.peak / 1e6, 1)} MB for the whole process tree, ${num(firstStart.rss / 1e6, 1)} MB once it answers.`
        : `First start on an empty PGlite data dir: ${notMeasured(firstStartError)}.`,
    );
    notes.push(
      `PostgreSQL row: the same \`finch serve\` with DATABASE_URL pointing at a fresh database on ${pgUrl.host} (created, seeded the same way, dropped after). Its peak RSS is the Finch process alone; the PostgreSQL server's memory is not in it. The PGlite row's RSS includes the embedded database (WASM PostgreSQL in the process).`,
    );

    if (finch) await attempt('bare', () => startBare(finch.sample, paths, stops));
    else failed.set('bare', 'needs the size of Finch’s answer, and Finch did not run');

    const reason = nginxLuaMissing((l) => process.stderr.write(l + '\n'));
    if (reason) {
      failed.set('nginx', `skipped: ${reason}`);
    } else {
      const nginx = await attempt('nginx', () => startNginx(fixture, finch?.revision || 2, now, paths, stops));
      if (nginx && finch) notes.push(nginxCrossCheck(nginx.sample, finch.sample));
    }
    notes.push(
      'nginx + Lua + memcached: Debian nginx 1.22 with libnginx-mod-http-lua; per request the Lua gets `u:<userId>` from memcached over a pooled ngx.socket.tcp connection (the text protocol written out, lua-resty-memcached is not packaged) and concatenates JSON fragments rendered ahead. Only listed users are in memcached, so unknown users cannot get percent rollouts there.',
    );

    const keys = (Object.keys(LABELS) as Key[]).filter((k) => started.has(k));
    const loads = await runRounds(
      keys.map((k) => started.get(k)!.origin),
      { paths, connections: CONNECTIONS, seconds, rounds, warmupSeconds },
    );
    keys.forEach((k, i) => {
      const server = started.get(k)!;
      measured.set(k, { load: loads[i]!, peakRss: server.rss().peak, meanBody: server.meanBody });
    });
  } finally {
    await undo(stops);
  }

  const finch = measured.get('finch') ?? null;
  const bare = measured.get('bare') ?? null;
  const nginx = measured.get('nginx') ?? null;
  const finchPg = measured.get('finchPg') ?? null;
  const perRound = (m: Measured): number[] => (finch ? roundRatios(finch.load, m.load) : []);
  const vsFinch = (m: Measured): number => median(perRound(m));
  const whyNot = (...keys: Key[]): string => notMeasured(keys.map((k) => failed.get(k)).find(Boolean) ?? '');

  const spread = (['bare', 'nginx'] as const).flatMap((k) => {
    const m = measured.get(k);
    return m && finch ? [`Finch ÷ ${SHORT[k]} ${perRound(m).map((r) => num(r, 2)).join(', ')}`] : [];
  });
  if (spread.length > 0) notes.push(`Per-round ratios of req/s, in round order: ${spread.join('; ')}.`);
  for (const [k, m] of measured) {
    if (m.load.failures > 0) notes.push(`${SHORT[k]}: ${num(m.load.failures)} of ${num(m.load.requests)} requests failed (non-2xx or socket errors).`);
  }

  const columns = ['server', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'mean body B', 'failed', 'Finch ÷ this (req/s)'];
  const rows = (Object.keys(LABELS) as Key[]).map((k) => {
    const m = measured.get(k);
    if (!m) return [LABELS[k], notMeasured(failed.get(k) ?? ''), '', '', '', '', '', ''];
    return [
      LABELS[k],
      num(m.load.requestsPerSecond),
      num(m.load.p50Ms),
      num(m.load.p99Ms),
      num(m.peakRss / 1e6, 1),
      num(m.meanBody),
      num(m.load.failures),
      finch ? ratio(vsFinch(m), 1) : 'n/a',
    ];
  });

  const goals: Goal[] = [
    {
      name: 'getConsoleVersion req/s vs bare node:http',
      target: '≥ 0.6×',
      actual: finch && bare ? ratio(vsFinch(bare), 1) : whyNot('finch', 'bare'),
      met: finch && bare ? vsFinch(bare) >= 0.6 : null,
    },
    {
      name: 'getConsoleVersion req/s vs nginx + Lua + memcached',
      target: '≥ 1.0×',
      actual: finch && nginx ? ratio(vsFinch(nginx), 1) : whyNot('finch', 'nginx'),
      met: finch && nginx ? vsFinch(nginx) >= 1 : null,
    },
    {
      name: 'getConsoleVersion p99 at 50 connections',
      target: '< 5 ms',
      actual: finch ? `${num(finch.load.p99Ms)} ms` : whyNot('finch'),
      met: finch ? finch.load.p99Ms < 5 : null,
    },
    {
      name: 'control plane peak RSS under load (PGlite: database inside the process)',
      target: '< 200 MB',
      actual: finch ? `${num(finch.peakRss / 1e6, 1)} MB` : whyNot('finch'),
      met: finch ? finch.peakRss < 200 * 1e6 : null,
    },
    {
      name: 'control plane peak RSS of a first start on an empty data dir (PGlite)',
      target: '< 200 MB',
      actual: firstStart ? `${num(firstStart.peak / 1e6, 1)} MB` : notMeasured(firstStartError),
      met: firstStart ? firstStart.peak < 200 * 1e6 : null,
    },
    {
      name: 'control plane peak RSS under load (PostgreSQL: Finch process only)',
      target: '< 200 MB',
      actual: finchPg ? `${num(finchPg.peakRss / 1e6, 1)} MB` : whyNot('finchPg'),
      met: finchPg ? finchPg.peakRss < 200 * 1e6 : null,
    },
  ];
  return { tables: [{ title: 'getConsoleVersion on loopback', columns, rows, notes }], goals };
}
