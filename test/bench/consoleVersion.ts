/**
 * Table 1: getConsoleVersion on loopback, 50 connections, each request another user, against the store of
 * issue 2 (20 products × 50 strategies, 100,000 user ids in lists); beside a bare node:http server
 * answering a body of the same size from memory, and the seed's nginx + Lua + memcached design.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceRow, StrategyRow } from '../../core/snapshot.js';
import { buildFixture, CONTROL_PLANE_STORE, requestUserIds, type Fixture } from './fixture.js';
import { seedFinchStore, startFinchServer, type SeededStore } from './finchServer.js';
import { loadCore, rootPath } from './finchModules.js';
import { runLoad, type LoadResult } from './load.js';
import { ensureNginxLua, startNginxLua, type NginxFragments } from './nginxLua.js';
import { rssOf, startChild, tempDir } from './processes.js';
import { errorText, notMeasured, num, ratio, type Goal, type SectionResult } from './report.js';

const CONNECTIONS = 50;

interface Measured {
  load: LoadResult;
  peakRss: number;
  meanBody: number;
}

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

async function measure(origin: string, paths: readonly string[], seconds: number, rss: () => { peak: number }, meanBody: number): Promise<Measured> {
  // Warm-up: JIT, connection pools, caches; not counted. Half a second is enough for --quick's 2 s runs.
  await runLoad({ origin, paths, connections: CONNECTIONS, durationSeconds: seconds < 5 ? 0.5 : 1 });
  const load = await runLoad({ origin, paths, connections: CONNECTIONS, durationSeconds: seconds });
  return { load, peakRss: rss().peak, meanBody };
}

/** strategyId per product in a manifest body, for cross-checking two servers. */
function choices(body: string): string {
  const m = JSON.parse(body) as { products: Record<string, { strategyId: number }> };
  return Object.entries(m.products)
    .map(([k, v]) => `${k}:${v.strategyId}`)
    .join(',');
}

// Entries in the key order of core's compileSnapshot, so sizes match byte for byte.
function buildJson(r: ResourceRow): Record<string, unknown> {
  return { resourceId: r.id, version: r.version, baseUrl: r.baseUrl, files: r.files, integrity: r.integrity };
}

function entryJson(s: StrategyRow, r: ResourceRow, full: ResourceRow | null): string {
  const e: Record<string, unknown> = {
    resourceId: r.id,
    version: r.version,
    strategyId: s.id,
    status: s.status,
    baseUrl: r.baseUrl,
    files: r.files,
    integrity: r.integrity,
    config: r.config,
    dependencies: r.dependencies,
  };
  if (full && full.id !== r.id) e['fallback'] = buildJson(full);
  return `${JSON.stringify(s.product)}:${JSON.stringify(e)}`;
}

/**
 * What an operator of the seed design would load into memcached and nginx: per listed user the
 * strategies that differ from the full builds (their list, else a percent bucket they fall in), and the
 * JSON fragment of every answer. Only user lists and percent rules can be decided this way; the
 * attribute and CIDR rules of the fixture never match a request without attributes from 127.0.0.1.
 */
function seedDesign(
  fixture: Fixture,
  revision: number,
  now: number,
  bucketOf: (salt: string, key: string) => number,
): { fragments: NginxFragments; entries: Array<[string, string]> } {
  const resources = new Map(fixture.input.resources.map((r) => [r.id, r]));
  const products = fixture.productNames;
  const full: string[] = [];
  const byStrategy = new Map<number, string>();
  const lists = new Map<string, string>();
  const percents: Array<{ index: number; id: number; salt: string; threshold: number }> = [];
  products.forEach((name, i) => {
    const rows = fixture.input.strategies.filter((s) => s.product === name && s.status !== 'off');
    const fullRow = rows.find((s) => s.status === 'full')!;
    const fullRes = resources.get(fullRow.resourceId)!;
    full.push(entryJson(fullRow, fullRes, null));
    for (const s of rows.filter((x) => x.status === 'gray').sort((a, b) => b.priority - a.priority || b.updatedAt - a.updatedAt)) {
      if ((s.startsAt !== null && now < s.startsAt) || (s.endsAt !== null && now >= s.endsAt) || s.rule === null) continue;
      byStrategy.set(s.id, entryJson(s, resources.get(s.resourceId)!, fullRes));
      if ('users' in s.rule) {
        for (const u of s.rule.users) {
          const prev = lists.get(u);
          if (!prev?.split(',').some((p) => p.startsWith(`${i + 1}:`))) lists.set(u, prev ? `${prev},${i + 1}:${s.id}` : `${i + 1}:${s.id}`);
        }
      } else if ('percent' in s.rule) {
        percents.push({ index: i + 1, id: s.id, salt: s.salt ?? String(s.id), threshold: s.rule.percent * 100 });
      }
    }
  });
  const entries: Array<[string, string]> = [];
  for (const u of fixture.listedUserIds) {
    const own = lists.get(u) ?? '';
    const taken = new Set(own.split(',').filter(Boolean).map((p) => p.split(':')[0]));
    const extra = percents.filter((p) => !taken.has(String(p.index)) && bucketOf(p.salt, u) < p.threshold).map((p) => `${p.index}:${p.id}`);
    entries.push([`u:${u}`, [own, ...extra].filter(Boolean).join(',')]);
  }
  return {
    fragments: {
      products,
      full,
      byStrategy,
      head: '{"schema":1,"userId":',
      middle: `,"revision":${revision},"ttlSeconds":${fixture.input.ttlSeconds},"serviceWorker":{"enabled":true},"products":{`,
    },
    entries,
  };
}

/** The store every server of this table answers from. */
export const STORE = CONTROL_PLANE_STORE;

export async function consoleVersionBench(opts: { quick: boolean; seeded: Promise<SeededStore> }): Promise<SectionResult> {
  const seconds = opts.quick ? 2 : 10;
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
  const notes = [
    `autocannon in the bench process, ${CONNECTIONS} connections, ${seconds} s after a ${seconds < 5 ? '0.5' : '1'} s warm-up; GET of all ${fixture.productNames.length} products, userId cycling through ${num(paths.length)} ids (half in lists, half unknown). autocannon records latency in whole milliseconds.`,
    `Store: ${store.products} products × ${store.strategiesPerProduct} strategies, ${num(store.userIds)} user ids in lists; seeded into a fresh PGlite data dir through the server's own store seam (openDb + migrations, one transaction, bumpRevision) with bulk SQL, not through the HTTP API.`,
    'Each server runs as its own process with one CPU worker (Finch: one Node process; nginx: worker_processes 1 and memcached -t 1). RSS is the peak (VmHWM) after the load; for nginx it is master + worker + memcached.',
  ];
  const columns = ['server', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'mean body B', 'failed', 'Finch ÷ this (req/s)'];
  const row = (label: string, m: Measured, finch: Measured | null): string[] => [
    label,
    num(m.load.requestsPerSecond),
    num(m.load.p50Ms),
    num(m.load.p99Ms),
    num(m.peakRss / 1e6, 1),
    num(m.meanBody),
    num(m.load.failures),
    finch ? ratio(finch.load.requestsPerSecond, m.load.requestsPerSecond) : 'n/a',
  ];
  const skipped = (label: string, reason: string): string[] => [label, notMeasured(reason), '', '', '', '', '', ''];

  const PG_IDLE = '<pg-idle>';
  let pgIdleNote = PG_IDLE;
  let finch: Measured | null = null;
  let finchSample: Sampled | null = null;
  let finchError = '';
  let revision = 0;
  try {
    if (!seeded) throw new Error(seedError);
    const server = await startFinchServer(seeded.dataDir);
    try {
      const idle = server.rss();
      notes.push(`Finch ran as ${server.how}; seeding took ${num(seeded.seedMs / 1000, 1)} s; RSS after start, before any load: ${num(idle.rss / 1e6, 1)} MB (PGlite), ${pgIdleNote}.`);
      finchSample = await sample(server.origin, paths, 200);
      revision = (JSON.parse(finchSample.bodies[0]!) as { revision: number }).revision;
      finch = await measure(server.origin, paths, seconds, server.rss, finchSample.meanBody);
    } finally {
      await server.stop();
    }
  } catch (err) {
    finchError = errorText(err);
  } finally {
    await seeded?.remove();
  }

  // The same server and store on PostgreSQL (DATABASE_URL): the production set-up, where the database's
  // memory is another process's and the Finch process holds only Node and the snapshot.
  let finchPg: Measured | null = null;
  let finchPgError = '';
  {
    const base = process.env['FINCH_BENCH_DATABASE_URL'] || process.env['FINCH_TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
    const url = new URL(base);
    url.pathname = `/finch_bench_${process.pid}_${Date.now().toString(36)}`;
    let pgSeeded: SeededStore | null = null;
    try {
      pgSeeded = await seedFinchStore({ ...store }, url.toString());
      const server = await startFinchServer(pgSeeded.dataDir, url.toString());
      try {
        pgIdleNote = `${num(server.rss().rss / 1e6, 1)} MB (PostgreSQL; seeding took ${num(pgSeeded.seedMs / 1000, 1)} s)`;
        const s = await sample(server.origin, paths, 200);
        if (finchSample && s.bodies.some((b, i) => choices(b) !== choices(finchSample!.bodies[i]!))) {
          notes.push('Cross-check: Finch on PostgreSQL and on PGlite chose different builds for some sampled users.');
        }
        finchPg = await measure(server.origin, paths, seconds, server.rss, s.meanBody);
      } finally {
        await server.stop();
      }
    } catch (err) {
      finchPgError = errorText(err);
      pgIdleNote = `PostgreSQL run not measured`;
    } finally {
      await pgSeeded?.remove().catch(() => undefined);
    }
    for (let i = 0; i < notes.length; i++) notes[i] = notes[i]!.replace(PG_IDLE, pgIdleNote);
    notes.push(
      `PostgreSQL row: the same \`finch serve\` with DATABASE_URL pointing at a fresh database on ${url.host} (created, seeded the same way, dropped after). Its peak RSS is the Finch process alone; the PostgreSQL server's memory is not in it. The PGlite row's RSS includes the embedded database (WASM PostgreSQL in the process).`,
    );
  }

  let bare: Measured | null = null;
  let bareError = '';
  if (finchSample) {
    const dir = tempDir('finch-bench-bare-');
    try {
      // A real Finch answer, padded with JSON whitespace to the mean size of Finch's answers.
      const size = Math.round(finchSample.meanBody);
      const base = finchSample.bodies.filter((b) => Buffer.byteLength(b) <= size).sort((a, b) => b.length - a.length)[0] ?? finchSample.bodies[0]!;
      writeFileSync(join(dir, 'body.json'), base + ' '.repeat(Math.max(0, size - Buffer.byteLength(base))));
      const child = startChild(process.execPath, ['--import', 'tsx', rootPath('test/bench/bareServer.ts'), join(dir, 'body.json')], { cwd: rootPath('') });
      try {
        const port = (await child.waitFor(/listening (\d+)/, 15_000))[1];
        const origin = `http://127.0.0.1:${port}`;
        const s = await sample(origin, paths, 20);
        bare = await measure(origin, paths, seconds, () => rssOf(child.pid), s.meanBody);
      } finally {
        await child.stop();
      }
    } catch (err) {
      bareError = errorText(err);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    bareError = 'needs the size of Finch’s answer, and Finch did not run';
  }

  let nginx: Measured | null = null;
  let nginxError = '';
  const reason = ensureNginxLua((l) => process.stderr.write(l + '\n'));
  if (reason) {
    nginxError = `skipped: ${reason}`;
  } else {
    try {
      const core = await loadCore();
      const design = seedDesign(fixture, revision || 2, now, core.module.bucketOf);
      const server = await startNginxLua(design.fragments, design.entries);
      try {
        const s = await sample(server.origin, paths, 200);
        if (finchSample) {
          // Listed users (even positions of the request list) must get the same builds from both designs.
          let same = 0;
          let compared = 0;
          for (let i = 0; i < s.bodies.length; i += 2) {
            compared++;
            if (choices(s.bodies[i]!) === choices(finchSample.bodies[i]!)) same++;
          }
          notes.push(
            same === compared
              ? `Cross-check: nginx+Lua and Finch chose the same build of every product for all ${compared} sampled listed users.`
              : `Cross-check: nginx+Lua and Finch agree for ${same} of ${compared} sampled listed users.`,
          );
        }
        nginx = await measure(server.origin, paths, seconds, server.rss, s.meanBody);
      } finally {
        await server.stop();
      }
    } catch (err) {
      nginxError = errorText(err);
    }
  }
  notes.push(
    'nginx + Lua + memcached: Debian nginx 1.22 with libnginx-mod-http-lua; per request the Lua gets `u:<userId>` from memcached over a pooled ngx.socket.tcp connection (the text protocol written out, lua-resty-memcached is not packaged) and concatenates JSON fragments rendered ahead. Only listed users are in memcached, so unknown users cannot get percent rollouts there.',
  );

  const rows = [
    finch ? row('Finch getConsoleVersion (PGlite, the default store)', finch, finch) : skipped('Finch getConsoleVersion (PGlite, the default store)', finchError),
    finchPg ? row('Finch getConsoleVersion (PostgreSQL via DATABASE_URL)', finchPg, finch) : skipped('Finch getConsoleVersion (PostgreSQL via DATABASE_URL)', finchPgError),
    bare ? row('bare node:http, same-size body from memory', bare, finch) : skipped('bare node:http, same-size body from memory', bareError),
    nginx ? row('nginx + Lua + memcached (seed 002)', nginx, finch) : skipped('nginx + Lua + memcached (seed 002)', nginxError),
  ];
  for (const [label, m] of [['Finch', finch], ['Finch on PostgreSQL', finchPg], ['bare', bare], ['nginx', nginx]] as const) {
    if (m && m.load.failures > 0) notes.push(`${label}: ${num(m.load.failures)} of ${num(m.load.requests)} requests failed (non-2xx or socket errors).`);
  }

  const na = (what: string): string => notMeasured(what);
  const goals: Goal[] = [
    {
      name: 'getConsoleVersion req/s vs bare node:http',
      target: '≥ 0.6×',
      actual: finch && bare ? ratio(finch.load.requestsPerSecond, bare.load.requestsPerSecond) : na(finchError || bareError),
      met: finch && bare ? finch.load.requestsPerSecond / bare.load.requestsPerSecond >= 0.6 : null,
    },
    {
      name: 'getConsoleVersion req/s vs nginx + Lua + memcached',
      target: '≥ 1.0×',
      actual: finch && nginx ? ratio(finch.load.requestsPerSecond, nginx.load.requestsPerSecond) : na(finchError || nginxError),
      met: finch && nginx ? finch.load.requestsPerSecond / nginx.load.requestsPerSecond >= 1 : null,
    },
    {
      name: 'getConsoleVersion p99 at 50 connections',
      target: '< 5 ms',
      actual: finch ? `${num(finch.load.p99Ms)} ms` : na(finchError),
      met: finch ? finch.load.p99Ms < 5 : null,
    },
    {
      name: 'control plane peak RSS under load (PGlite: database inside the process)',
      target: '< 200 MB',
      actual: finch ? `${num(finch.peakRss / 1e6, 1)} MB` : na(finchError),
      met: finch ? finch.peakRss < 200 * 1e6 : null,
    },
    {
      name: 'control plane peak RSS under load (PostgreSQL: Finch process only)',
      target: '< 200 MB',
      actual: finchPg ? `${num(finchPg.peakRss / 1e6, 1)} MB` : na(finchPgError),
      met: finchPg ? finchPg.peakRss < 200 * 1e6 : null,
    },
  ];
  return { tables: [{ title: 'getConsoleVersion on loopback', columns, rows, notes }], goals };
}
