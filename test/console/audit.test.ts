import { describe, expect, test } from 'vitest';
import { auditApiQuery, filterOf, filterQuery, pageSizeOf } from '../../console/pages/auditFilter.js';
import { fieldChanges } from '../../console/pages/auditChanges.js';

describe('audit filters', () => {
  test('read from the console URL and written back without empty fields', () => {
    const f = filterOf(new URLSearchParams('actor=user:admin&product=dashboard&action=&from=%20'));
    expect(f).toEqual({ actor: 'user:admin', action: '', product: 'dashboard', from: '', to: '', limit: '' });
    expect(filterQuery(f)).toBe('actor=user%3Aadmin&product=dashboard');
    expect(filterQuery(filterOf(new URLSearchParams()))).toBe('');
  });

  test('the API query: local times as instants, the page size and the cursor', () => {
    const f = { actor: '', action: 'strategy.update', product: '', from: '2026-01-02T03:04', to: 'not a time', limit: '10' };
    const q = new URLSearchParams(auditApiQuery(f, 120));
    expect(q.get('action')).toBe('strategy.update');
    expect(q.get('from')).toBe(new Date('2026-01-02T03:04').toISOString());
    expect(q.has('to')).toBe(false);
    expect(q.get('limit')).toBe('10');
    expect(q.get('before')).toBe('120');
    expect(new URLSearchParams(auditApiQuery(f, null)).has('before')).toBe(false);
  });

  test.each([
    ['', 50, ''],
    ['10', 10, 'limit=10'],
    ['200', 200, 'limit=200'],
    ['50', 50, ''],
    ['7', 50, ''],
    ['many', 50, ''],
  ])('page size %j: %i per page, %j in the URL', (limit, size, query) => {
    const f = { ...filterOf(new URLSearchParams()), limit };
    expect(pageSizeOf(f)).toBe(size);
    expect(filterQuery(f)).toBe(query);
  });
});

describe('fieldChanges', () => {
  test('the fields whose value moved, without the ones every write moves or a missing field now null', () => {
    expect(fieldChanges(
      { id: 4, status: 'gray', rule: { users: ['alice'] }, version: 3, updatedAt: 'a' },
      { id: 4, status: 'off', rule: { users: ['alice'] }, version: 4, updatedAt: 'b', priority: 1, retiredFullId: null },
    )).toEqual([
      { field: 'status', before: 'gray', after: 'off' },
      { field: 'priority', before: '—', after: '1' },
    ]);
  });

  test('a create or a delete has no field changes', () => {
    expect(fieldChanges(null, { id: 1 })).toEqual([]);
    expect(fieldChanges({ id: 1 }, null)).toEqual([]);
  });
});
