/**
 * `POST /api/v1/actions`: the previous system's calls, their bodies unchanged, so teams keep their CI
 * scripts while they move to `finch publish`. Each Action runs the service its /api/v1 route runs, with
 * that route's guard: a publish token for the product for CreateResource and UpdateResource, the viewer
 * role for the reads, the operator role for CreateIngress and UpdateIngress. The `remoteUser` header the
 * scripts send is written to the audit row's details and never decides anything: the actor is the token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeLegacyBuild, createLegacyBuild, listLegacyBuilds, readLegacyBuild, type LegacyNewBuild } from '../builds/legacyBuilds.js';
import type { ServerDeps } from '../deps.js';
import { sendError } from '../errors/errorHandler.js';
import { auditActor } from '../http/auditActor.js';
import { withStrategyEtag } from '../http/etag.js';
import { requirePublish, requireRole, type RouteGuard } from '../http/guards.js';
import { LEGACY_ACTIONS, legacyActionBody, type LegacyAction } from '../http/legacyActionBodies.js';
import { productNameOfProject, productOfProject } from '../products/projectProduct.js';
import type { AuditActor } from '../store/audit.js';
import { productNameOfResource } from '../store/resources.js';
import { getStrategy, listStrategies } from '../store/strategies.js';
import { createIngress, updateIngress, type LegacyIngressFields } from '../strategies/legacyIngress.js';
import { publicStrategy } from '../strategies/strategyView.js';
import { errorResponses, errorSchema } from './schemas.js';

/** Every field any Action may carry; the schema has checked which ones this Action has. */
type ActionBody = LegacyNewBuild & LegacyIngressFields & { Action: LegacyAction; id: string | number };
type ActionRequest = FastifyRequest<{ Body: ActionBody }>;

interface ActionRoute {
  guard: RouteGuard;
  run(request: ActionRequest, reply: FastifyReply): Promise<unknown>;
}

/** At most this much of the claimed user is kept: it is a note, not an identity. */
const MAX_REMOTE_USER = 256;

/** The request's actor, with the Action and the user the caller claims to be (recorded, never trusted). */
function legacyActor(request: ActionRequest): AuditActor {
  const claimed = request.headers['remoteuser'];
  const remoteUser = claimed === undefined ? null : (Array.isArray(claimed) ? claimed.join(', ') : claimed).slice(0, MAX_REMOTE_USER);
  return { ...auditActor(request), details: { via: 'POST /api/v1/actions', action: request.body.Action, remoteUser } };
}

function actionRoutes(deps: ServerDeps): Record<LegacyAction, ActionRoute> {
  const { db } = deps;
  const viewer = requireRole('viewer');
  const operator = requireRole('operator');
  return {
    CreateResource: {
      guard: requirePublish((request) => productNameOfProject(db, (request as ActionRequest).body.projectId)),
      run: async (request, reply) => reply.code(201).send(await createLegacyBuild(deps, request.body, legacyActor(request))),
    },
    UpdateResource: {
      guard: requirePublish((request) => productNameOfResource(db, Number((request as ActionRequest).body.id))),
      run: async (request) => changeLegacyBuild(deps, Number(request.body.id), request.body.status!, legacyActor(request)),
    },
    GetResourcesByProjectId: { guard: viewer, run: async (request) => ({ resources: await listLegacyBuilds(db, request.body.projectId) }) },
    GetResourcesById: { guard: viewer, run: async (request) => readLegacyBuild(db, Number(request.body.id)) },
    GetIngressesByProjectId: {
      guard: viewer,
      run: async (request) => ({ strategies: (await listStrategies(db, (await productOfProject(db, request.body.projectId)).id)).map(publicStrategy) }),
    },
    GetIngressById: { guard: viewer, run: async (request, reply) => withStrategyEtag(reply, await getStrategy(db, Number(request.body.id))) },
    CreateIngress: {
      guard: operator,
      run: async (request, reply) => {
        const { Action: _action, projectId, resourceId, ...fields } = request.body;
        const created = await createIngress(deps, projectId, { ...fields, resourceId: resourceId! }, legacyActor(request));
        return withStrategyEtag(reply.code(201), created);
      },
    },
    UpdateIngress: {
      guard: operator,
      run: async (request, reply) => {
        const { Action: _action, id, ...fields } = request.body;
        return withStrategyEtag(reply, await updateIngress(deps, Number(id), fields, legacyActor(request)));
      },
    },
  };
}

const isKnown = (action: unknown): action is LegacyAction => typeof action === 'string' && (LEGACY_ACTIONS as readonly string[]).includes(action);

export async function legacyActionRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const routes = actionRoutes(opts.deps);
  app.post<{ Body: ActionBody }>('/actions', {
    // Someone must be proven before the body is looked at; which power the Action needs is checked after.
    onRequest: requireRole('viewer'),
    preValidation: async (request, reply) => {
      const body = request.body as unknown;
      if (body === null || typeof body !== 'object' || Array.isArray(body) || isKnown((body as { Action?: unknown }).Action)) return undefined;
      return sendError(reply, 400, 'unknown-action', `Unknown "Action". Send one of: ${LEGACY_ACTIONS.join(', ')}.`, { supported: [...LEGACY_ACTIONS] });
    },
    preHandler: async (request, reply) => routes[request.body.Action].guard(request, reply),
    schema: {
      tags: ['legacy'],
      summary: 'The previous system\'s calls ({"Action": "CreateResource", …}), answered by the same services as /api/v1',
      body: legacyActionBody,
      response: { ...errorResponses, 409: errorSchema, 412: errorSchema },
    },
  }, async (request, reply) => routes[request.body.Action].run(request, reply));
}
