/** The options both bundler plugins take, checked once when the plugin is made. */
import { FinchError } from '../core/FinchError.js';
import { PRODUCT_NAME } from '../core/manifest.js';

/** How the page runs the build's entry script: an ES module, or a classic script (qiankun, `document.currentScript`). */
export type ScriptFormat = 'module' | 'classic';

export interface FinchBundlerOptions {
  /** The Finch product the build is published as; the lifecycle lands on `window.FinchApps[product]`. */
  product: string;
  /** The id of the element a self-mounting entry renders into, created inside the mount element. @default 'root' */
  rootId?: string;
  /** The entry script's format. Vite: `module`, or `classic` for one IIFE; webpack: as `output.module` says. */
  format?: ScriptFormat;
}

export interface CheckedOptions {
  product: string;
  rootId: string;
  format: ScriptFormat | undefined;
}

const KEYS = new Set(['product', 'rootId', 'format']);
// An HTML id is any non-empty text without whitespace.
const ELEMENT_ID = /^\S+$/;

/** The options with defaults, or an `invalid-input` FinchError saying which one to fix and how. */
export function checkOptions(options: unknown, plugin: string): CheckedOptions {
  const bad = (why: string): never => {
    throw new FinchError('invalid-input', `Failed to set up ${plugin}: ${why}`, { plugin });
  };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return bad(`it takes an options object, like { product: 'dashboard' }.`);
  }
  const o = options as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) bad(`unknown option ${unknown.map((k) => `"${k}"`).join(', ')}; it takes product, rootId and format.`);
  if (typeof o['product'] !== 'string' || !PRODUCT_NAME.test(o['product'])) {
    bad(`product ${JSON.stringify(o['product'])} is not a product name. Use the name the product has in Finch: lower-case letters, digits and "-", up to 64 characters, like 'dashboard'.`);
  }
  const rootId = o['rootId'] ?? 'root';
  if (typeof rootId !== 'string' || !ELEMENT_ID.test(rootId)) {
    bad(`rootId ${JSON.stringify(rootId)} is not an element id. Give the id your entry renders into, like 'root' (no spaces).`);
  }
  const format = o['format'];
  if (format !== undefined && format !== 'module' && format !== 'classic') {
    bad(`format ${JSON.stringify(format)} is neither 'module' nor 'classic'.`);
  }
  return { product: o['product'] as string, rootId: rootId as string, format: format as ScriptFormat | undefined };
}
