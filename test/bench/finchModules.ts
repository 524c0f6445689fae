/**
 * Finch's own parts, loaded when the bench runs rather than imported at the top, so that a part another
 * helper has not finished yet turns into "not measured: <reason>" instead of a crash of the whole bench.
 * The compiled `dist/node` (what `finch serve` runs) is preferred; the TypeScript sources are the
 * fallback when the bench runs without `npm run build`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type CoreModule = typeof import('../../core/index.js');

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function rootPath(rel: string): string {
  return ROOT + rel;
}

export interface Loaded<T> {
  module: T;
  /** Where it came from, for the table notes. */
  from: string;
}

export async function loadCore(): Promise<Loaded<CoreModule>> {
  const built = rootPath('dist/node/core/index.js');
  if (existsSync(built)) return { module: (await import(pathToFileURL(built).href)) as CoreModule, from: 'dist/node/core' };
  return { module: await import('../../core/index.js'), from: 'core/*.ts via tsx (dist/node missing)' };
}
