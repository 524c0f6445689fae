/** The in-memory answer source of getConsoleVersion: one compiled snapshot, swapped whole after a commit. */
import type { Snapshot } from '../../core/index.js';

export interface LoadedSnapshot {
  readonly snapshot: Snapshot;
  readonly revision: number;
  /** Products with a live rollout: their manifest entries carry a report token for the guard. */
  readonly reportProducts: ReadonlySet<string>;
  /** When it was built (epoch ms), for metrics. */
  readonly builtAt: number;
  /** How long loading and compiling took, in ms, for metrics. */
  readonly buildMs: number;
}

export interface SnapshotStore {
  /** The snapshot answering right now; replaced, never mutated. */
  current(): LoadedSnapshot;
  /**
   * Reloads from the database and swaps. Resolves once a snapshot that includes every change committed
   * before the call is current, so a route may `await` it before answering (read-your-writes).
   */
  refresh(): Promise<LoadedSnapshot>;
  /** Stops listening for other processes' changes. */
  close(): Promise<void>;
}
