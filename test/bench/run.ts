/**
 * `npm run bench [-- --quick] [-- --only=sizes,resolver] [-- --write]`: every performance figure of Finch
 * beside its baseline, measured in this one run, printed as markdown. `--quick` is CI's smoke run (short
 * loads, fewer ids, under a minute); its figures are noisier but come from the same code. Only a full run
 * with `--write` records itself in the tracked test/bench/RESULTS.md: a smoke run must leave the tree clean.
 */
import { writeFileSync } from 'node:fs';
import { browserBench } from './browser.js';
import { consoleVersionBench, STORE } from './consoleVersion.js';
import { startDemoServer, type DemoServer } from './demoLogin.js';
import { seedFinchStore, type SeededStore } from './finchServer.js';
import { describeMachine } from './machine.js';
import { readBenchOptions, SECTIONS, USAGE, type BenchOptions } from './options.js';
import { killAllSync, stopAll } from './processes.js';
import { errorText, renderGoals, renderTable, type Goal, type SectionResult, type Table } from './report.js';
import { resolverBench } from './resolver.js';
import { rolloutsBench } from './rollouts.js';
import { sizesBench } from './sizes.js';

function readOptions(): BenchOptions {
  try {
    return readBenchOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`Failed to start the bench: ${errorText(err)}\n${USAGE}`);
    process.exit(2);
  }
}

const { quick, only, write } = readOptions();
const wanted = (name: string): boolean => only === null || only.includes(name);

// Slow, untimed set-up (seeding a store, starting the demo, which seeds itself through the API) runs in
// the background while the sizes, which are not timings, are measured; the timed sections wait for it.
let seeded: Promise<SeededStore> | null = null;
let demo: Promise<DemoServer> | null = null;
const unhandled = <T>(p: Promise<T>): Promise<T> => {
  p.catch(() => undefined);
  return p;
};

const settled = async (p: Promise<unknown> | null): Promise<void> => {
  await p?.catch(() => undefined);
};

const sections: Array<[name: string, run: () => Promise<SectionResult>]> = [
  ['sizes', () => sizesBench()],
  // The demo's start-up must not overlap a timed load, so the timed sections wait for it first.
  [
    'console-version',
    async () => {
      await settled(demo);
      return consoleVersionBench({ quick, seeded: seeded! });
    },
  ],
  ['resolver', () => resolverBench({ quick })],
  ['browser', () => browserBench({ demo: demo! })],
  ['rollouts', () => rolloutsBench()],
];

process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const started = new Date();
  const machine = describeMachine();
  const t0 = performance.now();
  if (wanted('console-version')) seeded = unhandled(seedFinchStore({ ...STORE, now: Date.now() }));
  if (wanted('browser')) demo = unhandled(startDemoServer());
  const results = new Map<string, SectionResult>();
  for (const [name, run] of sections) {
    if (!wanted(name)) continue;
    const s0 = performance.now();
    process.stderr.write(`bench: ${name}…\n`);
    try {
      results.set(name, await run());
    } catch (err) {
      // A section that fails as a whole still leaves a row saying so; the other sections go on.
      results.set(name, {
        tables: [{ title: name, columns: ['section', 'result'], rows: [[name, `not measured: ${errorText(err)}`]], notes: [] }],
        goals: [],
      });
    }
    process.stderr.write(`bench: ${name} took ${((performance.now() - s0) / 1000).toFixed(1)} s\n`);
  }
  const tables: Table[] = [];
  const goals: Goal[] = [];
  for (const name of SECTIONS) {
    const r = results.get(name);
    if (!r) continue;
    tables.push(...r.tables);
    goals.push(...r.goals);
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const summary = renderGoals(goals);
  const header = [
    '# Finch benchmark results',
    '',
    `\`npm run bench${write ? ' -- --write' : quick ? ' -- --quick' : ''}\` on ${started.toISOString()}, ${seconds} s.`,
    '',
    `Machine: ${machine}.`,
    '',
    'Every figure sits beside its baseline measured in the same run; on a shared, noisy machine only those',
    'ratios mean anything.' + (quick ? ' This was a `--quick` run (short loads, fewer ids): noisier figures.' : ''),
    '',
  ].join('\n');
  const doc = [header, ...tables.map(renderTable), summary].join('\n');
  process.stdout.write(doc + '\n');
  if (write) {
    writeFileSync(new URL('./RESULTS.md', import.meta.url), doc);
    process.stderr.write('bench: wrote test/bench/RESULTS.md\n');
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
