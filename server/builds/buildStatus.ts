/**
 * Reads what a status change of a build depends on, for the writes that change a status (PATCH
 * /resources/{id}, the upload). The rules themselves are in model/statusTransitions.ts.
 */
import type { ResourceStatus } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import { ownBaseUrl } from '../model/releaseLocation.js';
import { planStatusChange, type StatusPlan, type StatusVia } from '../model/statusTransitions.js';
import type { Resource } from '../store/resources.js';
import { strategiesServing } from '../store/strategies.js';

/**
 * Plans moving `resource` to `to` (see planStatusChange). Only a build leaving `deployed` depends on
 * the strategies serving it: for that move, call it inside the transaction after locking the product
 * row (strategy writes lock it too) and the resource, so no strategy starts serving the build between
 * this check and the write. Other moves read nothing.
 */
export async function planFor(q: Queryable, resource: Resource, to: ResourceStatus, via: StatusVia): Promise<StatusPlan> {
  if (resource.status === to) return { changes: false, turnOff: [] };
  return planStatusChange(resource.status, to, {
    id: resource.id,
    product: resource.product,
    version: resource.version,
    hostedHere: resource.baseUrl === ownBaseUrl(resource.product, resource.id),
    hasFiles: resource.files.length > 0,
    strategies: resource.status === 'deployed' ? await strategiesServing(q, resource.id) : [],
  }, via);
}
