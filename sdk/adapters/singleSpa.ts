// single-spa adapter: a Finch-chosen build as a single-spa application. single-spa is not imported:
// the host passes its own `registerApplication`, so this bundle stays small and matches any single-spa version.
import type { Finch } from '../types.js';
import { containerElement, finchAppOf } from './finchApp.js';
import type { FinchContainer } from './finchApp.js';

/** Props single-spa hands every lifecycle (name, singleSpa, mountParcel) plus the application's customProps. */
export type SingleSpaProps = Record<string, unknown>;

export interface SingleSpaLifecycles {
  bootstrap(props?: SingleSpaProps): Promise<void>;
  mount(props?: SingleSpaProps): Promise<void>;
  unmount(props?: SingleSpaProps): Promise<void>;
}

export interface LifecyclesOptions {
  /** Where the build mounts: a selector (looked up at each mount) or an element. */
  container: FinchContainer;
  /** Props for the build's mount and unmount; single-spa's own props win on the same key. @default {} */
  props?: SingleSpaProps;
}

/**
 * single-spa lifecycles for `product`: bootstrap loads the build Finch chose (integrity, fallback), then
 * each lifecycle calls the build's `window.FinchApps[product]` with the container and the props merged.
 * @example registerApplication({ name: 'dashboard', app: async () => lifecycles(finch, 'dashboard', { container: '#mf' }), activeWhen: '/' });
 */
export function lifecycles(finch: Finch, product: string, options: LifecyclesOptions): SingleSpaLifecycles {
  const propsOf = (props: SingleSpaProps = {}): SingleSpaProps => ({ ...options.props, ...props });
  // finch.load runs once per product per page anyway; mount awaits it too in case a host skips bootstrap.
  const loaded = () => finch.load(product).then(() => finchAppOf(product));
  return {
    async bootstrap(props) {
      await (await loaded()).bootstrap?.(propsOf(props));
    },
    async mount(props) {
      await (await loaded()).mount(containerElement(options.container, product), propsOf(props));
    },
    async unmount(props) {
      await finchAppOf(product).unmount(containerElement(options.container, product), propsOf(props));
    },
  };
}

/** The part of single-spa's `registerApplication` config object this adapter fills. */
export interface SingleSpaApplication {
  name: string;
  app: () => Promise<SingleSpaLifecycles>;
  activeWhen: unknown;
  customProps?: SingleSpaProps;
}

export interface RegisterWithFinchOptions {
  /** The single-spa application's name, which is also the Finch product. */
  name: string;
  /** single-spa's `activeWhen`: a path prefix, a function of the location, or a list of them. */
  activeWhen: unknown;
  container: FinchContainer;
  /** single-spa's customProps, handed to the build's lifecycle on every call. @default {} */
  customProps?: SingleSpaProps;
}

/**
 * Registers the product with single-spa once Finch has chosen a build for this user; a product Finch
 * gives no build is never registered. A page keeps its build for its whole life, so later choices
 * (from `refresh()`) reach new pages only. Returns a function that stops waiting.
 * @example registerWithFinch(finch, registerApplication, { name: 'dashboard', activeWhen: '/', container: '#mf-dashboard' }); start();
 */
export function registerWithFinch(
  finch: Finch,
  registerApplication: (config: SingleSpaApplication) => void,
  options: RegisterWithFinchOptions,
): () => void {
  const { name, activeWhen, container, customProps = {} } = options;
  let registered = false;
  let off: (() => void) | undefined;
  off = finch.register(name, (entry) => {
    if (entry === null || registered) return;
    registered = true;
    registerApplication({ name, app: async () => lifecycles(finch, name, { container }), activeWhen, customProps });
    off?.();
  });
  // The hook may run inside finch.register, before `off` exists.
  if (registered) off();
  return off;
}
