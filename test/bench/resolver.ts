/**
 * Table 2: nanoseconds per product decision of core's compiled resolver, beside the naive resolver over
 * the raw rows, for a small and a large rule set and for 1,000 … 1,000,000 user ids in lists.
 */
import type { RequestContext } from '../../core/rules/Rule.js';
import { buildFixture, NOW, requestUserIds, type Fixture } from './fixture.js';
import { loadCore } from './finchModules.js';
import { naiveResolver } from './naiveResolver.js';
import { errorText, notMeasured, num, ratio, type Goal, type SectionResult } from './report.js';

interface Case {
  label: string;
  products: number;
  strategiesPerProduct: number;
  userIds: number;
  large: boolean;
}

const IPS = ['127.0.0.1', '10.1.2.3', '203.0.113.9', '2001:db8::1', '198.51.100.7'];

/**
 * Requests with varied users, IPs and attributes, so every kind of rule is exercised. User ids are fresh
 * flat strings decoded from bytes, as a server gets them from a request: reusing the list's own string
 * objects would let every hash lookup win on pointer equality, and the template literals of the fixture
 * make cons strings that a real request never carries.
 */
function contexts(fixture: Fixture, count: number): RequestContext[] {
  return requestUserIds(fixture, count).map((id, i) => ({
    userId: Buffer.from(id, 'utf8').toString('utf8'),
    ip: IPS[i % IPS.length]!,
    attributes: {
      group: i % 7 === 0 ? 'beta' : 'stable',
      platform: i % 3 === 0 ? 'ios' : 'web',
      appVersion: `3.${i % 25}.1`,
      country: i % 11 === 0 ? 'XX' : 'DE',
    },
  }));
}

/**
 * Runs `fn` over contexts × products in chunks of 50 contexts until `budgetMs` passed (at least one
 * chunk); returns ns per product decision.
 */
function measure(fn: (ctx: RequestContext, product: string) => number, ctxs: RequestContext[], products: string[], budgetMs: number): number {
  const chunk = 50;
  let decisions = 0;
  let sink = 0;
  let offset = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(budgetMs * 1e6));
  let now = start;
  do {
    for (let i = 0; i < chunk; i++) {
      const ctx = ctxs[(offset + i) % ctxs.length]!;
      for (const p of products) sink += fn(ctx, p);
    }
    offset += chunk;
    decisions += chunk * products.length;
    now = process.hrtime.bigint();
  } while (now < until);
  if (sink === -1) console.log('unreachable'); // keeps the results alive
  return Number(now - start) / decisions;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function resolverBench(opts: { quick: boolean }): Promise<SectionResult> {
  const columns = ['rule set', 'user ids in lists', 'compile ms', 'Finch ns / product', 'naive ns / product', 'Finch ÷ naive'];
  const cases: Case[] = [
    { label: 'small: 1 product × 6 strategies', products: 1, strategiesPerProduct: 6, userIds: 10, large: false },
    ...(opts.quick ? [1_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000]).map((n) => ({
      label: 'large: 20 products × 50 strategies',
      products: 20,
      strategiesPerProduct: 50,
      userIds: n,
      large: true,
    })),
  ];
  const budgetMs = opts.quick ? 200 : 1_500;
  const notes = [
    `Each figure is the median of 3 timed runs of ${budgetMs} ms over 1,000 requests (half listed users, half unknown; varied IPs and attributes) × every product, after a warm-up; the runs go round every case in turn, so load drift hits all sizes alike.`,
    'Request user ids are fresh strings (decoded from bytes, as a server parses them), not the lists\' own string objects. Each request is resolved for every product in a row, as getConsoleVersion does: core probes its user index once per request and the other products reuse that probe.',
    'Large rule set per product: 1 full, 4 gray with percent / attribute / CIDR / combined rules (one in a time window), 45 gray with user lists sharing the ids.',
    'Naive: rules interpreted from raw JSON per call, user lists scanned as arrays, CIDRs parsed per call, all strategy rows walked. Lower is better; the ratio is Finch ÷ naive.',
  ];

  let core;
  try {
    core = await loadCore();
  } catch (err) {
    const reason = `core not loadable (${errorText(err)})`;
    return {
      tables: [{ title: 'Resolver: time per product decision', columns, rows: cases.map((c) => [c.label, num(c.userIds), '', notMeasured(reason), '', '']), notes }],
      goals: [
        { name: 'resolver time per product (large, 100,000 ids)', target: '< 2 µs', actual: notMeasured(reason), met: null },
        { name: 'resolver flat in user ids (1,000 → largest)', target: '≤ 2× growth', actual: notMeasured(reason), met: null },
      ],
    };
  }
  notes.push(`Finch's resolver loaded from ${core.from}.`);
  const { compileSnapshot, resolveProduct, bucketOf } = core.module;

  interface Prepared {
    c: Case;
    ctxs: RequestContext[];
    products: string[];
    compileMs: number;
    finch: (ctx: RequestContext, p: string) => number;
    base: (ctx: RequestContext, p: string) => number;
    f: number[];
    n: number[];
  }
  const rows = new Map<Case, string[]>();
  const prepared: Prepared[] = [];
  let mismatches = 0;
  let checked = 0;
  // Every case is built first and then timed in rounds across all cases, so drift in machine load hits
  // every size alike: the growth from 1,000 to 1,000,000 ids is itself a ratio of one run.
  for (const c of cases) {
    try {
      const fixture = buildFixture(c);
      const ctxs = contexts(fixture, 1_000);
      const products = fixture.productNames;
      const t0 = performance.now();
      const snapshot = compileSnapshot(fixture.input);
      const compileMs = performance.now() - t0;
      const naive = naiveResolver(fixture.input, bucketOf);

      for (const ctx of ctxs.slice(0, 200)) {
        for (const p of products) {
          const a = resolveProduct(snapshot, p, ctx, NOW);
          const b = naive.resolveProduct(p, ctx, NOW);
          checked++;
          if (a?.strategyId !== b?.strategyId || a?.fallback?.resourceId !== b?.fallback?.resourceId) mismatches++;
        }
      }
      const finch = (ctx: RequestContext, p: string): number => resolveProduct(snapshot, p, ctx, NOW)?.resourceId ?? 0;
      const base = (ctx: RequestContext, p: string): number => naive.resolveProduct(p, ctx, NOW)?.resourceId ?? 0;
      prepared.push({ c, ctxs, products, compileMs, finch, base, f: [], n: [] });
    } catch (err) {
      rows.set(c, [c.label, num(c.userIds), '', notMeasured(`resolver threw: ${errorText(err)}`), '', '']);
    }
  }
  for (const x of prepared) {
    measure(x.finch, x.ctxs, x.products, budgetMs / 3);
    measure(x.base, x.ctxs, x.products, budgetMs / 3);
  }
  for (let i = 0; i < 3; i++) {
    for (const x of prepared) {
      // Finch and naive interleaved too, so drift hits both sides alike.
      x.f.push(measure(x.finch, x.ctxs, x.products, budgetMs));
      x.n.push(measure(x.base, x.ctxs, x.products, budgetMs));
    }
  }
  const largeNs: Array<{ ids: number; ns: number }> = [];
  for (const x of prepared) {
    const fns = median(x.f);
    const nns = median(x.n);
    if (x.c.large) largeNs.push({ ids: x.c.userIds, ns: fns });
    rows.set(x.c, [x.c.label, num(x.c.userIds), num(x.compileMs, 1), num(fns, 0), num(nns, 0), ratio(fns, nns)]);
  }
  notes.push(
    mismatches === 0
      ? `Cross-check: Finch and the naive resolver chose the same strategy and fallback in all ${num(checked)} sampled decisions.`
      : `Cross-check FAILED: Finch and the naive resolver disagree in ${num(mismatches)} of ${num(checked)} sampled decisions.`,
  );

  const goals: Goal[] = [];
  const at100k = largeNs.find((x) => x.ids === 100_000);
  goals.push({
    name: 'resolver time per product (large, 100,000 ids)',
    target: '< 2 µs',
    actual: at100k ? `${num(at100k.ns / 1000, 2)} µs` : notMeasured('large case failed'),
    met: at100k ? at100k.ns < 2000 : null,
  });
  const first = largeNs[0];
  const last = largeNs[largeNs.length - 1];
  goals.push({
    name: `resolver flat in user ids (${num(first?.ids ?? 0)} → ${num(last?.ids ?? 0)})`,
    target: '≤ 2× growth',
    actual: first && last && first !== last ? `${ratio(last.ns, first.ns)} (${num(first.ns)} → ${num(last.ns)} ns)` : notMeasured('large cases failed'),
    met: first && last && first !== last ? last.ns / first.ns <= 2 : null,
  });
  return { tables: [{ title: 'Resolver: time per product decision', columns, rows: cases.map((c) => rows.get(c) ?? []), notes }], goals };
}
