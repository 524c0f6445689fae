/**
 * The whole-manifest check of schema 1 (docs/manifest.md), shared by the SDK and the worker (so: small).
 * It builds a fresh object from the fields it knows and drops the rest, so nothing unchecked reaches a
 * caller and a manifest is either valid as a whole or refused.
 */
import { FinchError } from './FinchError.js';
import { DEV } from './dev.js';
import { PRODUCT_NAME } from './manifest.js';
import type { Manifest, ManifestBuild, ManifestEntry, ScriptKind } from './manifest.js';
import { checkBaseUrl, checkDependencyUrl, checkFilePath } from './url/urlSafety.js';
import type { UrlPolicy } from './url/urlSafety.js';

type Obj = Record<string, unknown>;

function bad(path: string, want: string): never {
  throw new FinchError('invalid-manifest', DEV ? `Invalid manifest: ${path} must be ${want}. Check the control plane's answer.` : 'bad ' + path, { path });
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(path, DEV ? 'an object' : '');
  return v as Obj;
}

function int(v: unknown, path: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0) bad(path, DEV ? 'a non-negative integer' : '');
  return v as number;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') bad(path, DEV ? 'a non-empty string' : '');
  return v;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) bad(path, DEV ? 'an array' : '');
  return v;
}

/** URL checks throw `unsafe-url`; keep that code but say where in the manifest it was. */
function at<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FinchError) throw new FinchError(e.code, e.message, { ...e.details, path });
    throw e;
  }
}

function build(v: unknown, p: string, policy: UrlPolicy): ManifestBuild {
  const o = obj(v, p);
  const integrity = Object.entries(obj(o.integrity, p + '.integrity')).map(([k, h]): [string, string] => {
    at(`${p}.integrity`, () => checkFilePath(k));
    // SRI: algorithm, dash, base64 of the digest.
    if (typeof h !== 'string' || !/^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/.test(h)) bad(`${p}.integrity`, DEV ? 'sha256-/sha384-/sha512- base64 hashes' : '');
    return [k, h];
  });
  return {
    resourceId: int(o.resourceId, p + '.resourceId'),
    version: str(o.version, p + '.version'),
    baseUrl: at(p + '.baseUrl', () => checkBaseUrl(o.baseUrl, policy)),
    files: arr(o.files, p + '.files').map((f, i) => at(`${p}.files[${i}]`, () => checkFilePath(f))),
    // fromEntries defines own properties, so a key like "__proto__" stays data.
    integrity: Object.fromEntries(integrity),
  };
}

function entry(v: unknown, p: string, policy: UrlPolicy): ManifestEntry {
  const o = obj(v, p);
  if (o.status !== 'gray' && o.status !== 'full') bad(p + '.status', DEV ? '"gray" or "full"' : '');
  const e: ManifestEntry = {
    ...build(o, p, policy),
    strategyId: int(o.strategyId, p + '.strategyId'),
    status: o.status,
    // config is the product's own JSON; a structured copy keeps the caller from sharing our object.
    config: JSON.parse(JSON.stringify(obj(o.config, p + '.config'))) as Obj,
    dependencies: arr(o.dependencies, p + '.dependencies').map((d, i) => at(`${p}.dependencies[${i}]`, () => checkDependencyUrl(d, policy))),
  };
  if (o.fallback !== undefined) e.fallback = build(o.fallback, p + '.fallback', policy);
  if (typeof o.reportToken == 'string') e.reportToken = o.reportToken;
  return e;
}

/**
 * Checks a parsed getConsoleVersion answer against schema 1 and returns a fresh copy of it; unknown
 * fields are dropped. Throws `invalid-manifest` (with `details.path`), `unsupported-schema` or `unsafe-url`.
 */
export function validateManifest(input: unknown, policy: UrlPolicy): Manifest {
  const o = obj(input, '$');
  if (o.schema !== 1) {
    if (o.schema === undefined) bad('$.schema', DEV ? '1' : '');
    throw new FinchError('unsupported-schema', DEV ? `Unsupported manifest schema ${JSON.stringify(o.schema)}: this client reads schema 1. Update the SDK or the control plane.` : 'schema', { schema: o.schema });
  }
  if (o.userId !== null && typeof o.userId !== 'string') bad('$.userId', DEV ? 'a string or null' : '');
  const sw = obj(o.serviceWorker, '$.serviceWorker');
  if (typeof sw.enabled !== 'boolean') bad('$.serviceWorker.enabled', DEV ? 'a boolean' : '');
  const products = Object.entries(obj(o.products, '$.products')).map(([name, v]): [string, ManifestEntry] => {
    if (!PRODUCT_NAME.test(name)) bad('$.products', DEV ? 'keyed by product names' : '');
    return [name, entry(v, '$.products.' + name, policy)];
  });
  return {
    schema: 1,
    userId: o.userId,
    revision: int(o.revision, '$.revision'),
    ttlSeconds: int(o.ttlSeconds, '$.ttlSeconds'),
    serviceWorker: { enabled: sw.enabled },
    products: Object.fromEntries(products),
  };
}

/** Copies a build's optional `scripts` onto the checked build: keys among its files, known kinds only. */
function scripts(raw: Obj, to: ManifestBuild, p: string): void {
  if (raw.scripts === undefined) return;
  const kinds = Object.entries(obj(raw.scripts, p)).map(([file, kind]): [string, ScriptKind] => {
    // Only the build's own files: the map is never longer than `files`, and names nothing unchecked.
    if (!to.files.includes(file) || (kind !== 'module' && kind !== 'classic')) bad(p, DEV ? 'file → "module" or "classic", for files of the build' : '');
    return [file, kind];
  });
  to.scripts = Object.fromEntries(kinds);
}

/**
 * `validateManifest` plus each build's `scripts`, which only a page needs (how to inject an entry
 * file); the worker serves bytes and keeps using `validateManifest`, so its bundle does not carry this.
 */
export function validatePageManifest(input: unknown, policy: UrlPolicy): Manifest {
  const manifest = validateManifest(input, policy);
  // validateManifest proved every product and fallback below to be an object.
  const products = (input as Obj).products as Record<string, Obj>;
  for (const name in manifest.products) {
    const e = manifest.products[name] as ManifestEntry;
    const raw = products[name] as Obj;
    scripts(raw, e, `$.products.${name}.scripts`);
    if (e.fallback) scripts(raw.fallback as Obj, e.fallback, `$.products.${name}.fallback.scripts`);
  }
  return manifest;
}
