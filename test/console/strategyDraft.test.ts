import { describe, expect, test } from 'vitest';
import { changedFields, draftOf, fromLocalInput, rebase, toBody, toLocalInput, type Draft } from '../../console/strategyDraft.js';
import type { Strategy } from '../../console/model.js';

const strategy: Strategy = {
  id: 7, product: 'dashboard', resourceId: 2, status: 'gray', priority: 10, rule: { users: ['alice'] }, salt: null,
  startsAt: null, endsAt: '2030-01-01T00:00:00.000Z', version: 3, previousFullId: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};

describe('strategy drafts', () => {
  test('local date inputs round-trip to the same instant', () => {
    const iso = '2030-01-01T00:00:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(toLocalInput(null)).toBe('');
    expect(fromLocalInput('')).toBeNull();
  });

  test('changedFields names what moved, comparing rules by value', () => {
    const base = draftOf(strategy);
    expect(changedFields(base, { ...base, rule: { users: ['alice'] } })).toEqual([]);
    expect(changedFields(base, { ...base, priority: 11, rule: { users: ['alice', 'bob'] } })).toEqual(['priority', 'rule']);
  });

  test('rebase keeps my changes and takes theirs elsewhere', () => {
    const base = draftOf(strategy);
    const mine: Draft = { ...base, rule: { percent: 10 } };
    const theirs: Draft = { ...base, priority: 99, salt: 'x' };
    expect(rebase(base, mine, theirs)).toEqual({ ...base, priority: 99, salt: 'x', rule: { percent: 10 } });
    // When both changed a field, mine wins: the person saw theirs beside it and chose to keep theirs or mine.
    expect(rebase(base, { ...base, priority: 1 }, theirs).priority).toBe(1);
  });

  test('bodies: a PATCH sends only the changed fields, with empty salt and times as null', () => {
    const d: Draft = { ...draftOf(strategy), salt: ' ', endsAt: '' };
    expect(toBody(d, ['salt', 'endsAt'])).toEqual({ salt: null, endsAt: null });
    // A POST leaves unset optional fields out so the server applies its defaults.
    expect(toBody({ ...d, rule: null })).toEqual({ resourceId: 2, status: 'gray', priority: 10, rule: null });
  });
});
