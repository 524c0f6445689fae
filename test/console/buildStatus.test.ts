// The moves the console offers for a build's status are the moves the server accepts: both read
// core/buildStatus.ts, and the server's planStatusChange agrees with updateMoves on every case.
import { describe, expect, test } from 'vitest';
import { NEXT_STATUSES, updateMoves, type UpdateFacts } from '../../core/buildStatus.js';
import { RESOURCE_STATUSES, type ResourceStatus } from '../../core/manifest.js';
import { planStatusChange } from '../../server/model/statusTransitions.js';

const FACTS: UpdateFacts[] = [];
for (const hostedHere of [false, true]) for (const hasFiles of [false, true]) for (const servedByFull of [false, true]) FACTS.push({ hostedHere, hasFiles, servedByFull });

function serverAccepts(from: ResourceStatus, to: ResourceStatus, f: UpdateFacts): boolean {
  try {
    const strategies = f.servedByFull ? [{ id: 1, status: 'full' as const }] : [];
    planStatusChange(from, to, { id: 1, product: 'p', version: '1', hostedHere: f.hostedHere, hasFiles: f.hasFiles, strategies }, 'update');
    return true;
  } catch {
    return false;
  }
}

describe('updateMoves', () => {
  test('the table: failed statuses are final, deployed can only be withdrawn', () => {
    expect(NEXT_STATUSES.build_failed).toEqual([]);
    expect(NEXT_STATUSES.deploy_failed).toEqual([]);
    expect(NEXT_STATUSES.deployed).toEqual(['deploy_failed']);
  });

  test('a build hosted here is deployed by upload, not offered by update', () => {
    expect(updateMoves('built', { hostedHere: true, hasFiles: true, servedByFull: false })).toEqual(['build_failed', 'deploy_failed']);
    expect(updateMoves('built', { hostedHere: false, hasFiles: true, servedByFull: false })).toEqual(['deployed', 'build_failed', 'deploy_failed']);
  });

  test('nothing is offered for a deployed build a full strategy serves', () => {
    expect(updateMoves('deployed', { hostedHere: true, hasFiles: true, servedByFull: true })).toEqual([]);
  });

  // A full strategy only serves a deployed build; elsewhere that fact cannot hold.
  const cases = RESOURCE_STATUSES.flatMap((from) => FACTS.map((f) => [from, f] as const)).filter(([from, f]) => from === 'deployed' || !f.servedByFull);
  test.each(cases)('from %s with %o: offered exactly what the server accepts', (from, f) => {
    const accepted = RESOURCE_STATUSES.filter((to) => to !== from && serverAccepts(from, to, f));
    expect(updateMoves(from, f)).toEqual(accepted);
  });
});
