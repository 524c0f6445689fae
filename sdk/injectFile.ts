import { DEV } from '../core/dev.js';
import { FinchError } from '../core/FinchError.js';

/**
 * Adds one `<link rel=stylesheet>` or `<script>` to the head; resolves on `load`, rejects with a FinchError
 * (`details.url`) on `error`. `async = false` keeps scripts inserted together executing in insertion order
 * (HTML spec) while they still download in parallel.
 */
export function injectFile(url: string, type: 'css' | 'module' | 'text/javascript', integrity?: string): [Element, Promise<void>] {
  const css = type === 'css';
  const e = document.createElement(css ? 'link' : 'script');
  const a = (n: string, v: string): void => e.setAttribute(n, v);
  if (css) {
    a('rel', 'stylesheet');
    a('href', url);
  } else {
    (e as HTMLScriptElement).async = false;
    a('type', type);
    a('src', url);
  }
  if (integrity) {
    a('integrity', integrity);
    a('crossorigin', 'anonymous');
  }
  const done = new Promise<void>((resolve, reject) => {
    e.onload = () => resolve();
    e.onerror = () => {
      // An integrity mismatch fires the same `error` as a 404. Best effort: a file that has a hash and
      // did arrive with 200 (Resource Timing) failed its check.
      const t = performance.getEntriesByName(new URL(url, document.baseURI).href)[0] as PerformanceResourceTiming | undefined;
      const code = integrity && t?.responseStatus === 200 ? 'integrity-error' : 'load-error';
      reject(new FinchError(code, DEV ? `Failed to load ${url}: ${code}. Check that the file is deployed and its hash matches.` : '', { url }));
    };
  });
  document.head.append(e);
  return [e, done];
}
