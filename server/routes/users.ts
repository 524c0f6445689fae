/** Console users, managed by admins. Passwords are hashed before any transaction starts. Mount under `/api/v1`. */
import type { FastifyInstance } from 'fastify';
import { FinchError } from '../../core/FinchError.js';
import { writeAudit } from '../audit/writeAudit.js';
import { requireRole } from '../auth/guards.js';
import { hashPassword } from '../auth/password.js';
import { actorName, type Role } from '../auth/Principal.js';
import { checkPassword, createUser, deleteUser, getUser, listUsers, MAX_PASSWORD, MIN_PASSWORD, ROLES, updateUser } from '../auth/users.js';
import type { ServerDeps } from '../deps.js';
import { errorResponses, errorSchema } from './schemas.js';

const username = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$' } as const;
const password = { type: 'string', minLength: MIN_PASSWORD, maxLength: MAX_PASSWORD } as const;
const role = { type: 'string', enum: [...ROLES] } as const;
const userSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, username: { type: 'string' }, role, createdAt: { type: 'string' }, updatedAt: { type: 'string' } },
  required: ['id', 'username', 'role', 'createdAt', 'updatedAt'],
} as const;
const nameParams = { type: 'object', properties: { username }, required: ['username'], additionalProperties: false } as const;

export async function userRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;
  const admin = requireRole('admin');

  app.get('/users', {
    onRequest: admin,
    schema: { tags: ['users'], summary: 'List console users', response: { 200: { type: 'object', properties: { users: { type: 'array', items: userSchema } }, required: ['users'] }, ...errorResponses } },
  }, async () => ({ users: await listUsers(deps.db) }));

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
  }, async (request, reply) => {
    const { username: name, password: pw, role: r } = request.body;
    checkPassword(pw);
    const passwordHash = await hashPassword(pw);
    const user = await deps.db.tx(async (q) => {
      const created = await createUser(q, { username: name, passwordHash, role: r });
      await writeAudit(q, { actor: actorName(request.principal), action: 'user.create', target: `user:${name}`, after: created, requestId: request.id });
      return created;
    });
    return reply.code(201).send(user);
  });

  app.patch<{ Params: { username: string }; Body: { role?: Role; password?: string } }>('/users/:username', {
    onRequest: admin,
    schema: {
      tags: ['users'],
      summary: 'Change a user\'s role or password (a new password signs them out everywhere)',
      params: nameParams,
      body: { type: 'object', properties: { role, password }, additionalProperties: false, minProperties: 1 },
      response: { 200: userSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const passwordHash = request.body.password === undefined ? undefined : await hashPassword(request.body.password);
    return deps.db.tx(async (q) => {
      const change: { role?: Role; passwordHash?: string } = {};
      if (request.body.role !== undefined) change.role = request.body.role;
      if (passwordHash !== undefined) change.passwordHash = passwordHash;
      const result = await updateUser(q, request.params.username, change);
      if (!result) throw new FinchError('not-found', `User "${request.params.username}" does not exist.`);
      await writeAudit(q, {
        actor: actorName(request.principal),
        action: 'user.update',
        target: `user:${request.params.username}`,
        before: result.before,
        after: { ...result.after, passwordChanged: passwordHash !== undefined },
        requestId: request.id,
      });
      return result.after;
    });
  });

  app.delete<{ Params: { username: string } }>('/users/:username', {
    onRequest: admin,
    schema: { tags: ['users'], summary: 'Remove a console user and end their sessions', params: nameParams, response: { 204: { type: 'null' }, ...errorResponses, 409: errorSchema } },
  }, async (request, reply) => {
    await deps.db.tx(async (q) => {
      const before = await deleteUser(q, request.params.username);
      if (!before) throw new FinchError('not-found', `User "${request.params.username}" does not exist.`);
      await writeAudit(q, { actor: actorName(request.principal), action: 'user.delete', target: `user:${before.username}`, before, requestId: request.id });
    });
    return reply.code(204).send();
  });
}
