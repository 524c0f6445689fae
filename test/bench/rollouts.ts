/**
 * Table 5: staged rollouts watched by 100,000 simulated users (test/server/rollouts/simulation.ts): how
 * long a healthy build takes through three stages, and, for a build that fails for 5 % of its users,
 * the time from the first failure to the rollback and how many users got the bad build.
 */
import { simulateRollout, type SimulationResult } from '../server/rollouts/simulation.js';
import { errorText, notMeasured, num, type SectionResult } from './report.js';

const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${num((100 * part) / whole, 2)} %`);

export async function rolloutsBench(): Promise<SectionResult> {
  const runs: Array<[label: string, failingShare: number]> = [['healthy build', 0], ['build failing for 5 % of its users', 0.05]];
  const rows: string[][] = [];
  const goals: SectionResult['goals'] = [];
  for (const [label, failingShare] of runs) {
    let r: SimulationResult;
    try {
      r = await simulateRollout({ failingShare });
    } catch (err) {
      rows.push([label, notMeasured(errorText(err)), '', '', '', '', '']);
      continue;
    }
    rows.push([
      label,
      `${r.outcome} at stage ${r.stageIndex + 1} of ${r.stageCount}`,
      `${num(r.msToEnd)} ms`,
      r.msFromFirstFailureToRollback === null ? '—' : `${num(r.msFromFirstFailureToRollback)} ms`,
      `${num(r.servedGray)} (${percent(r.servedGray, r.users)})`,
      num(r.failedUsers),
      `${num(r.reportsSent)} in ${num(r.reportRequests)}`,
    ]);
    if (failingShare > 0) {
      goals.push({
        name: 'bad build rolled back within its first stage (100,000 users)',
        target: `rolled back at stage 1, only first-stage users (${num(r.firstStageAudience)}) exposed`,
        actual: `${r.outcome} at stage ${r.stageIndex + 1}, ${num(r.servedGray)} users got it, ${r.msFromFirstFailureToRollback === null ? '—' : `${num(r.msFromFirstFailureToRollback)} ms`} after the first failure`,
        met: r.outcome === 'rolled-back' && r.stageIndex === 0 && r.servedGray <= r.firstStageAudience,
      });
    }
  }
  return {
    tables: [{
      title: 'Staged rollouts watched by 100,000 simulated users',
      columns: ['scenario', 'outcome', 'rollout time', 'first failure → rollback', 'users who got the gray build', 'users whose page failed', 'reports (requests)'],
      rows,
      notes: [
        'Plan: 1 %, 10 %, 50 %, then full; guard: at most 2 % of the gray build\'s users fall back, judged from 200 users; onBreach rollback.',
        'Sped-up clock: each stage holds 2 s where a real plan holds for hours; the engine ticks every 50 ms on PGlite.',
        'Users visit 10,000 per round; manifests come from the server\'s getConsoleVersion answerer in process; reports, signed with each manifest\'s report token, go over HTTP to POST /reports in batches of 100.',
      ],
    }],
    goals,
  };
}
