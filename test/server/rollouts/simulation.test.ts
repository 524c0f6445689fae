/**
 * 100,000 simulated users (simulation.ts) through two rollouts of a three-stage plan (1 %, 10 %, 50 %,
 * then full) with the guard "at most 2 % of the gray build's users fall back, judged from 200 users":
 * a healthy build ramps to full, and a build that fails for 5 % of its users is rolled back within its
 * first stage, so nobody outside the first stage's audience ever got it.
 */
import { describe, expect, test } from 'vitest';
import { simulateRollout } from './simulation.js';

describe('a rollout watched by 100,000 simulated users', () => {
  test('a healthy gray build ramps to full: everyone ends on it, and no user ever went back to the stable build', async () => {
    const r = await simulateRollout({ failingShare: 0 });
    console.log(`[simulation] healthy: ${r.outcome} in ${r.msToEnd} ms; ${r.servedGray} users served the gray build during the stages; ${r.reportsSent} reports in ${r.reportRequests} requests; ${r.visits} visits`);
    expect(r).toMatchObject({ outcome: 'completed', stageIndex: 2, failedUsers: 0, wentBack: 0 });
    expect(r.versionsAfter).toEqual({ '2.0.0': 100_000 });
    // The later stages really had users: more than the first stage's audience got the build before it went full.
    expect(r.servedGray).toBeGreaterThan(r.firstStageAudience);
  }, 180_000);

  test('a gray build that fails for 5 % of its users is rolled back within its first stage', async () => {
    const r = await simulateRollout({ failingShare: 0.05 });
    console.log(`[simulation] failing: ${r.outcome} at stage ${r.stageIndex + 1} ${r.msFromFirstFailureToRollback} ms after the first failure; ${r.servedGray} users got the bad build (the first stage holds ${r.firstStageAudience}), ${r.failedUsers} of them failed; ${r.reportsSent} reports`);
    expect(r).toMatchObject({ outcome: 'rolled-back', stageIndex: 0 });
    expect(r.reason).toMatch(/fallback rate is [\d.]+% \(\d+ of \d+ users\), above the limit of 2%/);
    // Nobody outside the 1 % stage got the bad build, and afterwards nobody has it.
    expect(r.servedGray).toBeLessThanOrEqual(r.firstStageAudience);
    expect(r.firstStageAudience).toBeGreaterThan(800);
    expect(r.firstStageAudience).toBeLessThan(1200);
    expect(r.failedUsers).toBeGreaterThan(0);
    expect(r.versionsAfter).toEqual({ '1.0.0': 100_000 });
  }, 180_000);
});
