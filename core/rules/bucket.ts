/** Sticky percentage buckets of the `percent` rule (docs/rules.md). */
import { murmur3Prefix, murmur3WithPrefix } from './murmur3.js';

/**
 * The bucket of `key` under `salt`, 0..9999: murmur3_x86_32(UTF-8 of `salt:key`, seed 0) mod 10000.
 * A rule at p percent takes buckets below p × 100, so raising p only ever adds users.
 * @example bucketOf('7', 'alice') < 1000 // alice is in a 10% rollout of strategy 7
 */
export function bucketOf(salt: string, key: string): number {
  return murmur3WithPrefix(murmur3Prefix(salt + ':'), key) % 10000;
}
