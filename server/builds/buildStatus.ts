/**
 * Reads what a status change of a build depends on, for the writes that change a status (PATCH
 * /resources/{id}, the upload). The rules themselves are in model/statusTransitions.ts.
 */
import type { ResourceStatus } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import { ownBaseUrl } from '../model/releaseLocation.js';
import { planStatusChange, type StatusPlan, type StatusVia } from '../model/statusTransitions.js';
import { storedDigest } from '../store/releaseFiles.js';
import type { Resource } from '../store/resources.js';
import { strategiesServing } from '../store/strategies.js';

/**
 * Plans moving `resource` to `to` (see planStatusChange), reading its strategies and stored files.
 * Call it inside the transaction, after locking the product row (strategy writes lock it too) and the
 * resource, so no strategy starts serving the build between this check and the write.
 */
export async function planFor(q: Queryable, resource: Resource, to: ResourceStatus, via: StatusVia): Promise<StatusPlan> {
  if (resource.status === to) return { changes: false, turnOff: [] };
  const hostedHere = resource.baseUrl === ownBaseUrl(resource.product, resource.id);
  const stored = hostedHere ? (await storedDigest(q, resource.id)) !== null : false;
  return planStatusChange(resource.status, to, {
    id: resource.id,
    product: resource.product,
    version: resource.version,
    hostedHere,
    hasFiles: hostedHere ? stored : resource.files.length > 0,
    strategies: await strategiesServing(q, resource.id),
  }, via);
}
