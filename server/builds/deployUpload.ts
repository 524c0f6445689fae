/**
 * Deploying an uploaded build (`PUT /resources/{id}/files`). The tar.gz is unpacked into a private
 * folder next to the releases (same file system), then, inside the transaction that marks the resource
 * `deployed`, renamed to `releases/{product}/{id}/` in one step. If the transaction fails the folder is
 * removed again, so the files and the database never disagree. Same content again: nothing changes;
 * other content: `conflict`.
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FinchError } from '../../core/FinchError.js';
import type { Queryable } from '../db/Db.js';
import type { ServerDeps } from '../deps.js';
import { defaultEntryFiles, integrityFiles } from '../model/entryFiles.js';
import { ownBaseUrl, releaseFolder } from '../model/releaseLocation.js';
import type { AuditActor } from '../store/audit.js';
import { insertReleaseFiles, storedDigest } from '../store/releaseFiles.js';
import { deployUploadedResource, getResource, type Resource } from '../store/resources.js';
import { releaseDigest } from '../upload/releaseDigest.js';
import { unpackTarGz, type UnpackedRelease, type UnpackLimits } from '../upload/unpackTarGz.js';
import { uploadScratchDir } from '../upload/uploadScratch.js';
import { emitEvent } from '../webhooks/emitEvent.js';
import { publishedBuild } from '../webhooks/eventPayloads.js';
import { auditBuild } from './auditBuild.js';
import { planFor } from './buildStatus.js';

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

/** After an error: did the transaction commit anyway (an error after commit, e.g. while refreshing)? */
async function committed(q: Queryable, id: number): Promise<boolean> {
  try {
    return (await storedDigest(q, id)) !== null;
  } catch {
    // Cannot tell: keep the files; a later upload treats a folder without a row as leftover.
    return true;
  }
}

export async function deployUpload(
  deps: Pick<ServerDeps, 'db' | 'change' | 'config'>,
  id: number,
  body: Readable,
  limits: UnpackLimits,
  by: AuditActor,
): Promise<Resource> {
  const resource = await getResource(deps.db, id);
  const finalDir = releaseFolder(deps.config.dataDir, resource.product, id);
  if (resource.baseUrl !== ownBaseUrl(resource.product, id)) {
    throw new FinchError('conflict', `Failed to upload to resource ${id}: it is hosted at ${resource.baseUrl}, not here. Register a new version without baseUrl to host it here.`);
  }
  // A failed build never becomes deployed: say so before reading a byte of the body.
  if (resource.status !== 'deployed') await planFor(deps.db, resource, 'deployed', 'upload');

  // Start-up empties it (sweepUploadScratch, called by createDeps).
  const scratch = uploadScratchDir(deps.config.dataDir);
  await mkdir(scratch, { recursive: true });
  const work = await mkdtemp(path.join(scratch, `upload-${id}-`));
  let moved = false;
  try {
    const unpacked = await unpackTarGz(body, work, limits);
    const digest = releaseDigest(unpacked.integrity);
    return await deps.change(async (q) => {
      const before = await getResource(q, id, true);
      if (before.status !== 'deployed') await planFor(q, before, 'deployed', 'upload');
      const prior = await storedDigest(q, id);
      if (prior !== null) {
        // Builds are immutable: the same build again changes nothing, another one is refused.
        if (prior === digest) return before;
        throw new FinchError('conflict', `Failed to upload ${before.product} ${before.version}: that version is stored with other content. Publish a new version.`, { resourceId: id });
      }
      if (before.status === 'deployed') {
        throw new FinchError('conflict', `Failed to upload to resource ${id}: it is already deployed with files registered by URL. Publish a new version.`, { resourceId: id });
      }
      const entry = entryFilesFor(before, unpacked);
      // A folder without a release_files row is left from a crash between rename and commit.
      if (await exists(finalDir)) await rm(finalDir, { recursive: true, force: true });
      await mkdir(path.dirname(finalDir), { recursive: true });
      await rename(work, finalDir);
      moved = true;
      // The files' row first, so the resource read back already says how many bytes it stores.
      await insertReleaseFiles(q, id, { integrity: unpacked.integrity, digest, totalBytes: unpacked.totalBytes });
      const after = await deployUploadedResource(q, id, entry.files, entry.integrity);
      await auditBuild(q, by, 'upload', { before, after: { ...after, upload: { files: unpacked.files.length, totalBytes: unpacked.totalBytes, digest } } });
      await emitEvent(q, 'build.published', publishedBuild(after));
      return after;
    });
  } catch (err) {
    if (moved && !(await committed(deps.db, id))) await rm(finalDir, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
