/** The manifest, schema 1 (docs/manifest.md): what one user gets of each product. */

/** One build that a page may load: where it lives and what it consists of. */
export interface ManifestBuild {
  resourceId: number;
  version: string;
  /** A same-origin absolute path or an allow-listed origin; always ends with `/`. */
  baseUrl: string;
  /** Paths relative to `baseUrl`, in load order. */
  files: string[];
  /** file → `sha384-…` (SRI); files without an entry are loaded without integrity. */
  integrity: Record<string, string>;
  /**
   * file → how its script runs, for entry files whose kind the build recorded; a `.js`/`.mjs` file
   * not named here loads as a module. Webpack and qiankun-style builds are classic scripts.
   */
  scripts?: Record<string, ScriptKind>;
  /**
   * Sent back with every report about this build (`POST /reports`), so a rollout's guard counts this
   * user; present on the chosen build of a product under a rollout (docs/rollouts.md).
   */
  reportToken?: string;
}

/** `module`: `<script type=module>`; `classic`: a plain `<script>` (`document.currentScript` works). */
export type ScriptKind = 'module' | 'classic';

/** The chosen build of one product, with the stable build to fall back on when it is gray. */
export interface ManifestEntry extends ManifestBuild {
  strategyId: number;
  status: 'gray' | 'full';
  config: Record<string, unknown>;
  /** URLs of shared scripts loaded once, before the files of any product naming them. */
  dependencies: string[];
  fallback?: ManifestBuild;
}

export interface Manifest {
  schema: 1;
  userId: string | null;
  revision: number;
  ttlSeconds: number;
  serviceWorker: { enabled: boolean };
  products: Record<string, ManifestEntry>;
}

export type ResourceStatus = 'built' | 'deployed' | 'build_failed' | 'deploy_failed';
export type StrategyStatus = 'off' | 'gray' | 'full';

/** The legacy numeric resource statuses (older CI scripts send them): index = number. */
export const RESOURCE_STATUSES: readonly ResourceStatus[] = ['built', 'deployed', 'build_failed', 'deploy_failed'];
export const STRATEGY_STATUSES: readonly StrategyStatus[] = ['off', 'gray', 'full'];

export const PRODUCT_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
