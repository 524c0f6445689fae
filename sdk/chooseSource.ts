import type { FinchSource } from './types.js';

/** What login knows of the user's stored manifest: how old it is and how long it counts as fresh. */
export interface StoredAge {
  ageMs: number;
  ttlMs: number;
}

/**
 * Where login takes the user's manifest from: a fresh stored copy without asking, else the control
 * plane's answer, else a stored copy younger than `maxStaleMs`, else nothing. `answered` is undefined
 * while the control plane has not been asked; 'ask' then says to ask it and decide again.
 */
export function chooseSource(stored: StoredAge | null, answered: undefined, maxStaleMs: number): FinchSource | 'ask';
export function chooseSource(stored: StoredAge | null, answered: boolean, maxStaleMs: number): FinchSource;
export function chooseSource(stored: StoredAge | null, answered: boolean | undefined, maxStaleMs: number): FinchSource | 'ask' {
  if (stored && stored.ageMs < stored.ttlMs) return 'cache';
  if (answered === undefined) return 'ask';
  if (answered) return 'network';
  return stored && stored.ageMs < maxStaleMs ? 'stale' : 'none';
}
