/**
 * The rules of a build's status for every route that sets it (POST /resources sets the first status,
 * PATCH /resources/{id} changes it, PUT /resources/{id}/files deploys), on the table of moves in
 * core/buildStatus.ts (which the console reads too). Pure: the routes read the facts and write what
 * this decides. The same status again is no change (200, nothing written).
 */
import { FinchError, NEXT_STATUSES, type ResourceStatus, type StrategyStatus } from '../../core/index.js';

/** What a status change must know about the build besides its status. */
export interface BuildFacts {
  id: number;
  product: string;
  version: string;
  /** Its `baseUrl` is its own folder under `/releases/`: files arrive only by upload. */
  hostedHere: boolean;
  /** It lists files a page can load (read for builds hosted elsewhere; uploads set them here). */
  hasFiles: boolean;
  /** Strategies that name this build and are not off (read only when it leaves `deployed`). */
  strategies: ReadonlyArray<{ id: number; status: StrategyStatus }>;
}

/** What to write for a status change. */
export interface StatusPlan {
  /** False for the same status again: nothing to write, no audit row. */
  changes: boolean;
  /** Gray strategies to turn off in the same transaction: a failed build leaves its gray rollouts. */
  turnOff: number[];
}

/** How the status is being set: PATCH /resources/{id}, or the upload of the build's files. */
export type StatusVia = 'update' | 'upload';

function illegal(b: BuildFacts, from: ResourceStatus, to: ResourceStatus, why: string): FinchError {
  return new FinchError('illegal-transition', `Failed to set resource ${b.id} (${b.product} ${b.version}) from ${from} to ${to}: ${why}`, { from, to, allowed: [...NEXT_STATUSES[from]] });
}

/**
 * Decides a status change of an existing build, or throws `illegal-transition` (not in the table, or
 * `deployed` without files) or `resource-in-use` (failing the build a `full` strategy serves would
 * take the product from every user: roll back first). Failing a deployed build turns its gray
 * strategies off, so their users fall back to the full build at once.
 */
export function planStatusChange(from: ResourceStatus, to: ResourceStatus, b: BuildFacts, via: StatusVia): StatusPlan {
  if (from === to) return { changes: false, turnOff: [] };
  if (!NEXT_STATUSES[from].includes(to)) {
    const why = from === 'deployed'
      ? 'a deployed build can only be withdrawn (deploy_failed); its files never change.'
      : `${from} is final. Publish a new version.`;
    throw illegal(b, from, to, why);
  }
  if (to === 'deployed' && via === 'update') {
    if (b.hostedHere) throw illegal(b, from, to, `a build hosted here is deployed by uploading its files: PUT /api/v1/resources/${b.id}/files.`);
    if (!b.hasFiles) throw illegal(b, from, to, 'it lists no files, and files are set only when a build is registered. Register a new version with "files".');
  }
  if (from !== 'deployed') return { changes: true, turnOff: [] };
  const full = b.strategies.find((s) => s.status === 'full');
  if (full !== undefined) {
    throw new FinchError(
      'resource-in-use',
      `Failed to set resource ${b.id} (${b.product} ${b.version}) to ${to}: the full strategy ${full.id} serves it to every user. ` +
        `Roll back first (POST /api/v1/products/${b.product}/rollback) or make another build full, then try again.`,
      { strategyId: full.id, from, to },
    );
  }
  return { changes: true, turnOff: b.strategies.filter((s) => s.status === 'gray').map((s) => s.id) };
}

/**
 * Checks the status a build is registered with. Any status may be recorded, but `deployed` only for
 * a build hosted elsewhere that lists its files. Throws `invalid-input`.
 */
export function checkInitialStatus(status: ResourceStatus, b: { hostedHere: boolean; hasFiles: boolean }): void {
  if (status !== 'deployed') return;
  if (!b.hasFiles) {
    throw new FinchError('invalid-input', 'Invalid resource: a deployed build needs "files". Upload them with PUT /api/v1/resources/{id}/files, or list them.');
  }
  if (b.hostedHere) {
    throw new FinchError('invalid-input', 'Invalid resource: a build hosted here becomes deployed by uploading it (PUT /api/v1/resources/{id}/files).');
  }
}
