import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FinchError } from '../../core/FinchError.js';
import { writeAudit } from '../audit/writeAudit.js';
import { requirePublish } from '../auth/guards.js';
import { actorName } from '../auth/Principal.js';
import type { Queryable } from '../db/Db.js';
import type { ServerDeps } from '../deps.js';
import { RESOURCE_SELECT, toResource, type Resource } from '../model/rows.js';
import { ownBaseUrl, planFor } from '../builds/buildStatus.js';
import { releasesRoot } from '../releases/releaseRoutes.js';
import { errorResponses, errorSchema, idParam, resourceSchema } from '../routes/schemas.js';
import { defaultEntryFiles, integrityFiles } from './entryFiles.js';
import { releaseDigest } from './releaseDigest.js';
import { DEFAULT_LIMITS, unpackTarGz, type UnpackedRelease, type UnpackLimits } from './unpackTarGz.js';
import { uploadScratchDir } from './uploadScratch.js';

const GZIP_TYPES = new Set(['application/gzip', 'application/x-gzip', 'application/octet-stream', 'application/x-tar+gzip']);

async function loadResource(q: Queryable, id: number, lock: boolean): Promise<Resource> {
  const r = await q.query(`${RESOURCE_SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
  if (!r.rows[0]) throw new FinchError('not-found', `Resource ${id} does not exist. Create it first (POST /api/v1/resources).`);
  return toResource(r.rows[0]);
}

async function productOf(q: Queryable, request: FastifyRequest): Promise<string | null> {
  const id = Number((request.params as { id: string }).id);
  const r = await q.query<{ name: string }>('SELECT p.name FROM resources r JOIN products p ON p.id = r.product_id WHERE r.id = $1', [id]);
  return r.rows[0]?.name ?? null;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** The entry files and the hashes of every file a page may fetch, checked against what was declared at creation. */
function entryFilesFor(resource: Resource, unpacked: UnpackedRelease): { files: string[]; integrity: Record<string, string> } {
  const files = resource.files.length > 0 ? resource.files : defaultEntryFiles(unpacked.files);
  if (files.length === 0) {
    throw new FinchError('invalid-archive', 'Failed to deploy the build: it has no .css or .js file at the top level, and the resource lists no files. List them with POST /resources {"files": [...]}.');
  }
  for (const f of files) {
    if (unpacked.integrity[f] === undefined) {
      throw new FinchError('invalid-archive', `Failed to deploy the build: "${f}", named by the resource, is not in the archive.`, { file: f });
    }
  }
  for (const [f, declared] of Object.entries(resource.integrity)) {
    if (declared !== unpacked.integrity[f]) {
      throw new FinchError('conflict', `Failed to deploy ${resource.product} ${resource.version}: "${f}" differs from the integrity registered for it. Publish a new version.`, { file: f });
    }
  }
  const integrity: Record<string, string> = {};
  for (const f of integrityFiles(files, unpacked.files)) integrity[f] = unpacked.integrity[f]!;
  return { files, integrity };
}

/**
 * `PUT /resources/{id}/files`: a tar.gz of the build. Unpacked into a private directory next to the
 * releases (same file system), then, inside the transaction that marks the resource `deployed`, renamed
 * to `releases/{product}/{id}/` in one step. If the transaction fails the directory is removed again,
 * so the files and the database never disagree. Same content again: 200, nothing changes; other: 409.
 */
export async function uploadRoutes(app: FastifyInstance, opts: { deps: ServerDeps; limits?: UnpackLimits }): Promise<void> {
  const { deps } = opts;
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const root = releasesRoot(deps.config.dataDir);
  // Start-up empties it (sweepUploadScratch, called by createDeps).
  const scratch = uploadScratchDir(deps.config.dataDir);

  // Pass the body through as a stream: it is checked and unpacked while it arrives, never buffered whole.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.put<{ Params: { id: string } }>('/resources/:id/files', {
    config: { bodyTypes: [...GZIP_TYPES] },
    onRequest: requirePublish((request) => productOf(deps.db, request)),
    schema: {
      tags: ['resources'],
      summary: 'Upload a build as tar.gz; it is stored, hashed (sha384) and the resource becomes deployed',
      params: { type: 'object', properties: { id: idParam }, required: ['id'], additionalProperties: false },
      response: { 200: resourceSchema, ...errorResponses, 409: errorSchema, 413: errorSchema, 415: errorSchema },
    },
  }, async (request) => {
    const id = Number(request.params.id);
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

    const resource = await loadResource(deps.db, id, false);
    const finalDir = path.join(root, resource.product, String(id));
    if (resource.baseUrl !== ownBaseUrl(resource.product, id)) {
      throw new FinchError('conflict', `Failed to upload to resource ${id}: it is hosted at ${resource.baseUrl}, not here. Register a new version without baseUrl to host it here.`);
    }
    // A failed build never becomes deployed: say so before reading a byte of the body.
    if (resource.status !== 'deployed') await planFor(deps.db, resource, 'deployed', 'upload');

    await mkdir(scratch, { recursive: true });
    const work = await mkdtemp(path.join(scratch, `upload-${id}-`));
    let moved = false;
    try {
      const unpacked = await unpackTarGz(body, work, limits);
      const digest = releaseDigest(unpacked.integrity);
      return await deps.change(async (q) => {
        const before = await loadResource(q, id, true);
        if (before.status !== 'deployed') await planFor(q, before, 'deployed', 'upload');
        const prior = await q.query<{ digest: string }>('SELECT digest FROM release_files WHERE resource_id = $1', [id]);
        if (prior.rows[0]) {
          if (prior.rows[0].digest === digest) return before; // R19: the same build again
          throw new FinchError('conflict', `Failed to upload ${before.product} ${before.version}: that version is stored with other content. Publish a new version.`, { resourceId: id });
        }
        if (before.status === 'deployed') {
          throw new FinchError('conflict', `Failed to upload to resource ${id}: it is already deployed with files registered by URL. Publish a new version.`, { resourceId: id });
        }
        const entry = entryFilesFor(before, unpacked);
        // A directory without a release_files row is left from a crash between rename and commit.
        if (await exists(finalDir)) await rm(finalDir, { recursive: true, force: true });
        await mkdir(path.dirname(finalDir), { recursive: true });
        await rename(work, finalDir);
        moved = true;
        await q.query(
          `UPDATE resources SET files = $2::jsonb, integrity = $3::jsonb, status = 'deployed', updated_at = now() WHERE id = $1`,
          [id, JSON.stringify(entry.files), JSON.stringify(entry.integrity)],
        );
        await q.query(
          'INSERT INTO release_files (resource_id, files, digest, total_bytes) VALUES ($1, $2::jsonb, $3, $4)',
          [id, JSON.stringify(unpacked.integrity), digest, unpacked.totalBytes],
        );
        const after = await loadResource(q, id, false);
        await writeAudit(q, {
          actor: actorName(request.principal),
          action: 'resource.upload',
          target: `resource:${id}`,
          product: after.product,
          before,
          after: { ...after, upload: { files: unpacked.files.length, totalBytes: unpacked.totalBytes, digest } },
          requestId: request.id,
        });
        return after;
      });
    } catch (err) {
      if (moved && !(await committed(deps.db, id))) await rm(finalDir, { recursive: true, force: true });
      throw err;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}

/** After an error: did the transaction commit anyway (an error after commit, e.g. while refreshing)? */
async function committed(q: Queryable, id: number): Promise<boolean> {
  try {
    const r = await q.query('SELECT 1 FROM release_files WHERE resource_id = $1', [id]);
    return r.rows.length > 0;
  } catch {
    // Cannot tell: keep the files; a later upload treats a directory without a row as leftover.
    return true;
  }
}
