/**
 * A staged rollout watched by 100,000 simulated users, on a real control plane (PGlite, its rollout
 * engine ticking every 50 ms). Users visit in rounds: each visit asks the server's getConsoleVersion
 * answerer for the user's manifest (the code behind `GET /console-version`, called in process so that
 * 100,000 visits take a second, not a minute), and a user served the gray build reports an exposure,
 * signed with the token of that manifest, and, if the build fails for them, a load error. Reports
 * travel as browsers send them, over real HTTP to `POST /reports` in batches of 100, each batch from
 * its own client address behind a trusted proxy, so the per-address rate limit applies as it would.
 *
 * The clock is sped up by shortening the plan: holds are a second or two, where a real plan holds for
 * hours; the guard, the stages and the engine are the production ones. Used by
 * `test/server/rollouts/simulation.test.ts` (asserts) and `npm run bench` (prints the figures).
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileRule } from '../../../core/index.js';
import { rng } from '../../rng.js';
import { createAnswerer } from '../../../server/hotPath/answer.js';
import { createLocation, seedProduct, startServer, createStrategy, type TestServer } from '../harness.js';

export interface SimulationOptions {
  /** Simulated users. @default 100_000 */
  users?: number;
  /** Share of the gray build's users whose page fails to load it (0.05: 5 %). */
  failingShare: number;
  /** Visits per round. @default 10_000 */
  visitsPerRound?: number;
  /** Gives up after this long (the result then says `timed-out`). @default 120_000 */
  timeoutMs?: number;
}

export interface SimulationResult {
  /** The rollout's last state, or `timed-out`. */
  outcome: string;
  /** The stage it ended at, from 0. */
  stageIndex: number;
  stageCount: number;
  /** The engine's last reason. */
  reason: string;
  users: number;
  /** Distinct users the gray build was served to. */
  servedGray: number;
  /** Users in the first stage's audience: what the rollout would put at risk if it stopped there. */
  firstStageAudience: number;
  /** Users whose page failed to load the gray build (they reported a load error). */
  failedUsers: number;
  /** Wall time from the first failure report sent to the rollout seen rolled back; null without either. */
  msFromFirstFailureToRollback: number | null;
  /** Wall time from the start of the rollout to its end. */
  msToEnd: number;
  /** A user served the gray build and later the stable one while the rollout was running: never expected. */
  wentBack: number;
  /** After the end, how many of all users get each version. */
  versionsAfter: Record<string, number>;
  reportsSent: number;
  reportRequests: number;
  visits: number;
}

const PRODUCT = 'shop';
/** Two seconds a stage: about one visit of every user at this machine's pace. */
const STAGES = [{ percent: 1, holdSeconds: 2 }, { percent: 10, holdSeconds: 2 }, { percent: 50, holdSeconds: 2 }];
const GUARD = { minExposures: 200, maxFallbackRate: 0.02 };

/** A user's page fails to load the gray build: a fixed 1-in-N draw per user id (FNV-1a), not per visit. */
function fails(userId: string, share: number): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 10_000 < share * 10_000;
}

interface Entry {
  resourceId: number;
  version: string;
  reportToken?: string;
}

export async function simulateRollout(opts: SimulationOptions): Promise<SimulationResult> {
  const userCount = opts.users ?? 100_000;
  const perRound = opts.visitsPerRound ?? 10_000;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const loc = await createLocation('pglite');
  let s: TestServer | null = null;
  try {
    s = await startServer(loc, { env: { FINCH_ROLLOUT_TICK_MS: '50', FINCH_TRUST_PROXY: '127.0.0.1/32' } });
    const server = s;
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    const { resources } = await seedProduct(server, PRODUCT, ['1.0.0', '2.0.0']);
    await createStrategy(server, { product: PRODUCT, resourceId: resources['1.0.0'], status: 'full' });
    const gray = resources['2.0.0']!;

    const answerer = createAnswerer(server.deps);
    const request = { headers: {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
    const manifestOf = (userId: string): Entry | undefined => {
      const a = answerer.answerNow!(request, [PRODUCT], userId, undefined);
      return (JSON.parse(a.body) as { products: Record<string, Entry> }).products[PRODUCT];
    };

    const users = Array.from({ length: userCount }, (_, i) => `user-${i}`);
    // Visits in a shuffled order, every user once per sweep, the same order on every run.
    const random = rng(15);
    for (let i = users.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [users[i], users[j]] = [users[j]!, users[i]!];
    }

    const started = performance.now();
    const start = await server.call('POST', '/api/v1/rollouts', { product: PRODUCT, resourceId: gray, stages: STAGES, guard: GUARD, onBreach: 'rollback' }, server.auth.operator);
    if (start.statusCode !== 201) throw new Error(`Failed to start the rollout: ${start.statusCode} ${start.body}`);
    const rolloutId = (start.json() as { id: number }).id;
    const read = async (): Promise<{ state: string; stageIndex: number; stageCount: number; decision: { reason: string } }> =>
      (await server.call('GET', `/api/v1/rollouts/${rolloutId}`, undefined, server.auth.viewer)).json();

    const servedGray = new Set<string>();
    const failed = new Set<string>();
    let firstFailureAt: number | null = null;
    let wentBack = 0;
    let reportsSent = 0;
    let reportRequests = 0;
    let visits = 0;
    let cursor = 0;
    const send = async (reports: object[]): Promise<void> => {
      const batches: object[][] = [];
      for (let i = 0; i < reports.length; i += 100) batches.push(reports.slice(i, i + 100));
      // A few connections at once, as many browsers would; each batch from its own address.
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let batch = batches.shift(); batch !== undefined; batch = batches.shift()) {
          const n = reportRequests++;
          const res = await fetch(`${origin}/api/v1/reports`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
            body: JSON.stringify(batch),
          });
          if (res.status !== 202) throw new Error(`POST /reports answered ${res.status}: ${await res.text()}`);
          reportsSent += batch.length;
        }
      }));
    };

    let state = await read();
    while (state.state === 'running' || state.state === 'paused') {
      if (performance.now() - started > timeoutMs) {
        state = { ...state, state: 'timed-out' };
        break;
      }
      const reports: object[] = [];
      for (let k = 0; k < perRound; k++, cursor = (cursor + 1) % users.length) {
        const userId = users[cursor]!;
        const entry = manifestOf(userId);
        visits++;
        if (entry?.resourceId !== gray) {
          if (servedGray.has(userId)) wentBack++;
          continue;
        }
        servedGray.add(userId);
        reports.push({ product: PRODUCT, resourceId: gray, kind: 'exposure', token: entry.reportToken });
        if (fails(userId, opts.failingShare)) {
          failed.add(userId);
          reports.push({ product: PRODUCT, resourceId: gray, kind: 'load-error', token: entry.reportToken });
          firstFailureAt ??= performance.now();
        }
      }
      await send(reports);
      const next = await read();
      // Users sent back by a rollback are not users who went back while it ran.
      if (next.state === 'rolled-back') wentBack = 0;
      state = next;
      // Paces the rounds like traffic over time: the engine ticks in between.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ended = performance.now();

    const versionsAfter: Record<string, number> = {};
    for (const userId of users) {
      const v = manifestOf(userId)?.version ?? 'none';
      versionsAfter[v] = (versionsAfter[v] ?? 0) + 1;
    }
    return {
      outcome: state.state,
      stageIndex: state.stageIndex,
      stageCount: state.stageCount,
      reason: state.decision.reason,
      users: userCount,
      servedGray: servedGray.size,
      firstStageAudience: await firstStageSize(server, users, rolloutId),
      failedUsers: failed.size,
      msFromFirstFailureToRollback: firstFailureAt !== null && state.state === 'rolled-back' ? Math.round(ended - firstFailureAt) : null,
      msToEnd: Math.round(ended - started),
      wentBack,
      versionsAfter,
      reportsSent,
      reportRequests,
      visits,
    };
  } finally {
    await s?.close();
    await loc.dispose();
  }
}

/** How many of `users` the rollout's first stage matches: its percent rule with the rollout's salt, through core. */
async function firstStageSize(server: TestServer, users: readonly string[], rolloutId: number): Promise<number> {
  const r = (await server.call('GET', `/api/v1/rollouts/${rolloutId}`, undefined, server.auth.viewer)).json() as { plan: { salt: string } };
  const rule = compileRule({ percent: STAGES[0]!.percent }, { salt: r.plan.salt });
  return users.filter((userId) => rule({ userId, ip: '127.0.0.1', attributes: {} })).length;
}
