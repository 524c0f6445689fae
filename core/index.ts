// Finch's shared logic (docs/manifest.md, docs/rules.md): pure, no I/O, no environment globals
// (lib ES2022 only, see core/tsconfig.json).
// Implementations live in the files named below; this file only re-exports.
export { FinchError, isFinchError } from './FinchError.js';
export type { FinchErrorCode } from './FinchError.js';
export { DEV } from './dev.js';

export { PRODUCT_NAME, RESOURCE_STATUSES, STRATEGY_STATUSES } from './manifest.js';
export type { Manifest, ManifestEntry, ManifestBuild, ResourceStatus, StrategyStatus } from './manifest.js';
export { validateManifest } from './validateManifest.js';
export { NEXT_STATUSES, updateMoves } from './buildStatus.js';
export type { UpdateFacts } from './buildStatus.js';

export { RULE_LIMITS } from './rules/Rule.js';
export type { Rule, Operator, RuleValue, RequestContext, CompiledRule } from './rules/Rule.js';
export { compileRule } from './rules/compileRule.js';
export { murmur3 } from './rules/murmur3.js';
export { bucketOf } from './rules/bucket.js';

export { checkBaseUrl, checkFilePath, checkDependencyUrl, joinUrl } from './url/urlSafety.js';
export type { UrlPolicy } from './url/urlSafety.js';

export type { SnapshotInput, ProductRow, ResourceRow, StrategyRow } from './snapshot.js';
export { compileSnapshot } from './resolve/compileSnapshot.js';
export type { Snapshot } from './resolve/compileSnapshot.js';
export { resolveManifest, resolveProduct } from './resolve/resolveManifest.js';

export { IDB_NAME, IDB_STORE, CURRENT_KEY, BAD_BUILDS_KEY, manifestKey } from './protocol.js';
export type { StoredManifest, CurrentPointer, BadBuilds, PageToWorker, WorkerToPage } from './protocol.js';
