import type { Finch, FinchEvents } from './types.js';

export interface Emitter {
  emit<K extends keyof FinchEvents>(event: K, detail: FinchEvents[K]): void;
  on: Finch['on'];
}

/** The SDK's events. A throwing listener never breaks the SDK or the other listeners. */
export function createEmitter(): Emitter {
  const listeners: Record<string, Set<(detail: unknown) => void>> = {};
  return {
    emit: (event, detail) =>
      listeners[event]?.forEach((listener) => {
        try {
          listener(detail);
        } catch (error) {
          // Rethrown apart, so it still shows in the console.
          setTimeout(() => {
            throw error;
          });
        }
      }),
    on(event, listener) {
      const set = (listeners[event] ||= new Set());
      set.add(listener as (detail: unknown) => void);
      return () => void set.delete(listener as (detail: unknown) => void);
    },
  };
}
