// A page whose module loads on first visit: large libraries (uPlot on the charts page) then stay
// out of the first screen's download.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import type { PageProps } from '../routes.js';
import { ErrorBanner } from './ErrorBanner.js';

/**
 * @example { path: '/charts', page: lazyPage(() => import('./pages/charts.js').then((m) => m.ChartsPage)) }
 */
export function lazyPage(load: () => Promise<ComponentType<PageProps>>): ComponentType<PageProps> {
  let loaded: ComponentType<PageProps> | null = null;
  return function LazyPage(props: PageProps) {
    // An initializer: given the component itself, useState would call it as one.
    const [page, setPage] = useState<ComponentType<PageProps> | null>(() => loaded);
    const [error, setError] = useState<unknown>(null);
    useEffect(() => {
      if (page) return;
      load().then((p) => { loaded = p; setPage(() => p); }, setError);
    }, []);
    if (error) return html`<${ErrorBanner} error=${error} />`;
    if (!page) return html`<p class="muted" aria-busy="true">…</p>`;
    return html`<${page} ...${props} />`;
  };
}
