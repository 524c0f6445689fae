// The API's objects as the console reads them (docs/api.md), and the calls that fetch them.
import type { Product, Resource, Strategy } from '../core/apiTypes.js';
import { api } from './api.js';

export type { Product, Resource, Strategy };

/** A product with its builds (newest first) and strategies. */
export interface ProductState {
  product: Product;
  resources: Resource[];
  strategies: Strategy[];
}

const seg = encodeURIComponent;

export async function listProducts(): Promise<Product[]> {
  return (await api<{ products: Product[] }>('GET', '/products')).body.products;
}

export async function loadProductState(name: string): Promise<ProductState> {
  const [product, resources, strategies] = await Promise.all([
    api<Product>('GET', `/products/${seg(name)}`),
    api<{ resources: Resource[] }>('GET', `/products/${seg(name)}/resources`),
    api<{ strategies: Strategy[] }>('GET', `/products/${seg(name)}/strategies`),
  ]);
  return { product: product.body, resources: resources.body.resources, strategies: strategies.body.strategies };
}

/** The strategy in effect for everyone, if any (a product has at most one `full`). */
export function fullStrategy(state: ProductState): Strategy | undefined {
  return state.strategies.find((s) => s.status === 'full');
}

/** Gray strategies, highest priority first (the order resolution tries them in). */
export function grayStrategies(state: ProductState): Strategy[] {
  return state.strategies.filter((s) => s.status === 'gray').sort((a, b) => b.priority - a.priority || Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || b.id - a.id);
}

export function resourceById(state: ProductState, id: number): Resource | undefined {
  return state.resources.find((r) => r.id === id);
}

/** The version of build `id`, or `#id` when the build is not in the list. */
export function versionOf(state: ProductState, id: number): string {
  return resourceById(state, id)?.version ?? `#${id}`;
}

/** Is the strategy's time window open at `now`? (`startsAt` ≤ now < `endsAt`, either end open.) */
export function windowState(s: Pick<Strategy, 'startsAt' | 'endsAt'>, now: number = Date.now()): 'open' | 'not-yet' | 'ended' {
  if (s.startsAt !== null && Date.parse(s.startsAt) > now) return 'not-yet';
  if (s.endsAt !== null && Date.parse(s.endsAt) <= now) return 'ended';
  return 'open';
}
