// The script-tag build (dist/finch.js): `window.Finch`, and a ready client when the tag says where to ask.
// <script src="/finch.js" data-endpoint="/api/v1" data-products="header,dashboard" data-service-worker="/finch-sw.js"></script>
import { createFinch } from './createFinch.js';
import type { Finch } from './types.js';
import { VERSION } from './version.js';

declare global {
  interface Window {
    Finch: { createFinch: typeof createFinch; version: string; client?: Finch };
  }
}

// currentScript is only set while this file first runs, so it is read here and nowhere later.
const d = (document.currentScript as HTMLScriptElement | null)?.dataset;
window.Finch = {
  createFinch,
  version: VERSION,
  client:
    d?.endpoint && d.products
      ? createFinch({
          endpoint: d.endpoint,
          products: d.products.split(',').map((p) => p.trim()).filter(Boolean),
          serviceWorker: d.serviceWorker,
          assetPrefix: d.assetPrefix,
        })
      : undefined,
};
