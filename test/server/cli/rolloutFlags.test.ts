/**
 * `finch rollout` refuses bad input before sending anything: exit 2 with a message naming the flag or
 * the plan field. The endpoint is a closed port, so a case that got as far as the network would
 * fail with exit 1 instead. Also: what a plan file and the flags make together, and every --help.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../../server/cli/rollout.js';
import { startPlan } from '../../../server/cli/rollout/startPlan.js';

const ENV = { FINCH_ENDPOINT: 'http://127.0.0.1:9', FINCH_TOKEN: 'finch_1_token' };
const START = ['start', '--product', 'shop', '--resource', '42'];

async function finchRollout(argv: string[], env: NodeJS.ProcessEnv = ENV): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, env, { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) }, now: () => 0 });
  return { code, out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'finch-rollout-plan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bad input is a usage error (exit 2), and nothing is sent', () => {
  test.each<[string, string[], string]>([
    ['no stages', START, 'finch rollout start: missing --stages (or the same in a --plan file).'],
    ['a resource that is no id', ['start', '--product', 'shop', '--resource', 'latest', '--stages', '1:600'], '--resource must be a whole number, like 42 (got "latest")'],
    ['stages not percent:hold', [...START, '--stages', '10-600'], '--stages: stage 1 is "10-600", not percent:hold'],
    ['a hold with an unknown unit', [...START, '--stages', '10:5w'], '--stages: stage 1 is "10:5w", not percent:hold'],
    ['stages that go down', [...START, '--stages', '10:600,5:600'], 'Invalid rollout plan: stages[1].percent must be above the stage before it (10).'],
    ['a rate that is not a number', [...START, '--stages', '1:60', '--min-exposures', '10', '--max-fallback-rate', '1%', '--max-error-rate', 'lots'], '--max-error-rate must be a fraction like 0.02 or a percent like 2% (got "lots")'],
    ['a rate above 100 %', [...START, '--stages', '1:60', '--min-exposures', '10', '--max-fallback-rate', '1%', '--max-error-rate', '150%'], 'Invalid rollout plan: guard.maxErrorRate must be a number from 0 to 1'],
    ['a guard that can never breach', [...START, '--stages', '1:60', '--min-exposures', '10'], 'Invalid rollout plan: guard must set maxFallbackRate, maxErrorRate or compareToStable: true'],
    ['--guard that is not JSON', [...START, '--stages', '1:60', '--guard', '{minExposures: 1'], '--guard is not JSON: {minExposures: 1.'],
    ['an unknown breach action', [...START, '--stages', '1:60', '--on-breach', 'explode'], 'Invalid rollout plan: onBreach must be "pause" or "rollback".'],
    ['a priority out of range', [...START, '--stages', '1:60', '--priority', '5000'], 'Invalid rollout plan: priority must be an integer from -999 to 999.'],
    ['a missing plan file', ['start', '--plan', '/nonexistent/rollout.json'], 'Failed to read the plan /nonexistent/rollout.json (ENOENT). Check --plan.'],
    ['an unknown option', [...START, '--stages', '1:60', '--percent', '5'], "Unknown option '--percent'"],
    ['status without an id', ['status'], 'finch rollout status: missing the rollout id, like 7.'],
    ['status with a name for an id', ['status', 'latest'], 'takes one rollout id, a whole number like 7 (got "latest")'],
    ['a command with two ids', ['pause', '7', '8'], 'finch rollout pause: takes one rollout id, a whole number like 7 (got "7 8")'],
    ['list without a product', ['list'], 'finch rollout list: missing --product.'],
    ['start with an argument', [...START, '--stages', '1:60', 'now'], 'takes no arguments besides its options (got "now")'],
  ])('%s', async (_name, argv, message) => {
    const r = await finchRollout(argv);
    expect(r.err).toContain(message);
    expect(r.err).toContain(`Run "finch rollout ${argv[0]} --help" for its options.`);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });

  test('no endpoint or token, or an endpoint that is no http(s) origin', async () => {
    const none = await finchRollout(['status', '7'], {});
    expect(none).toMatchObject({ code: 2, out: '' });
    expect(none.err).toContain('missing --endpoint (or FINCH_ENDPOINT) and --token (or FINCH_TOKEN).');
    const ftp = await finchRollout(['status', '7', '--endpoint', 'ftp://finch.example.com'], { FINCH_TOKEN: 't' });
    expect(ftp.code).toBe(2);
    expect(ftp.err).toContain('--endpoint must be the control plane\'s http(s) origin');
  });

  test('an unknown subcommand, and none at all', async () => {
    const unknown = await finchRollout(['explode', '7']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('finch rollout: unknown subcommand "explode".');
    expect(unknown.err).toContain('Usage: finch rollout <subcommand>');
    const bare = await finchRollout([]);
    expect(bare.code).toBe(2);
    expect(bare.out).toContain('Usage: finch rollout <subcommand>');
  });

  test('a plan file with a field plans do not have', async () => {
    const file = path.join(dir, 'colored.json');
    await writeFile(file, JSON.stringify({ product: 'shop', resourceId: 42, stages: [{ percent: 5, holdSeconds: 60 }], color: 'red' }));
    const r = await finchRollout(['start', '--plan', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Invalid rollout plan: color is not a field here');
  });

  test('a connection that fails is not a usage error: exit 1 with the code', async () => {
    const r = await finchRollout(['status', '7']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^finch rollout: Failed to reach http:\/\/127\.0\.0\.1:9\/api\/v1\/rollouts\/7: .* \(network-error\)\n$/);
  });
});

describe('the plan start sends', () => {
  test('from flags: stages with units, a guard from single flags, rates as fractions or percents', async () => {
    expect(await startPlan({
      product: 'shop', resource: '42', stages: '1:10m, 10:1h,50.5:90', 'min-exposures': '200', 'max-fallback-rate': '2%', 'max-error-rate': '0.05', 'on-breach': 'rollback', priority: '-3',
    })).toEqual({
      product: 'shop',
      resourceId: 42,
      stages: [{ percent: 1, holdSeconds: 600 }, { percent: 10, holdSeconds: 3600 }, { percent: 50.5, holdSeconds: 90 }],
      guard: { minExposures: 200, maxFallbackRate: 0.02, maxErrorRate: 0.05 },
      onBreach: 'rollback',
      priority: -3,
    });
  });

  test('a plan file with flags over it: the single guard flags change only their own fields', async () => {
    const file = path.join(dir, 'batches.json');
    const plan = {
      product: 'shop',
      resourceId: 42,
      stages: { batches: { combine: 1, schedule: 1, targets: [{ users: ['alice'] }, { attribute: { attr: 'group', op: 'eq', value: 'beta' } }] }, holdSeconds: 600 },
      guard: { minExposures: 100, maxFallbackRate: 0.05, maxErrorRate: 0.05, compareToStable: true, tolerance: 0.02 },
      salt: 'spring',
    };
    await writeFile(file, JSON.stringify(plan));
    expect(await startPlan({ plan: file, resource: '43', 'max-fallback-rate': '1%' })).toEqual({
      ...plan,
      resourceId: 43,
      guard: { ...plan.guard, maxFallbackRate: 0.01 },
    });
    expect(await startPlan({ plan: file, guard: 'null' })).toEqual({ ...plan, guard: null });
  });
});

test.each(['start', 'status', 'list', 'pause', 'resume', 'abort', 'advance'])('finch rollout %s --help shows its usage and an example', async (sub) => {
  const r = await finchRollout([sub, '--help'], {});
  expect(r.code).toBe(0);
  expect(r.out).toContain(`Usage: finch rollout ${sub}`);
  expect(r.out).toMatch(new RegExp(`Examples?:\\n  finch rollout ${sub}`));
});
