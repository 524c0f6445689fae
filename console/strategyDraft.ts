// The strategy editor's form values, and the three-way merge behind "keep my changes on top of
// theirs" after a 412: the fields I changed from the version I started with win, every other field
// takes their value. Pure, apart from the local time zone used for the date inputs.
import type { StrategyStatus } from '../core/manifest.js';
import type { Rule } from '../core/rules/Rule.js';
import type { Strategy } from './model.js';

export interface Draft {
  resourceId: number;
  status: StrategyStatus;
  priority: number;
  /** '' means the default salt (the strategy id). */
  salt: string;
  /** `datetime-local` input text in local time; '' for an open end. */
  startsAt: string;
  endsAt: string;
  rule: Rule | null;
}

export type DraftField = keyof Draft;
export const DRAFT_FIELDS: readonly DraftField[] = ['resourceId', 'status', 'priority', 'rule', 'salt', 'startsAt', 'endsAt'];

const pad = (n: number) => String(n).padStart(2, '0');

/** An RFC 3339 time as `datetime-local` text in this browser's zone ('' for null). */
export function toLocalInput(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `datetime-local` text (local time) as an RFC 3339 UTC time, or null for ''. */
export function fromLocalInput(text: string): string | null {
  if (text === '') return null;
  return new Date(text).toISOString();
}

export function draftOf(s: Strategy): Draft {
  return {
    resourceId: s.resourceId,
    status: s.status,
    priority: s.priority,
    salt: s.salt ?? '',
    startsAt: toLocalInput(s.startsAt),
    endsAt: toLocalInput(s.endsAt),
    rule: s.rule,
  };
}

function same(a: Draft, b: Draft, f: DraftField): boolean {
  return f === 'rule' ? JSON.stringify(a.rule) === JSON.stringify(b.rule) : a[f] === b[f];
}

/** The fields where `mine` differs from `base`. */
export function changedFields(base: Draft, mine: Draft): DraftField[] {
  return DRAFT_FIELDS.filter((f) => !same(base, mine, f));
}

/** `theirs` with every field I changed from `base` set to mine. */
export function rebase(base: Draft, mine: Draft, theirs: Draft): Draft {
  const out: Draft = { ...theirs };
  for (const f of changedFields(base, mine)) (out as unknown as Record<string, unknown>)[f] = mine[f];
  return out;
}

/** A field's value as the API takes it. */
function apiValue(d: Draft, f: DraftField): unknown {
  if (f === 'salt') return d.salt.trim() === '' ? null : d.salt;
  if (f === 'startsAt' || f === 'endsAt') return fromLocalInput(d[f]);
  return d[f];
}

/** The body of a PATCH with `fields` of `d`, or of a POST with every field. */
export function toBody(d: Draft, fields: readonly DraftField[] = DRAFT_FIELDS): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const v = apiValue(d, f);
    // A new strategy leaves unset optional fields out, so the server applies its defaults.
    if (v === null && fields === DRAFT_FIELDS && f !== 'rule') continue;
    body[f] = v;
  }
  return body;
}
