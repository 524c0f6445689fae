/**
 * Reads what a status change of a build depends on and writes its side effects, for the routes that
 * change a status (PATCH /resources/{id}, the upload). The rules themselves are in
 * model/statusTransitions.ts.
 */
import type { ResourceStatus, StrategyStatus } from '../../core/index.js';
import { releaseDirOf } from '../../core/url/buildPlacement.js';
import type { Queryable } from '../db/Db.js';
import type { Resource } from '../model/rows.js';
import { planStatusChange, type StatusPlan, type StatusVia } from '../model/statusTransitions.js';

/** The `baseUrl` of a build hosted here; a resource pointing anywhere else cannot take an upload. */
export function ownBaseUrl(product: string, id: number): string {
  return `${releaseDirOf(product)}${id}/`;
}

/**
 * Plans moving `resource` to `to` (see planStatusChange), reading its strategies and stored files.
 * Call it inside the transaction, after locking the product row (strategy writes lock it too) and the
 * resource, so no strategy starts serving the build between this check and the write.
 */
export async function planFor(q: Queryable, resource: Resource, to: ResourceStatus, via: StatusVia): Promise<StatusPlan> {
  if (resource.status === to) return { changes: false, turnOff: [] };
  const hostedHere = resource.baseUrl === ownBaseUrl(resource.product, resource.id);
  const stored = hostedHere ? (await q.query('SELECT 1 FROM release_files WHERE resource_id = $1', [resource.id])).rows.length > 0 : false;
  const strategies = await q.query<{ id: number; status: StrategyStatus }>(
    `SELECT id, status FROM strategies WHERE resource_id = $1 AND status <> 'off' ORDER BY id`,
    [resource.id],
  );
  return planStatusChange(resource.status, to, {
    id: resource.id,
    product: resource.product,
    version: resource.version,
    hostedHere,
    hasFiles: hostedHere ? stored : resource.files.length > 0,
    strategies: strategies.rows.map((s) => ({ id: Number(s.id), status: s.status })),
  }, via);
}

/** Turns strategies off as an operator would (new version, so a stale If-Match fails); returns their ids. */
export async function turnStrategiesOff(q: Queryable, ids: readonly number[]): Promise<number[]> {
  const off: number[] = [];
  for (const id of ids) {
    const r = await q.query(
      `UPDATE strategies SET status = 'off', version = version + 1, updated_at = clock_timestamp() WHERE id = $1 AND status <> 'off' RETURNING id`,
      [id],
    );
    if (r.rows.length > 0) off.push(id);
  }
  return off;
}
