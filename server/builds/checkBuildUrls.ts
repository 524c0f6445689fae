/**
 * Every URL and file name of a new build: first that each is safe (`unsafe-url`), then that the URLs
 * point where this product may (`forbidden-url`). Admins are held to the same places as publish
 * tokens: the rule guards what browsers load, whoever registers it, and an asset origin covers
 * hosting elsewhere.
 */
import { checkBaseUrl, checkDependencyUrl, checkFilePath, FinchError, type UrlPolicy } from '../../core/index.js';
import { checkBuildBaseUrl, checkSharedScriptUrl } from '../../core/url/buildPlacement.js';
import type { Config } from '../config.js';
import type { BuildContent } from './sameBuild.js';

/** The server's URL policy: its own origin and the asset origins it was given. */
export function urlPolicy(config: Pick<Config, 'publicOrigin' | 'assetOrigins'>): UrlPolicy {
  return { origin: config.publicOrigin, allowedOrigins: config.assetOrigins };
}

export function checkBuildUrls(product: string, body: BuildContent, policy: UrlPolicy): void {
  if (body.baseUrl !== undefined) checkBaseUrl(body.baseUrl, policy);
  const files = body.files ?? [];
  for (const f of files) checkFilePath(f);
  if (new Set(files).size !== files.length) throw new FinchError('invalid-input', 'Invalid resource: "files" lists a file twice.');
  // Integrity may name files beyond `files`: lazy chunks and assets the worker checks and pre-caches.
  for (const name of Object.keys(body.integrity ?? {})) checkFilePath(name);
  for (const d of body.dependencies ?? []) checkDependencyUrl(d, policy);
  if (body.baseUrl !== undefined) checkBuildBaseUrl(product, body.baseUrl, policy);
  for (const d of body.dependencies ?? []) checkSharedScriptUrl(d, policy);
}
