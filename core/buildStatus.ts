/**
 * The life of a build's status, shared by the server (which enforces it) and the console (which
 * offers only the moves the server will accept).
 *
 *   (new) ─► built ─► deployed ─► deploy_failed
 *              ├──────────────────► deploy_failed
 *              └─► build_failed
 *
 * The failed statuses are final: a build that failed is never served again, so a fix is a new version.
 */
import type { ResourceStatus } from './manifest.js';

/** Where each status may go next (besides staying as it is). */
export const NEXT_STATUSES: Readonly<Record<ResourceStatus, readonly ResourceStatus[]>> = {
  built: ['deployed', 'build_failed', 'deploy_failed'],
  deployed: ['deploy_failed'],
  build_failed: [],
  deploy_failed: [],
};

/** What decides whether a status change asked for by an update (not an upload) can go through. */
export interface UpdateFacts {
  /** Its `baseUrl` is its own folder under `/releases/`: it becomes `deployed` only by upload. */
  hostedHere: boolean;
  /** It lists files a page can load; a build without any cannot be deployed. */
  hasFiles: boolean;
  /** A `full` strategy serves it: leaving `deployed` would take the product from every user. */
  servedByFull: boolean;
}

/**
 * The statuses an update (`PATCH /resources/{id}`) may move a build to from `from`: the table above,
 * less `deployed` for a build that must be uploaded or lists no files, and less everything while a
 * full strategy serves a deployed build.
 */
export function updateMoves(from: ResourceStatus, facts: UpdateFacts): ResourceStatus[] {
  if (from === 'deployed' && facts.servedByFull) return [];
  return NEXT_STATUSES[from].filter((to) => to !== 'deployed' || (!facts.hostedHere && facts.hasFiles));
}
