import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { FinchError } from '../../core/FinchError.js';
import type { Db } from '../db/Db.js';
import { requireRole } from '../http/guards.js';
import type { Metrics } from '../metrics/Metrics.js';
import { REPORT_KINDS, type Report, type ReportBuffer } from '../reports/ReportBuffer.js';
import { BUCKET_SIZES, DEFAULT_BUCKET_SECONDS, MAX_BUCKETS, reportSeries, type SeriesRequest } from '../reports/reportSeries.js';
import { readReportCounts } from '../store/reportCounts.js';
import { UNSIGNED_PREFIX } from '../store/reportUsers.js';
import { MAX_REPORT_TOKEN, type ReportTokens } from '../reports/reportTokens.js';
import { randomUUID } from 'node:crypto';
import { dateTime, errorResponses, productName } from './schemas.js';

/** Per client IP and minute. A page sends a handful (exposure, maybe an error or two); batches hold 100. */
export const REPORTS_PER_MINUTE = 120;
/** 100 reports of the largest allowed size fit. */
const REPORTS_BODY_LIMIT = 512 * 1024;

const reportSchema = {
  type: 'object',
  required: ['resourceId', 'product', 'kind'],
  additionalProperties: false,
  properties: {
    resourceId: { type: 'integer', minimum: 1, maximum: 2147483647 },
    product: productName,
    kind: { type: 'string', enum: [...REPORT_KINDS] },
    url: { type: 'string', maxLength: 2048 },
    message: { type: 'string', maxLength: 1000 },
    token: { type: 'string', maxLength: MAX_REPORT_TOKEN, description: 'The reportToken of the manifest entry the report is about' },
  },
} as const;

export interface ReportRoutesOptions {
  db: Db;
  buffer: ReportBuffer;
  metrics: Metrics;
  /** Epoch ms: the end of the default series window, and the day a report token must be of. */
  now: () => number;
  tokens: ReportTokens;
  /** `optional`: an unsigned report counts for the guard as a user of its own (config.reportTokens). */
  reportTokens: 'required' | 'optional';
}

/** The query string of both report reads: one product, one build or all of them, plus what a read adds. */
function reportQuery<P extends object>(more: P) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: { product: productName, resourceId: { type: 'integer', minimum: 1, maximum: 2147483647 }, ...more },
  } as const;
}

/** `POST /reports` (anyone, rate-limited), `GET /reports` and `GET /reports/series` (viewer). Mount under `/api/v1`. */
export async function reportRoutes(app: FastifyInstance, opts: ReportRoutesOptions): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    // Thrown, so the app's error handler gives it the standard error body with status 429.
    errorResponseBuilder: (_req, ctx) =>
      new FinchError('rate-limited', `Too many reports from this address: at most ${ctx.max} per minute. Retry after ${Math.ceil(ctx.ttl / 1000)} s.`),
  });

  // navigator.sendBeacon can only send text/plain without a CORS preflight; its body is the same JSON.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: REPORTS_BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new FinchError('invalid-input', 'Failed to read the reports: the text/plain body is not JSON. Send a report object or an array of them.'), undefined);
    }
  });

  app.post('/reports', {
    bodyLimit: REPORTS_BODY_LIMIT,
    config: { auth: false, rateLimit: { max: REPORTS_PER_MINUTE, timeWindow: 60_000 } },
    schema: {
      summary: 'Report load errors, integrity errors, runtime errors and exposures of a build',
      body: { oneOf: [reportSchema, { type: 'array', minItems: 1, maxItems: 100, items: reportSchema }] },
      response: { 202: { type: 'object', properties: { accepted: { type: 'integer' } } } },
    },
  }, async (request, reply) => {
    const body = request.body as (Report & { token?: string }) | (Report & { token?: string })[];
    const list = Array.isArray(body) ? body : [body];
    const now = opts.now();
    for (const r of list) {
      // Only a valid token names a user for the guard; a report without one still counts for the charts.
      const user = r.token === undefined ? null : opts.tokens.verify(r.token, r.product, r.resourceId, now);
      opts.metrics.reportTokens.inc({ token: user !== null ? 'valid' : r.token === undefined ? 'none' : 'invalid' });
      const counted = user ?? (opts.reportTokens === 'optional' ? UNSIGNED_PREFIX + randomUUID() : undefined);
      opts.buffer.add({ resourceId: r.resourceId, product: r.product, kind: r.kind }, 1, counted);
      opts.metrics.reports.inc({ kind: r.kind });
    }
    return reply.code(202).send({ accepted: list.length });
  });

  app.get('/reports', {
    onRequest: requireRole('viewer'),
    schema: {
      summary: 'Report counts per resource and kind',
      querystring: reportQuery({}),
    },
  }, async (request) => {
    const q = request.query as { product?: string; resourceId?: number };
    // Read-your-reports: what was accepted before this request is in the answer.
    await opts.buffer.flush(opts.db);
    return { counts: await readReportCounts(opts.db, q) };
  });

  app.get<{ Querystring: SeriesRequest }>('/reports/series', {
    onRequest: requireRole('viewer'),
    schema: {
      summary: 'Report counts over time per resource and kind, in buckets aligned to bucketSeconds; only non-empty buckets',
      querystring: reportQuery({
        from: { ...dateTime, description: 'Start (RFC 3339), snapped down to a bucket; default to minus 24 hours' },
        to: { ...dateTime, description: 'End (RFC 3339), snapped up to a bucket; default now' },
        bucketSeconds: { type: 'integer', enum: [...BUCKET_SIZES], default: DEFAULT_BUCKET_SECONDS, description: `At most ${MAX_BUCKETS} buckets between from and to` },
      }),
      response: {
        200: {
          type: 'object',
          properties: {
            bucketSeconds: { type: 'integer' },
            from: { type: 'string' },
            to: { type: 'string' },
            series: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  resourceId: { type: 'integer' },
                  version: { type: 'string' },
                  kind: { type: 'string' },
                  points: { type: 'array', items: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 }, description: '[bucket start in epoch seconds, count]' },
                },
                required: ['resourceId', 'version', 'kind', 'points'],
              },
            },
          },
          required: ['bucketSeconds', 'from', 'to', 'series'],
        },
        ...errorResponses,
      },
    },
  }, async (request) => {
    // Read-your-reports, as above.
    await opts.buffer.flush(opts.db);
    return reportSeries(opts.db, request.query, opts.now());
  });
}
