/** Reads every row the resolver needs, all from one consistent view of the database. */
import type { SnapshotInput } from '../../core/index.js';
import { readOneSnapshot } from '../db/consistentRead.js';
import type { Db } from '../db/Db.js';
import { listProductNames } from '../store/products.js';
import { listServableResources } from '../store/resources.js';
import { readRevision } from '../store/revision.js';
import { listServableStrategies } from '../store/strategies.js';
import { liveRolloutProducts } from '../store/rollouts.js';

/** The resolver's rows, and the products whose entries carry report tokens (a live rollout watches them). */
export type LoadedInput = SnapshotInput & { reportProducts: string[] };

export async function loadSnapshotInput(db: Db, opts: { ttlSeconds: number; serviceWorkerEnabled: boolean }): Promise<LoadedInput> {
  return db.tx(async (q) => {
    // One snapshot of the database for every read below, so `revision` matches the rows exactly.
    await readOneSnapshot(q);
    const revision = await readRevision(q);
    const products = await listProductNames(q);
    // Rows the resolver can never pick (not deployed, strategies off) are left out to keep the snapshot small.
    const resources = await listServableResources(q);
    const strategies = await listServableStrategies(q);
    const reportProducts = await liveRolloutProducts(q);
    return {
      reportProducts,
      revision,
      ttlSeconds: opts.ttlSeconds,
      serviceWorkerEnabled: opts.serviceWorkerEnabled,
      products,
      resources,
      strategies: strategies.map((s) => ({
        id: s.id,
        product: s.product,
        resourceId: s.resource_id,
        status: s.status,
        priority: s.priority,
        rule: s.rule,
        salt: s.salt,
        startsAt: s.starts_at === null ? null : Number(s.starts_at),
        endsAt: s.ends_at === null ? null : Number(s.ends_at),
        updatedAt: Number(s.updated_at),
      })),
    };
  });
}
