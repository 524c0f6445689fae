/**
 * JSON schemas shared by the routes: they validate requests (bodies strictly, see http/validation.ts), shape
 * responses, and become the OpenAPI document. Bounds on every string and array keep bad input a 400.
 */
import { MAX_FREE_FORM_DEPTH, MAX_USER_ID, PRODUCT_NAME_PATTERN } from '../model/limits.js';
import { ALL_EVENTS, WEBHOOK_EVENTS } from '../webhooks/events.js';

export const productName = { type: 'string', pattern: PRODUCT_NAME_PATTERN, description: 'Product key' } as const;
/** Path ids are text; at most nine digits keeps them inside a 32-bit serial (bad ids are a 400, not a 5xx). */
export const idParam = { type: 'string', pattern: '^[1-9][0-9]{0,8}$', description: 'Numeric id' } as const;
export const version = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$', description: 'Build version, like 2.0.0' } as const;
/** Path parameters `{id}` and `{name}` (a product). */
export const idParams = { type: 'object', properties: { id: idParam }, required: ['id'], additionalProperties: false } as const;
export const nameParams = { type: 'object', properties: { name: productName }, required: ['name'], additionalProperties: false } as const;
/** A user id as getConsoleVersion takes it (and who-gets-what asks about). */
export const userIdInput = { type: 'string', minLength: 1, maxLength: MAX_USER_ID } as const;
/** Attributes a client sends for rules (getConsoleVersion's body, who-gets-what): bounded in count and size. */
export const ruleAttributes = {
  type: 'object',
  maxProperties: 100,
  propertyNames: { maxLength: 128 },
  additionalProperties: { anyOf: [{ type: 'string', maxLength: 1024 }, { type: 'number' }, { type: 'boolean' }] },
} as const;
export const dateTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;
export const freeObject = { type: 'object', additionalProperties: true } as const;
/** A free-form JSON object sent by a client (a resource's `config`): any keys, nesting bounded. */
export const freeFormInput = {
  type: 'object',
  additionalProperties: true,
  maxDepth: MAX_FREE_FORM_DEPTH,
  description: `Any JSON object, nested at most ${MAX_FREE_FORM_DEPTH} levels`,
} as const;

export const resourceStatusIn = {
  description: 'Name, or its number in the legacy CI calls: built (0), deployed (1), build_failed (2), deploy_failed (3)',
  anyOf: [
    { type: 'string', enum: ['built', 'deployed', 'build_failed', 'deploy_failed'] },
    { type: 'integer', enum: [0, 1, 2, 3] },
  ],
} as const;

export const strategyStatusIn = {
  description: 'Name, or its word or number in the legacy CI calls: off ("default", 0), gray ("failure", 1), full ("success", 2)',
  anyOf: [
    { type: 'string', enum: ['off', 'gray', 'full', 'default', 'failure', 'success'] },
    { type: 'integer', enum: [0, 1, 2] },
  ],
} as const;

export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: freeObject },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

/** An object answer whose properties are all required but those named `optional`. */
export function record<P extends Record<string, object>>(properties: P, optional: ReadonlyArray<keyof P & string> = []) {
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) } as const;
}

export const productSchema = record({
  id: { type: 'integer' },
  name: { type: 'string' },
  description: { type: 'string' },
  createdAt: { type: 'string' },
  updatedAt: { type: 'string' },
});

export const resourceSchema = record({
  id: { type: 'integer' },
  product: { type: 'string' },
  version: { type: 'string' },
  status: { type: 'string', enum: ['built', 'deployed', 'build_failed', 'deploy_failed'] },
  baseUrl: { type: 'string' },
  files: { type: 'array', items: { type: 'string' } },
  integrity: { type: 'object', additionalProperties: { type: 'string' } },
  config: freeObject,
  dependencies: { type: 'array', items: { type: 'string' } },
  branch: { type: ['string', 'null'] },
  commit: { type: ['string', 'null'] },
  storedBytes: { type: ['integer', 'null'], description: 'Bytes of every file uploaded to this server for the build; null when none were' },
  createdAt: { type: 'string' },
  updatedAt: { type: 'string' },
}, ['branch', 'commit', 'storedBytes']);

export const strategySchema = record({
  id: { type: 'integer' },
  product: { type: 'string' },
  resourceId: { type: 'integer' },
  status: { type: 'string', enum: ['off', 'gray', 'full'] },
  priority: { type: 'integer' },
  rule: { description: 'Rule (docs/rules.md), or null' },
  salt: { type: ['string', 'null'] },
  startsAt: { type: ['string', 'null'] },
  endsAt: { type: ['string', 'null'] },
  version: { type: 'integer', description: 'Bumped by every change; the ETag is derived from it' },
  previousFullId: { type: ['integer', 'null'] },
  createdAt: { type: 'string' },
  updatedAt: { type: 'string' },
});

/** `{ [key]: item[] }`, the answer of every list route. */
export function listOf<K extends string, S extends object>(key: K, item: S) {
  return { type: 'object', properties: { [key]: { type: 'array', items: item } } as Record<K, { type: 'array'; items: S }>, required: [key] } as const;
}

/** Error responses every route may give; listed so the OpenAPI document shows them. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
} as const;

/** An event a webhook subscribes to, or `*` for all (alone). */
export const webhookEvent = {
  type: 'string',
  enum: [...WEBHOOK_EVENTS, ALL_EVENTS],
  description: `One of ${WEBHOOK_EVENTS.join(', ')}; or ${ALL_EVENTS} (alone) for every event, also those added later`,
} as const;

/**
 * A rollout plan as sent (docs/rollouts.md). Only its shape is bounded here; core's validatePlan checks
 * it whole and names the bad field (`stages[2].percent`).
 */
export const rolloutPlanInput = {
  type: 'object',
  required: ['product', 'resourceId', 'stages'],
  additionalProperties: false,
  properties: {
    product: productName,
    resourceId: { type: 'integer', minimum: 1, maximum: 999999999 },
    stages: { type: ['array', 'object'], maxItems: 20, description: 'Percent stages [{percent, holdSeconds, check?}] or {batches: {combine, schedule, targets}, holdSeconds, check?}' },
    guard: { type: ['object', 'null'], description: '{minExposures, maxFallbackRate, maxErrorRate, compareToStable, tolerance?}' },
    onBreach: { type: 'string', enum: ['pause', 'rollback'] },
    priority: { type: 'integer', minimum: -999, maximum: 999 },
    salt: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

export const rolloutSchema = record({
  id: { type: 'integer' },
  product: { type: 'string' },
  resourceId: { type: 'integer' },
  strategyId: { type: ['integer', 'null'] },
  state: { type: 'string', enum: ['running', 'paused', 'completed', 'aborted', 'rolled-back'] },
  stageIndex: { type: 'integer', description: 'From 0' },
  stageCount: { type: 'integer' },
  stageStartedAt: { type: 'string', description: 'From the database clock' },
  plan: { type: 'object', additionalProperties: true, description: 'The plan with its defaults filled' },
  priority: { type: 'integer' },
  decision: record({
    reason: { type: 'string' },
    figures: { description: 'Report counts and rates the guard judged (counting: "reports"), or null' },
    at: { type: 'string' },
  }),
  commands: { type: 'array', items: { type: 'string' }, description: 'The commands its state accepts now' },
  version: { type: 'integer' },
  createdBy: { type: 'string' },
  createdAt: { type: 'string' },
  updatedAt: { type: 'string' },
});
