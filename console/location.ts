// Hash routing: `#/products/dashboard?tab=x` → path `/products/dashboard`, query `tab=x`. The hash
// keeps every console URL under the one `index.html` the server serves, with no server-side routes.
import { signal } from '@preact/signals';

export interface Place {
  path: string;
  query: URLSearchParams;
}

function read(): Place {
  const raw = location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)) };
}

/** Where the console is now; changes on every `hashchange`. */
export const place = signal<Place>(read());
addEventListener('hashchange', () => { place.value = read(); });

/** Goes to a console path such as `/products/dashboard` (adds a history entry). */
export function navigate(path: string): void {
  location.hash = `#${path}`;
}

/** The `href` of a console path, for links. */
export function href(path: string): string {
  return `#${path}`;
}
