/** `PUT /resources/{id}/files`: a build's files as tar.gz, deployed by deployUpload. Mount under `/api/v1`. */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { FinchError } from '../../core/FinchError.js';
import { deployUpload } from '../builds/deployUpload.js';
import type { ServerDeps } from '../deps.js';
import { auditActor } from '../http/auditActor.js';
import { publishTokenOfResource } from '../http/publishGuards.js';
import { DEFAULT_LIMITS, type UnpackLimits } from '../upload/unpackTarGz.js';
import { errorResponses, errorSchema, idParams, resourceSchema } from './schemas.js';

const GZIP_TYPES = new Set(['application/gzip', 'application/x-gzip', 'application/octet-stream', 'application/x-tar+gzip']);

export async function uploadRoutes(app: FastifyInstance, opts: { deps: ServerDeps; limits?: UnpackLimits }): Promise<void> {
  const { deps } = opts;
  const limits = opts.limits ?? DEFAULT_LIMITS;

  // Pass the body through as a stream: it is checked and unpacked while it arrives, never buffered whole.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.put<{ Params: { id: string } }>('/resources/:id/files', {
    config: { bodyTypes: [...GZIP_TYPES] },
    onRequest: publishTokenOfResource(deps.db),
    schema: {
      tags: ['resources'],
      summary: 'Upload a build as tar.gz; it is stored, hashed (sha384) and the resource becomes deployed',
      params: idParams,
      response: { 200: resourceSchema, ...errorResponses, 409: errorSchema, 413: errorSchema, 415: errorSchema },
    },
  }, async (request) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!GZIP_TYPES.has(type)) {
      throw Object.assign(new Error(`Unsupported Content-Type "${type}": send the build as application/gzip (a tar.gz).`), { statusCode: 415 });
    }
    const length = Number(request.headers['content-length'] ?? NaN);
    if (length > limits.maxCompressedBytes) {
      throw new FinchError('payload-too-large', `Failed to upload: the body is over ${limits.maxCompressedBytes} bytes. Make the build smaller.`);
    }
    const body = request.body as Readable | undefined;
    if (!body || typeof body.pipe !== 'function') throw new FinchError('invalid-archive', 'Failed to upload: the body is empty. Send the build as a tar.gz.');
    return deployUpload(deps, Number(request.params.id), body, limits, auditActor(request));
  });
}
