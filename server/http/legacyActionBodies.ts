/**
 * The bodies of `POST /api/v1/actions`, one schema per `Action`, as the previous system's scripts send
 * them: ids and statuses may be numbers or text (`"id": "42"`, `"status": "2"`). Each is strict like
 * every body (unknown fields refused); the route picks one by `Action` with `if`/`then`, so an error
 * names the field of that action.
 */
import { PRODUCT_NAME_PATTERN } from '../model/limits.js';
import { dateTime, strategyStatusIn } from '../routes/schemas.js';

export const LEGACY_ACTIONS = [
  'CreateResource', 'UpdateResource', 'GetResourcesByProjectId', 'GetResourcesById',
  'GetIngressesByProjectId', 'GetIngressById', 'CreateIngress', 'UpdateIngress',
] as const;
export type LegacyAction = (typeof LEGACY_ACTIONS)[number];

/** A row id: a number, or its digits as text. */
const rowId = { anyOf: [{ type: 'integer', minimum: 1, maximum: 2147483647 }, { type: 'string', pattern: '^[1-9][0-9]{0,8}$' }] } as const;
/** A product: its id (a number, or digits as text) or its name. */
const projectId = { anyOf: [{ type: 'integer', minimum: 1, maximum: 2147483647 }, { type: 'string', pattern: PRODUCT_NAME_PATTERN }] } as const;
const buildStatus = {
  description: 'built ("0"), deployed ("1"), build_failed ("2"), deploy_failed ("3"): the name, the number, or the number as text',
  anyOf: [
    { type: 'string', enum: ['built', 'deployed', 'build_failed', 'deploy_failed', '0', '1', '2', '3'] },
    { type: 'integer', enum: [0, 1, 2, 3] },
  ],
} as const;
const text = (maxLength: number) => ({ type: ['string', 'null'], maxLength }) as const;

const ingressFields = {
  resourceId: rowId,
  status: strategyStatusIn,
  rules: { anyOf: [{ type: 'array', items: { type: 'string', minLength: 1, maxLength: 256 }, maxItems: 100000 }, text(8 * 1024 * 1024)], description: 'User ids: an array, or one comma-separated string' },
  rule: { type: ['object', 'null'], description: 'A Finch rule (docs/rules.md) instead of `rules`' },
  priority: { type: 'integer', minimum: -1000000, maximum: 1000000 },
  salt: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
  startsAt: { anyOf: [dateTime, { type: 'null' }] },
  endsAt: { anyOf: [dateTime, { type: 'null' }] },
} as const;

function action(name: LegacyAction, properties: Record<string, object>, required: string[], extra: object = {}): object {
  return {
    if: { properties: { Action: { const: name } }, required: ['Action'] },
    then: { type: 'object', properties: { Action: { const: name }, ...properties }, required: ['Action', ...required], additionalProperties: false, ...extra },
  };
}

export const legacyActionBody = {
  type: 'object',
  description: 'The previous system\'s CI and console calls, their bodies unchanged (docs/ci.md)',
  properties: { Action: { type: 'string', enum: LEGACY_ACTIONS } },
  required: ['Action'],
  allOf: [
    action('CreateResource', {
      projectId,
      branch: text(200),
      commitMsg: text(10000),
      gitProjectId: { anyOf: [{ type: 'integer', minimum: 0, maximum: 9007199254740991 }, text(200)] },
      channel: text(200),
      data: { ...text(1024 * 1024), description: 'The scripts\' JSON description of the build\'s files, kept as an opaque string' },
      status: buildStatus,
    }, ['projectId']),
    action('UpdateResource', { id: rowId, status: buildStatus }, ['id', 'status']),
    action('GetResourcesByProjectId', { projectId }, ['projectId']),
    action('GetResourcesById', { id: rowId }, ['id']),
    action('GetIngressesByProjectId', { projectId }, ['projectId']),
    action('GetIngressById', { id: rowId }, ['id']),
    action('CreateIngress', { projectId, ...ingressFields }, ['projectId', 'resourceId']),
    action('UpdateIngress', { id: rowId, ...ingressFields }, ['id'], { minProperties: 3 }),
  ],
} as const;
