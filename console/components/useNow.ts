// The time now, as state that moves on its own: a countdown on screen (a stage's hold) stays right
// between two loads of the data it counts towards.
import { useEffect, useState } from 'preact/hooks';

/** Epoch ms, updated every `everyMs` while `running`; a stopped clock costs no timer. */
export function useNow(everyMs: number, running: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!running) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, running]);
  return now;
}
