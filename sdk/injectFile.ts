import { sdkError } from './sdkError.js';

/** Puts a `<link>` or `<script>` into the page: the seam between the SDK and the document. */
export type InsertElement = (element: Element) => void;

/** The browser's way: at the end of the document's head. */
export const appendToHead: InsertElement = (element) => document.head.append(element);

/**
 * Makes one `<link rel=stylesheet>` or `<script>` and hands it to `insert`; resolves on `load`, rejects
 * with a FinchError (`details.url`) on `error`. `async = false` keeps scripts inserted together
 * executing in insertion order (HTML spec) while they still download in parallel.
 */
export function injectFile(url: string, type: 'css' | 'module' | 'text/javascript', integrity: string | undefined, insert: InsertElement): [Element, Promise<void>] {
  const css = type === 'css';
  const element = document.createElement(css ? 'link' : 'script');
  const set = (name: string, value: string): void => element.setAttribute(name, value);
  if (css) {
    set('rel', 'stylesheet');
    set('href', url);
  } else {
    (element as HTMLScriptElement).async = false;
    set('type', type);
    set('src', url);
  }
  if (integrity) {
    set('integrity', integrity);
    set('crossorigin', 'anonymous');
  }
  const loaded = new Promise<void>((resolve, reject) => {
    element.onload = () => resolve();
    element.onerror = () => {
      // An integrity mismatch fires the same `error` as a 404. Best effort: a file that has a hash and
      // did arrive with 200 (Resource Timing) failed its check.
      const timing = performance.getEntriesByName(new URL(url, document.baseURI).href)[0] as PerformanceResourceTiming | undefined;
      reject(sdkError(integrity && timing?.responseStatus === 200 ? 'integrity-error' : 'load-error', { url }));
    };
  });
  insert(element);
  return [element, loaded];
}
