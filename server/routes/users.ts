/** Console users, managed by admins. Mount under `/api/v1`. */
import type { FastifyInstance } from 'fastify';
import { FinchError } from '../../core/FinchError.js';
import { addUser, changeUser, removeUser } from '../auth/userChanges.js';
import { MAX_PASSWORD, MIN_PASSWORD, ROLES, USERNAME } from '../auth/users.js';
import type { ServerDeps } from '../deps.js';
import { auditActor } from '../http/auditActor.js';
import { requireRole } from '../http/guards.js';
import { listRoute } from '../http/listRoute.js';
import type { Role } from '../model/Principal.js';
import { getUser, listUsers } from '../store/users.js';
import { errorResponses, errorSchema, record } from './schemas.js';

const username = { type: 'string', pattern: USERNAME.source } as const;
const password = { type: 'string', minLength: MIN_PASSWORD, maxLength: MAX_PASSWORD } as const;
const role = { type: 'string', enum: [...ROLES] } as const;
const userSchema = record({ id: { type: 'integer' }, username: { type: 'string' }, role, createdAt: { type: 'string' }, updatedAt: { type: 'string' } });
const nameParams = { type: 'object', properties: { username }, required: ['username'], additionalProperties: false } as const;

export async function userRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;
  const admin = requireRole('admin');

  listRoute(app, { url: '/users', guard: admin, tag: 'users', summary: 'List console users', key: 'users', item: userSchema, list: () => listUsers(deps.db) });

  app.get<{ Params: { username: string } }>('/users/:username', {
    onRequest: admin,
    schema: { tags: ['users'], summary: 'Read a console user', params: nameParams, response: { 200: userSchema, ...errorResponses } },
  }, async (request) => {
    const user = await getUser(deps.db, request.params.username);
    if (!user) throw new FinchError('not-found', `User "${request.params.username}" does not exist.`);
    return user;
  });

  app.post<{ Body: { username: string; password: string; role: Role } }>('/users', {
    onRequest: admin,
    schema: {
      tags: ['users'],
      summary: 'Add a console user',
      body: { type: 'object', properties: { username, password, role }, required: ['username', 'password', 'role'], additionalProperties: false },
      response: { 201: userSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request, reply) => reply.code(201).send(await addUser(deps.db, request.body, auditActor(request))));

  app.patch<{ Params: { username: string }; Body: { role?: Role; password?: string } }>('/users/:username', {
    onRequest: admin,
    schema: {
      tags: ['users'],
      summary: 'Change a user\'s role or password (a new password signs them out everywhere)',
      params: nameParams,
      body: { type: 'object', properties: { role, password }, additionalProperties: false, minProperties: 1 },
      response: { 200: userSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => changeUser(deps.db, request.params.username, request.body, auditActor(request)));

  app.delete<{ Params: { username: string } }>('/users/:username', {
    onRequest: admin,
    schema: { tags: ['users'], summary: 'Remove a console user and end their sessions', params: nameParams, response: { 204: { type: 'null' }, ...errorResponses, 409: errorSchema } },
  }, async (request, reply) => {
    await removeUser(deps.db, request.params.username, auditActor(request));
    return reply.code(204).send();
  });
}
