/**
 * Registering a build (`POST /resources`). The same product and version again is idempotent when the
 * content is the same and a `conflict` otherwise: builds are immutable.
 */
import type { ResourceStatus } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { ownBaseUrl } from '../model/releaseLocation.js';
import { resourceStatus } from '../model/status.js';
import { checkInitialStatus } from '../model/statusTransitions.js';
import type { AuditActor } from '../store/audit.js';
import { getProduct } from '../store/products.js';
import { insertCiRecord, type BuildCiRecord } from '../store/resourceCi.js';
import { findResourceByVersion, insertResource, nextResourceId, type Resource } from '../store/resources.js';
import { auditBuild } from './auditBuild.js';
import { checkBuildUrls, urlPolicy } from './checkBuildUrls.js';
import { sameOrConflict, type BuildContent } from './sameBuild.js';
import { emitEvent } from '../webhooks/emitEvent.js';
import { publishedBuild } from '../webhooks/eventPayloads.js';

export interface NewBuild extends BuildContent {
  product: string;
  version: string;
  config?: Record<string, unknown>;
  status?: string | number;
  branch?: string | null;
  commit?: string | null;
  /** What a legacy CI call said about the build, kept beside it (never read by the resolver). */
  ci?: BuildCiRecord;
}

/** The build and whether this call created it (201) or found it stored already (200). */
export async function registerBuild(deps: Pick<ServerDeps, 'db' | 'change' | 'config'>, body: NewBuild, by: AuditActor): Promise<{ created: boolean; resource: Resource }> {
  checkBuildUrls(body.product, body, urlPolicy(deps.config));
  const status: ResourceStatus = body.status === undefined ? 'built' : resourceStatus(body.status);
  const hasFiles = (body.files ?? []).length > 0;
  checkInitialStatus(status, { hostedHere: body.baseUrl === undefined, hasFiles });
  const existing = await findResourceByVersion(deps.db, body.product, body.version);
  if (existing !== null) return { created: false, resource: sameOrConflict(existing, body) };

  return deps.change(async (q) => {
    const product = await getProduct(q, body.product, true);
    const again = await findResourceByVersion(q, product.id, body.version);
    if (again !== null) return { created: false, resource: sameOrConflict(again, body) };
    const id = await nextResourceId(q);
    const baseUrl = body.baseUrl ?? ownBaseUrl(body.product, id);
    // A baseUrl naming this build's own folder is hosted here too: its files come by upload.
    checkInitialStatus(status, { hostedHere: baseUrl === ownBaseUrl(body.product, id), hasFiles });
    const resource = await insertResource(q, {
      id,
      productId: product.id,
      version: body.version,
      status,
      baseUrl,
      files: body.files ?? [],
      integrity: body.integrity ?? {},
      config: body.config ?? {},
      dependencies: body.dependencies ?? [],
      branch: body.branch ?? null,
      commit: body.commit ?? null,
    });
    if (body.ci !== undefined) await insertCiRecord(q, id, body.ci);
    await auditBuild(q, by, 'create', { after: resource });
    if (resource.status === 'deployed') await emitEvent(q, 'build.published', publishedBuild(resource));
    return { created: true, resource };
  });
}
