/**
 * Hears, for the whole page, a `<script>` or `<link>` that failed to load (the `error` event does not
 * bubble, so it is caught on `window` in the capture phase) and Vite's `vite:preloadError` (its
 * `payload` is the error, whose message names the URL). Calls `failed` with the URL or the message.
 */
export function watchLazyFailures(failed: (url: string) => void): void {
  addEventListener(
    'error',
    (event) => {
      const target = event.target as HTMLScriptElement & HTMLLinkElement;
      if (/^(SCRIPT|LINK)$/.test(target.tagName)) failed(target.src || target.href);
    },
    true,
  );
  addEventListener('vite:preloadError', (event) => failed(String((event as Event & { payload?: unknown }).payload)));
}
