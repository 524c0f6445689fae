/**
 * The version of a build registered by a legacy CI call, whose body names none. Always new, so each
 * call registers its own build as the previous system did: `<branch>-<UTC time>-<random>`, behind the
 * version of the scripts' `data` blob when it has one (`1.4.0+main-20250601101010-3fa9c2`, semver build
 * metadata). A version alone would be shared by every commit until someone bumps it, and builds are
 * immutable: every later call would get the first build back.
 */
const MAX_VERSION = 64;
/** A version from the blob: semver-like, no `+` (the rest is build metadata), short enough to leave room. */
const DATA_VERSION = /^[0-9A-Za-z][0-9A-Za-z.-]{0,23}$/;

/** `version` of the blob when it is a JSON object with a usable one, else null: the blob stays opaque otherwise. */
function dataVersion(data: string | null): string | null {
  if (data === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const v = (parsed as Record<string, unknown>)['version'];
  return typeof v === 'string' && DATA_VERSION.test(v) ? v : null;
}

/** `20250601101010`: the UTC time to the second. */
function stamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/**
 * Only letters, digits, `.`, `+` and `-`, at most 64 characters: the version pattern of every build.
 * `unique` is a few random hex digits, so two calls in the same second still differ.
 * @example legacyVersion('{"version":"1.4.0"}', 'feature/login', new Date(), '3fa9c2') // '1.4.0+feature-login-20250601101010-3fa9c2'
 */
export function legacyVersion(data: string | null, branch: string | null, at: Date, unique: string): string {
  const base = dataVersion(data);
  const tail = `-${stamp(at)}-${unique}`;
  const room = MAX_VERSION - tail.length - (base === null ? 0 : base.length + 1);
  const slug = (branch ?? '').replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, room).replace(/-+$/, '');
  return `${base === null ? '' : `${base}+`}${slug === '' ? 'build' : slug}${tail}`;
}
