import type { ManifestBuild } from '../core/manifest.js';
import type { Pins } from './state.js';

/** Every build that sets of pins name, each entry and its fallback; a manifest's `products` are pins too. */
export function buildsOf(...sets: (Pins | undefined)[]): ManifestBuild[] {
  const builds: ManifestBuild[] = [];
  for (const pins of sets) {
    for (const pin of Object.values(pins ?? {})) builds.push(pin, ...(pin.fallback ? [pin.fallback] : []));
  }
  return builds;
}
