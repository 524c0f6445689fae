import { DEV } from '../../core/dev.js';
import { FinchError } from '../../core/FinchError.js';

/** What a build's script announces on `window.FinchApps[product]` when it runs; it does nothing else on load. */
export interface FinchApp {
  bootstrap?(props: Record<string, unknown>): unknown;
  mount(el: Element, props: Record<string, unknown>): unknown;
  unmount(el: Element, props: Record<string, unknown>): unknown;
}

/** Where a product mounts: a CSS selector looked up at mount time, or the element itself. */
export type FinchContainer = string | Element;

/** The lifecycle the loaded build of `product` announced; a FinchError when it announced none. */
export function finchAppOf(product: string): FinchApp {
  // Read through a cast, not a global declaration, so a host's own typing of FinchApps never clashes.
  const app = (window as { FinchApps?: Record<string, FinchApp | undefined> }).FinchApps?.[product];
  if (app === undefined || typeof app.mount !== 'function' || typeof app.unmount !== 'function') {
    const message = DEV
      ? `Failed to mount ${product}: its build loaded but set no window.FinchApps.${product} with mount and unmount. Check that the build's main script announces its lifecycle.`
      : 'load-error';
    throw new FinchError('load-error', message, { product });
  }
  return app;
}

/** The container element; a FinchError when a selector matches nothing, so a typo is not a blank page. */
export function containerElement(container: FinchContainer, product: string): Element {
  const el = typeof container === 'string' ? document.querySelector(container) : container;
  if (el === null) {
    const message = DEV ? `Failed to mount ${product}: no element matches ${container}. Check the container selector.` : 'invalid-input';
    throw new FinchError('invalid-input', message, { product, container });
  }
  return el;
}
