/**
 * Rollouts: a build's staged way to full, advanced by the engine (server/rollouts/). Reads need the
 * viewer role; starting one and the commands need the operator role. The plan is checked whole by core's
 * `validatePlan`, so the body schema here only bounds its shape.
 */
import type { FastifyInstance } from 'fastify';
import type { RolloutCommand } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { auditActor } from '../http/auditActor.js';
import { requireRole } from '../http/guards.js';
import { listRoute } from '../http/listRoute.js';
import { commandRollout } from '../rollouts/commandRollout.js';
import { publicRollout } from '../rollouts/rolloutView.js';
import { createRollout } from '../rollouts/startRolloutChange.js';
import { getProduct } from '../store/products.js';
import { getRollout, listRollouts } from '../store/rollouts.js';
import { errorResponses, errorSchema, idParams, nameParams, rolloutPlanInput, rolloutSchema } from './schemas.js';

const COMMAND_SUMMARIES: ReadonlyArray<readonly [RolloutCommand, string]> = [
  ['pause', 'Pause a running rollout: the gray build keeps its users, nothing moves'],
  ['resume', 'Resume a paused rollout at its stage; its hold and guard window start again'],
  ['abort', 'Abort a rollout: its gray strategy goes off, every user back on the stable build'],
  ['advance', 'Advance a rollout to its next stage now (or to full from the last), without waiting for hold, guard or check'],
];

export async function rolloutRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;

  app.post('/rollouts', {
    onRequest: requireRole('operator'),
    schema: {
      tags: ['rollouts'],
      summary: 'Start a rollout: its gray strategy at stage 0, advanced by the server. Bad plan → 400; build not servable → 409',
      body: rolloutPlanInput,
      response: { 201: rolloutSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request, reply) => {
    const created = await createRollout(deps, request.body, auditActor(request));
    reply.code(201);
    return publicRollout(created);
  });

  app.get<{ Params: { id: string } }>('/rollouts/:id', {
    onRequest: requireRole('viewer'),
    schema: { tags: ['rollouts'], summary: 'Read a rollout: state, stage, plan, last decision with its figures', params: idParams, response: { 200: rolloutSchema, ...errorResponses } },
  }, async (request) => publicRollout(await getRollout(deps.db, Number(request.params.id))));

  listRoute<{ name: string }>(app, {
    url: '/products/:name/rollouts', guard: requireRole('viewer'), tag: 'rollouts', summary: 'List a product\'s rollouts, newest first',
    key: 'rollouts', item: rolloutSchema, params: nameParams,
    list: async (request) => (await listRollouts(deps.db, (await getProduct(deps.db, request.params.name)).id)).map(publicRollout),
  });

  for (const [cmd, summary] of COMMAND_SUMMARIES) {
    app.post<{ Params: { id: string } }>(`/rollouts/:id/${cmd}`, {
      onRequest: requireRole('operator'),
      schema: { tags: ['rollouts'], summary: `${summary}. Not allowed in its state → 409 illegal-transition`, params: idParams, response: { 200: rolloutSchema, ...errorResponses, 409: errorSchema } },
    }, async (request) => publicRollout(await commandRollout(deps, Number(request.params.id), cmd, auditActor(request))));
  }
}
