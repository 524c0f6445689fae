/**
 * A rollout survives `kill -9` mid-stage: a real `finch serve` process on the embedded database is killed
 * while the rollout holds its second stage; a new process on the same data directory carries on from
 * that stage (its hold still measured from when the stage began) and completes it. Nothing of a rollout
 * lives in memory.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { createLocation, startServer, type TestLocation } from '../harness.js';
import { spawnServe, type ServeProcess } from '../process.js';
import { seedTwoBuilds } from './rolloutSetup.js';

interface Seen {
  state: string;
  stageIndex: number;
  stageStartedAt: string;
  decision: { at: string };
}

describe('a rollout across kill -9 of finch serve', () => {
  let loc: TestLocation;
  let proc: ServeProcess | null = null;
  afterAll(async () => {
    await proc?.stop();
    await loc?.dispose();
  });

  test('the new process continues from the stage the killed one left, and completes', async () => {
    loc = await createLocation('pglite');
    const setup = await startServer(loc, { env: { FINCH_ROLLOUT_TICK_MS: '0' } });
    const builds = await seedTwoBuilds(setup, 'crash');
    const h = { ...setup.auth.admin, 'content-type': 'application/json' };
    await setup.close();

    const env = { FINCH_DATA_DIR: loc.dataDir, FINCH_ROLLOUT_TICK_MS: '50' };
    proc = await spawnServe(env);
    const created = await fetch(`${proc.url}/api/v1/rollouts`, {
      method: 'POST', headers: h,
      body: JSON.stringify({ product: 'crash', resourceId: builds.next, stages: [{ percent: 10, holdSeconds: 1 }, { percent: 50, holdSeconds: 3 }] }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const read = async (p: ServeProcess): Promise<Seen> => (await (await fetch(`${p.url}/api/v1/rollouts/${id}`, { headers: h })).json()) as Seen;

    const running = proc;
    await expect.poll(async () => (await read(running)).stageIndex, { interval: 50, timeout: 20_000 }).toBe(1);
    const midStage = await read(running);
    expect(midStage.state).toBe('running');

    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    process.kill(running.child.pid!, 'SIGKILL');
    await exited;

    proc = await spawnServe(env);
    const restarted = proc;
    await expect.poll(async () => (await read(restarted)).state, { interval: 100, timeout: 30_000 }).toBe('completed');
    const done = await read(restarted);
    // Completed from the stage it was at, whose start the restart did not move.
    expect(done).toMatchObject({ stageIndex: 1, stageStartedAt: midStage.stageStartedAt });

    const audit = await fetch(`${restarted.url}/api/v1/audit?product=crash&limit=500`, { headers: h });
    const entries = ((await audit.json()) as { entries: Array<{ action: string; target: string; after: { stageIndex: number } }> }).entries
      .filter((e) => e.target === `rollout:${id}`).reverse();
    expect(entries.map((e) => [e.action, e.after.stageIndex])).toEqual([['rollout.start', 0], ['rollout.advance', 1], ['rollout.promote', 1]]);
    // The second stage held its 3 s, counted from when it began before the kill (both on the database clock).
    expect(Date.parse(done.decision.at) - Date.parse(midStage.stageStartedAt)).toBeGreaterThanOrEqual(3000);
    const manifest = await fetch(`${restarted.url}/api/v1/console-version?products=crash&userId=alice`);
    expect(((await manifest.json()) as { products: Record<string, { version: string }> }).products['crash']?.version).toBe('2.0.0');
  });
});
