// Loads a page's data, and loads it again when the control plane's revision moves (another
// operator's change) or when the page asks. The last good data stays on screen while reloading.
import { useEffect, useState, useCallback } from 'preact/hooks';
import { revision } from '../live.js';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload: () => void;
}

/** `load` runs on mount, on `reload()`, when `deps` change and when the live revision changes. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);
  const rev = revision.value;
  useEffect(() => {
    let current = true;
    load().then(
      (d) => { if (current) { setData(d); setError(null); } },
      (e: unknown) => { if (current) setError(e); },
    );
    // A slower earlier load must not overwrite a newer one.
    return () => { current = false; };
  }, [rev, nonce, ...deps]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, reload };
}
