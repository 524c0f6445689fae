/**
 * Builds through the previous system's CI calls (`POST /api/v1/actions`): CreateResource registers a
 * build with registerBuild, UpdateResource changes its status with changeBuild, the reads list and read
 * builds; each answer is the resource with what the scripts sent beside it (`data`, `commitMsg`,
 * `gitProjectId`, `channel`), so scripts that read those fields back keep working.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/Db.js';
import type { ServerDeps } from '../deps.js';
import { productOfProject } from '../products/projectProduct.js';
import type { AuditActor } from '../store/audit.js';
import { ciRecordsOf, type BuildCiRecord } from '../store/resourceCi.js';
import { getResource, listResources, type Resource } from '../store/resources.js';
import { changeBuild } from './changeBuild.js';
import { legacyVersion } from './legacyVersion.js';
import { registerBuild } from './registerBuild.js';

/** The body of CreateResource, as the scripts send it. */
export interface LegacyNewBuild {
  projectId: string | number;
  branch?: string | null;
  commitMsg?: string | null;
  gitProjectId?: string | number | null;
  channel?: string | null;
  data?: string | null;
  status?: string | number;
}

/** A resource as the legacy calls answer it: the resource, and what the scripts sent beside it. */
export type LegacyResource = Resource & { data: string | null; commitMsg: string | null; gitProjectId: string | null; channel: string | null };

function legacyView(r: Resource, ci: BuildCiRecord | undefined): LegacyResource {
  return { ...r, data: ci?.data ?? null, commitMsg: ci?.commitMessage ?? null, gitProjectId: ci?.gitProjectId ?? null, channel: ci?.channel ?? null };
}

async function withCiRecords(q: Queryable, resources: Resource[]): Promise<LegacyResource[]> {
  const records = await ciRecordsOf(q, resources.map((r) => r.id));
  return resources.map((r) => legacyView(r, records.get(r.id)));
}

/** Registers a new build (see legacyVersion for its version); always a new resource, hosted here unless deployed elsewhere later. */
export async function createLegacyBuild(deps: Pick<ServerDeps, 'db' | 'change' | 'config' | 'now'>, body: LegacyNewBuild, by: AuditActor): Promise<LegacyResource> {
  const product = await productOfProject(deps.db, body.projectId);
  const branch = body.branch ?? null;
  const ci: BuildCiRecord = {
    data: body.data ?? null,
    commitMessage: body.commitMsg ?? null,
    gitProjectId: body.gitProjectId === undefined || body.gitProjectId === null ? null : String(body.gitProjectId),
    channel: body.channel ?? null,
  };
  const version = legacyVersion(ci.data, branch, new Date(deps.now()), randomBytes(3).toString('hex'));
  const { resource } = await registerBuild(deps, { product: product.name, version, branch, ci, ...(body.status !== undefined ? { status: body.status } : {}) }, by);
  return legacyView(resource, ci);
}

/** The status change of UpdateResource: the same transition table as PATCH /resources/{id}. */
export async function changeLegacyBuild(deps: Pick<ServerDeps, 'db' | 'change'>, id: number, status: string | number, by: AuditActor): Promise<LegacyResource> {
  const changed = await changeBuild(deps, id, { status }, by);
  return (await withCiRecords(deps.db, [changed]))[0]!;
}

export async function readLegacyBuild(q: Queryable, id: number): Promise<LegacyResource> {
  return (await withCiRecords(q, [await getResource(q, id)]))[0]!;
}

/** A product's builds, newest first. */
export async function listLegacyBuilds(q: Queryable, projectId: string | number): Promise<LegacyResource[]> {
  return withCiRecords(q, await listResources(q, (await productOfProject(q, projectId)).id));
}
