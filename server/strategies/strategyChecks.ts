/** What a strategy must satisfy before it is stored, whoever writes it. */
import { compileRule, FinchError, type ResourceStatus, type StrategyStatus } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import { ownerAndStatusOfResource } from '../store/resources.js';

/** Checks a rule the way the resolver will compile it, so a stored rule always compiles. */
export function checkRule(rule: unknown, salt: string | null | undefined): void {
  if (rule === null || rule === undefined) return;
  compileRule(rule, { salt: salt ?? '0' });
}

export function checkWindow(startsAt: string | null, endsAt: string | null): void {
  if (startsAt !== null && endsAt !== null && Date.parse(startsAt) >= Date.parse(endsAt)) {
    throw new FinchError('invalid-input', 'Invalid strategy: "startsAt" must be before "endsAt".');
  }
}

/**
 * The build a strategy serves must exist and belong to the strategy's product, and be one it can serve:
 * a failed build never again, and `full`, which every user gets, only a deployed one
 * (a gray strategy may wait for its build's upload). Otherwise the product would vanish from manifests.
 */
export async function checkResource(q: Queryable, resourceId: number, productId: number, product: string, status: StrategyStatus): Promise<void> {
  const owner = await ownerAndStatusOfResource(q, resourceId);
  if (owner === null) throw new FinchError('invalid-input', `Invalid strategy: resource ${resourceId} does not exist.`);
  if (owner.productId !== productId) throw new FinchError('invalid-input', `Invalid strategy: resource ${resourceId} is not a build of "${product}".`);
  checkServable(resourceId, owner.status, status);
}

/** Why a strategy of `status` may not serve a build in state `build`, or null when it may. */
export function unservable(build: ResourceStatus, status: StrategyStatus): 'failed' | 'not-deployed' | null {
  if (status === 'off') return null;
  if (build === 'build_failed' || build === 'deploy_failed') return 'failed';
  return status === 'full' && build !== 'deployed' ? 'not-deployed' : null;
}

export function checkServable(resourceId: number, build: ResourceStatus, status: StrategyStatus): void {
  const why = unservable(build, status);
  if (why === 'failed') {
    throw new FinchError('build-not-servable', `Failed to make a ${status} strategy of resource ${resourceId}: the build is ${build}, and a failed build is never served. Publish a new version.`, { resourceId, buildStatus: build });
  }
  if (why === 'not-deployed') {
    throw new FinchError('build-not-servable', `Failed to make resource ${resourceId} full: it is not deployed yet (${build}), and every user would get nothing. Upload it first (PUT /api/v1/resources/${resourceId}/files).`, { resourceId, buildStatus: build });
  }
}
