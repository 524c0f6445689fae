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
export { bucketKey, compileRule } from './rules/compileRule.js';
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

export { ROLLOUT_LIMITS } from './rollout/RolloutPlan.js';
export type { RolloutPlan, PercentStage, BatchStages, RolloutTarget, RolloutGuard, StageCheck, OnBreach } from './rollout/RolloutPlan.js';
export { validatePlan } from './rollout/validatePlan.js';
export { stageCount, planStage, liveTargets } from './rollout/planStages.js';
export type { PlanStage } from './rollout/planStages.js';
export { stageRule } from './rollout/stageRule.js';
export type { StageRule } from './rollout/stageRule.js';
export { judgeGuard } from './rollout/judgeGuard.js';
export type { BuildFigures, JudgedFigures, GuardFigures, GuardVerdict, GuardJudgement } from './rollout/judgeGuard.js';
export { ENDED_STATES } from './rollout/Rollout.js';
export type { Rollout, RolloutState, RolloutPosition, StrategyChange, Transition, TransitionKind, Hold, CheckOutcome } from './rollout/Rollout.js';
export { startRollout } from './rollout/startRollout.js';
export type { RolloutStart } from './rollout/startRollout.js';
export { nextStep } from './rollout/nextStep.js';
export { command, COMMANDS } from './rollout/command.js';
export type { RolloutCommand } from './rollout/command.js';
export { rank } from './rollout/rank.js';
export type { RankInput, Ranked } from './rollout/rank.js';
