/**
 * Changing a build's status or config (`PATCH /resources/{id}`); its files never change. Failing a
 * build turns off the gray strategies serving it in the same transaction (see planStatusChange).
 */
import type { ResourceStatus } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { resourceStatus } from '../model/status.js';
import type { AuditActor } from '../store/audit.js';
import { getProduct } from '../store/products.js';
import { getResource, updateResource, type Resource } from '../store/resources.js';
import { turnStrategiesOff } from '../store/strategies.js';
import { emitEvent } from '../webhooks/emitEvent.js';
import { publishedBuild } from '../webhooks/eventPayloads.js';
import { auditBuild } from './auditBuild.js';
import { planFor } from './buildStatus.js';
import { sameJson } from './sameBuild.js';

export interface BuildChange {
  status?: string | number;
  config?: Record<string, unknown>;
}

function isNoChange(r: Resource, status: ResourceStatus | null, config: Record<string, unknown> | undefined): boolean {
  return (status === null || status === r.status) && (config === undefined || sameJson(config, r.config));
}

export async function changeBuild(deps: Pick<ServerDeps, 'db' | 'change'>, id: number, body: BuildChange, by: AuditActor): Promise<Resource> {
  const wanted = body.status === undefined ? null : resourceStatus(body.status);
  // The same status (and config) again changes nothing: no write, no audit row, no new revision.
  const current = await getResource(deps.db, id);
  if (isNoChange(current, wanted, body.config)) return current;
  return deps.change(async (q) => {
    // Product first, as strategy writes lock it: no strategy starts serving the build meanwhile.
    await getProduct(q, current.product, true);
    const before = await getResource(q, id, true);
    const status = wanted ?? before.status;
    const plan = await planFor(q, before, status, 'update');
    if (!plan.changes && isNoChange(before, wanted, body.config)) return before;
    const updated = await updateResource(q, id, status, body.config);
    const turnedOff = await turnStrategiesOff(q, plan.turnOff);
    if (status === 'deployed' && before.status !== 'deployed') await emitEvent(q, 'build.published', publishedBuild(updated));
    await auditBuild(q, by, 'update', { before, after: turnedOff.length > 0 ? { ...updated, strategiesTurnedOff: turnedOff } : updated });
    return updated;
  });
}
