/**
 * `finch rollout` against a real control plane listening on loopback, with a fast engine (a tick
 * every 50 ms). As people run it (the real command line, through tsx): a two-stage rollout with 1 s
 * holds started and watched to the end, and Ctrl-C during a watch. Through `run` in this process, the
 * same HTTP: an operator's commands and a refused one, reading, listing, the server's refusals.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../../server/cli/rollout.js';
import { createLocation, startServer, type TestLocation, type TestServer } from '../harness.js';
import { readRollout, seedTwoBuilds } from '../rollouts/rolloutSetup.js';
import { ROOT, runFinch } from './runTs.js';

describe('finch rollout against a running control plane', () => {
  let loc: TestLocation;
  let s: TestServer;
  /** FINCH_ENDPOINT and an operator's FINCH_TOKEN. */
  let env: Record<string, string>;
  let viewerToken = '';
  const stopAtEnd: Array<() => void> = [];

  const bearer = (h: Record<string, string>): string => h['authorization']!.replace(/^Bearer /, '');
  /** The real `finch` process. */
  const finch = (args: string[], extra: Record<string, string> = {}) => runFinch(['rollout', ...args], { ...env, ...extra });
  /** `finch rollout` in this process: what it printed and its exit status. */
  const finchHere = async (args: string[], extra: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await run(args, { ...env, ...extra }, { out: { write: (t: string) => (stdout += t) }, err: { write: (t: string) => (stderr += t) }, now: Date.now });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    loc = await createLocation('pglite');
    s = await startServer(loc, { env: { FINCH_ROLLOUT_TICK_MS: '50' } });
    env = { FINCH_ENDPOINT: await s.app.listen({ port: 0, host: '127.0.0.1' }), FINCH_TOKEN: bearer(s.auth.operator) };
    viewerToken = bearer(s.auth.viewer);
  });
  afterAll(async () => {
    for (const stop of stopAtEnd) stop();
    await s?.close();
    await loc?.dispose();
  });

  test('start --stages --watch: two stages of 1 s run to completed, exit 0, both stages shown', async () => {
    const b = await seedTwoBuilds(s, 'ramp');
    const r = await finch(['start', '--product', 'ramp', '--resource', String(b.next), '--stages', '10:1,50:1s', '--watch']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    // The block first (not a terminal, so drawn once), then a line at each change.
    expect(lines[0]).toMatch(new RegExp(`^rollout (\\d+) · ramp 2\\.0\\.0 \\(resource ${b.next}\\) · running$`));
    expect(lines[1]).toMatch(/^ {2}▶ stage 1 of 2 \(10%\) {2}hold 1s · (1s left|hold over)$/);
    expect(lines[2]).toBe('    stage 2 of 2 (50%)  hold 1s');
    expect(lines[3]).toBe('  no guard: each stage advances once its hold (and check) is through');
    expect(lines.at(-1)).toMatch(/^rollout \d+ · completed at stage 2 of 2 \(50%\): .*The build is now full for every user/);
    expect(r.stdout).not.toContain('\x1b[');
    const id = Number(/^rollout (\d+)/.exec(lines[0]!)![1]);
    expect(await readRollout(s, id)).toMatchObject({ state: 'completed', stageIndex: 1 });
  });

  test('pause, resume and abort print the new state; a command the state refuses says what it accepts', async () => {
    const b = await seedTwoBuilds(s, 'steer');
    const started = await finchHere(['start', '--product', 'steer', '--resource', String(b.next), '--stages', '10:1h,50:1h', '--json']);
    expect(started.code, started.stderr).toBe(0);
    const id = (JSON.parse(started.stdout) as { id: number }).id;
    const name = `rollout ${id} · steer 2.0.0 (resource ${b.next})`;

    const paused = await finchHere(['pause', String(id)]);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout.replace(/token:\d+/, 'token:N')).toBe(`${name} · paused at stage 1 of 2 (10%)\n  Paused by token:N at stage 1 of 2 (10%).\n`);
    expect((await readRollout(s, id)).state).toBe('paused');

    const twice = await finchHere(['pause', String(id)]);
    expect(twice.code).toBe(1);
    expect(twice.stdout).toBe('');
    expect(twice.stderr).toBe('finch rollout: Failed to pause the rollout: it is paused, so it accepts resume, abort, advance. (illegal-transition)\n'
      + `Allowed now: finch rollout resume ${id}, finch rollout abort ${id}, finch rollout advance ${id}\n`);

    const resumed = await finchHere(['resume', String(id)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`${name} · running at stage 1 of 2 (10%)`);

    const aborted = await finchHere(['abort', String(id), '--json']);
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(JSON.parse(aborted.stdout)).toMatchObject({ id, state: 'aborted', commands: [] });
    expect((await readRollout(s, id)).state).toBe('aborted');

    const late = await finchHere(['resume', String(id)]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('it is aborted, so it has ended; start a new rollout instead. (illegal-transition)\nAllowed now: nothing (it is aborted)\n');

    // Watching an ended rollout shows it and exits with its outcome at once.
    const watched = await finchHere(['status', String(id), '--watch']);
    expect(watched.code).toBe(1);
    expect(watched.stdout).toContain(`${name} · aborted\n  ✗ stage 1 of 2 (10%)  hold 1h\n`);

    const list = await finchHere(['list', '--product', 'steer']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toBe(`${name} · aborted at stage 1 of 2 (10%)\n`);
  });

  test('the server\'s refusals: a second rollout of a build; a viewer may read but not command; an unknown rollout or product', async () => {
    const b = await seedTwoBuilds(s, 'guarded');
    const started = await finchHere(['start', '--product', 'guarded', '--resource', String(b.next), '--stages', '5:1h',
      '--min-exposures', '200', '--max-fallback-rate', '2%', '--max-error-rate', '5%', '--on-breach', 'rollback', '--json']);
    expect(started.code, started.stderr).toBe(0);
    const created = JSON.parse(started.stdout) as { id: number; plan: { guard: unknown; onBreach: string } };
    expect(created.plan).toMatchObject({ guard: { minExposures: 200, maxFallbackRate: 0.02, maxErrorRate: 0.05, compareToStable: false }, onBreach: 'rollback' });

    const read = await finchHere(['status', String(created.id)], { FINCH_TOKEN: viewerToken });
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toContain('  guard: at least 200 exposures, fallback rate ≤ 2%, error rate ≤ 5%; on breach: rollback\n');
    expect(read.stdout).toMatch(/▶ stage 1 of 1 \(5%\) {2}hold 1h · (59m 5\ds|1h) left/);

    const [again, forbidden, missing, noProduct] = await Promise.all([
      finchHere(['start', '--product', 'guarded', '--resource', String(b.next), '--stages', '5:1h']),
      finchHere(['abort', String(created.id)], { FINCH_TOKEN: viewerToken }),
      finchHere(['status', '999999']),
      finchHere(['list', '--product', 'nothing-here']),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`finch rollout: Failed to start a rollout of resource ${b.next}: rollout ${created.id} of it is still live. Pause, resume or abort that one instead. (conflict)\n`
      + `See it with: finch rollout status ${created.id} --watch\n`);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/^finch rollout: .+ \(forbidden\)\n$/);
    expect((await readRollout(s, created.id)).state).toBe('running');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^finch rollout: .+ \(not-found\)\n$/);
    expect(noProduct.code).toBe(1);
    expect(noProduct.stderr).toMatch(/^finch rollout: .+ \(not-found\)\n$/);
    await s.call('POST', `/api/v1/rollouts/${created.id}/abort`, undefined, s.auth.operator);
  });

  test('Ctrl-C while watching ends the watch with exit 130; the rollout goes on', async () => {
    const b = await seedTwoBuilds(s, 'interrupted');
    const started = await finchHere(['start', '--product', 'interrupted', '--resource', String(b.next), '--stages', '10:1h', '--json']);
    expect(started.code, started.stderr).toBe(0);
    const id = (JSON.parse(started.stdout) as { id: number }).id;

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/cli/finchFromSource.ts', 'rollout', 'status', String(id), '--watch'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopAtEnd.push(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    // The block is printed once the watch listens for Ctrl-C.
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('last decision')) resolve();
    }));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toBe('');
    expect(out).toContain(`rollout ${id} · interrupted 2.0.0 (resource ${b.next}) · running`);
    expect((await readRollout(s, id)).state).toBe('running');
    await s.call('POST', `/api/v1/rollouts/${id}/abort`, undefined, s.auth.operator);
  });
});
