/**
 * Where a build hosted here lives: its URL path on this server (`/releases/{product}/{id}/`) and its
 * folder under FINCH_DATA_DIR (`releases/{product}/{id}/`, also with PostgreSQL). The one home of both
 * shapes, for the upload, the file server, the snapshot and the status rules.
 */
import path from 'node:path';
import { releaseDirOf } from '../../core/url/buildPlacement.js';

/** The URL path prefix every hosted build is served under. */
export const RELEASES_PATH = '/releases/';

/** The `baseUrl` of a build hosted here; a resource pointing anywhere else cannot take an upload. */
export function ownBaseUrl(product: string, id: number): string {
  return `${releaseDirOf(product)}${id}/`;
}

/** The folder holding every uploaded build: `{dataDir}/releases`. */
export function releasesRoot(dataDir: string): string {
  return path.resolve(dataDir, 'releases');
}

/** The folder of one uploaded build. */
export function releaseFolder(dataDir: string, product: string, id: number | string): string {
  return path.join(releasesRoot(dataDir), product, String(id));
}
