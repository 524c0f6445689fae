export { createFinch } from './createFinch.js';
export { FinchError } from '../core/FinchError.js';
export type { Finch, FinchEvents, FinchHook, FinchOptions, FinchSource } from './types.js';
export type { FinchStore } from './FinchStore.js';
export type { FinchErrorCode } from '../core/FinchError.js';
export type { Manifest, ManifestBuild, ManifestEntry } from '../core/manifest.js';
