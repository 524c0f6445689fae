/**
 * `finch publish` options from flags and from a `finch.config.json` (in the build folder, or the file
 * --config names). Flags win; keys the file may not hold are an error that names them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FinchError } from '../../core/FinchError.js';
import { FINCH_BUILD_MANIFEST, productOfManifest } from './buildOutput/finchBuildManifest.js';
import { PUBLISH_CONFIG_FILE } from './buildOutput/uploadSelection.js';

export interface PublishOptions {
  endpoint?: string;
  token?: string;
  product?: string;
  version?: string;
  dir?: string;
  files?: string[];
  entry?: string;
  baseUrl?: string;
  appConfig?: Record<string, unknown>;
  branch?: string;
  commit?: string;
  withMaps?: boolean;
  gray?: unknown;
  full?: boolean;
  json?: boolean;
}

/** Flag name → key, and the type the key holds in a config file. */
export const PUBLISH_FLAGS = {
  endpoint: ['endpoint', 'string'],
  token: ['token', 'string'],
  product: ['product', 'string'],
  version: ['version', 'string'],
  dir: ['dir', 'string'],
  files: ['files', 'list'],
  entry: ['entry', 'string'],
  'base-url': ['baseUrl', 'string'],
  'app-config': ['appConfig', 'object'],
  branch: ['branch', 'string'],
  commit: ['commit', 'string'],
  'with-maps': ['withMaps', 'boolean'],
  gray: ['gray', 'object'],
  full: ['full', 'boolean'],
  json: ['json', 'boolean'],
} as const satisfies Record<string, readonly [keyof PublishOptions, 'string' | 'list' | 'object' | 'boolean']>;

/**
 * Keys a config file may hold: not the token (a secret has no place in a committed file), and not the
 * endpoint (the file sits in build output, and must never choose where the CI's token is sent).
 */
const FILE_KEYS = new Set<string>(Object.values(PUBLISH_FLAGS).map(([key]) => key).filter((k) => k !== 'token' && k !== 'endpoint'));

/** The parseArgs table for the flags. */
export function flagTable(): Record<string, { type: 'string' | 'boolean' }> {
  const table: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' } };
  for (const [flag, [, type]] of Object.entries(PUBLISH_FLAGS)) table[flag] = { type: type === 'boolean' ? 'boolean' : 'string' };
  return table;
}

function parseJsonFlag(flag: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FinchError('invalid-input', `--${flag} is not JSON: ${text}. Quote it for the shell, like --${flag} '{"percent": 5}'.`);
  }
}

/** Options given as flags (parsed by parseArgs), typed. */
export function optionsFromFlags(values: Record<string, string | boolean | undefined>): PublishOptions {
  const out: Record<string, unknown> = {};
  for (const [flag, [key, type]] of Object.entries(PUBLISH_FLAGS)) {
    const v = values[flag];
    if (v === undefined) continue;
    if (type === 'list') out[key] = String(v).split(',').map((f) => f.trim()).filter((f) => f !== '');
    else if (type === 'object') out[key] = parseJsonFlag(flag, String(v));
    else out[key] = v;
  }
  return out as PublishOptions;
}

function checkType(key: string, value: unknown, type: string, file: string): void {
  const ok = type === 'string' ? typeof value === 'string'
    : type === 'boolean' ? typeof value === 'boolean'
    : type === 'list' ? Array.isArray(value) && value.every((f) => typeof f === 'string')
    : key === 'gray' || (value !== null && typeof value === 'object' && !Array.isArray(value));
  if (!ok) throw new FinchError('invalid-input', `Failed to read ${file}: "${key}" must be ${type === 'list' ? 'a list of file names' : type === 'object' ? 'an object' : `a ${type}`}.`);
}

/** Reads a publish config file; `required` when --config named it (else a missing file is no config). */
export async function readPublishConfig(file: string, required: boolean): Promise<PublishOptions> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new FinchError('invalid-input', `Failed to read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}). Check --config.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FinchError('invalid-input', `Failed to read ${file}: it is not JSON (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new FinchError('invalid-input', `Failed to read ${file}: it must hold one JSON object.`);
  const unknown = Object.keys(json).filter((k) => !FILE_KEYS.has(k));
  if (unknown.length > 0) {
    const token = (unknown.includes('token') ? ' Keep the token out of files: pass it as FINCH_TOKEN.' : '')
      + (unknown.includes('endpoint') ? ' Name the control plane where the token lives: --endpoint or FINCH_ENDPOINT.' : '');
    throw new FinchError('invalid-input', `Failed to read ${file}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; it may hold ${[...FILE_KEYS].join(', ')}.${token}`);
  }
  const types = new Map<string, string>(Object.values(PUBLISH_FLAGS).map(([k, t]) => [k, t]));
  for (const [k, v] of Object.entries(json)) checkType(k, v, types.get(k)!, file);
  const options = json as PublishOptions;
  // A folder named in the file is relative to the file, wherever the command runs.
  if (options.dir !== undefined) options.dir = path.resolve(path.dirname(file), options.dir);
  return options;
}

/**
 * Flags over the config file: the file --config names, else `finch.config.json` in the --dir folder.
 * --config used to take the micro-frontend's configuration as JSON; that is --app-config now.
 */
export async function resolvePublishOptions(values: Record<string, string | boolean | undefined>): Promise<PublishOptions> {
  const flags = optionsFromFlags(values);
  const configFlag = typeof values['config'] === 'string' ? values['config'] : undefined;
  if (configFlag !== undefined && configFlag.trim().startsWith('{')) {
    throw new FinchError('invalid-input', `--config names a ${PUBLISH_CONFIG_FILE} file; pass the micro-frontend's configuration object with --app-config '${configFlag.trim().slice(0, 40)}…'.`);
  }
  const file = configFlag ?? (flags.dir !== undefined ? path.join(flags.dir, PUBLISH_CONFIG_FILE) : undefined);
  const fromFile = file === undefined ? {} : await readPublishConfig(file, configFlag !== undefined);
  return withBuildProduct({ ...fromFile, ...flags });
}

/**
 * The product the build was made for (its Finch build manifest, when the bundler plugin wrote one):
 * the product when none was given, an error when another was, since the build's lifecycle registers
 * under the product it was built for and would never be found under the other name.
 */
async function withBuildProduct(options: PublishOptions): Promise<PublishOptions> {
  if (options.dir === undefined) return options;
  const file = path.join(options.dir, ...FINCH_BUILD_MANIFEST.split('/'));
  const text = await readFile(file, 'utf8').catch(() => null);
  const built = text === null ? null : productOfManifest(text);
  if (built === null) return options;
  if (options.product === undefined) return { ...options, product: built };
  if (options.product !== built) {
    throw new FinchError('invalid-input', `The build in ${options.dir} was made for the product "${built}" (${FINCH_BUILD_MANIFEST}), not "${options.product}": its script registers as window.FinchApps["${built}"]. Publish it as ${built}, or rebuild with finch({ product: '${options.product}' }).`, { built, product: options.product });
  }
  return options;
}
