/**
 * Every environment variable the server reads, parsed and validated once at start-up. `loadConfig` is
 * pure (it only reads the object it is given) so tests pass plain objects instead of touching
 * `process.env`.
 */
import ipaddr from 'ipaddr.js';
import { FinchError } from '../core/index.js';

export type IdentityConfig =
  | { mode: 'param' }
  /** A trusted gateway proves the user in this (lower-case) header. */
  | { mode: 'header'; header: string }
  /** A Bearer token or the `cookie` cookie, verified with `secret` (HS256) or the keys at `jwksUrl`. */
  | {
    mode: 'jwt';
    secret: string | null;
    jwksUrl: string | null;
    cookie: string;
    /** The `iss` a token must carry; null: any. */
    issuer: string | null;
    /** The `aud` a token must name; null: any. */
    audience: string | null;
    /** The oldest `iat` accepted, in seconds; null: no limit (then `exp` alone bounds a token). */
    maxAgeSeconds: number | null;
    /** Refuse tokens without `exp` (they would be valid forever). @default true */
    requireExp: boolean;
  };

export interface Config {
  /** @default 8080 */
  port: number;
  /** @default '127.0.0.1' */
  host: string;
  /** PGlite data and stored releases. @default './finch-data' */
  dataDir: string;
  /** PostgreSQL instead of PGlite when set. */
  databaseUrl: string | null;
  identity: IdentityConfig;
  /** CIDRs of trusted reverse proxies; empty means X-Forwarded-For is ignored (spoofed IP, docs/failures.md). */
  trustProxy: string[];
  /** Origins besides our own that resources may be served from, like `https://cdn.example.com`. */
  assetOrigins: string[];
  /** Mirrors into every manifest's `serviceWorker.enabled`. @default true */
  serviceWorker: boolean;
  /** Password of the `admin` created on an empty database; generated and printed once when null. */
  adminPassword: string | null;
  /** @default 300 */
  ttlSeconds: number;
  /** Our own origin, for URL checks (`http://host:port` unless FINCH_PUBLIC_ORIGIN says otherwise). */
  publicOrigin: string;
  /**
   * A second origin (another host name for this server) that alone serves `/releases/`, so no file of a
   * build ever shares an origin with the console's session. Null: builds are served on the public origin.
   */
  releasesOrigin: string | null;
  /** What `finch serve` logs (pino levels). @default 'info' */
  logLevel: LogLevel;
  /** Between two ticks of the rollout engine, in ms; 0 runs no engine in this process. @default 1000 */
  rolloutTickMs: number;
  /** Origins a rollout's stage check may call, like `https://ci.example.com`; empty: any http(s) URL. */
  checkOrigins: string[];
  /**
   * What rollout guards count: `required`, only reports with a valid report token, as distinct users;
   * `optional`, unsigned reports too, each one as a user (docs/rollouts.md). @default 'required'
   */
  reportTokens: 'required' | 'optional';
}

/** Pino's levels, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The variables `loadConfig` knows, for `--help` texts and the README. */
export const CONFIG_VARIABLES: ReadonlyArray<readonly [name: string, help: string]> = [
  ['PORT', 'port to listen on (default 8080)'],
  ['HOST', 'address to listen on (default 127.0.0.1)'],
  ['FINCH_DATA_DIR', 'embedded database and stored releases (default ./finch-data)'],
  ['DATABASE_URL', 'postgres://… — use PostgreSQL instead of the embedded database'],
  ['FINCH_IDENTITY', 'param (default) | header:<name> | jwt — who the user of getConsoleVersion is'],
  ['FINCH_JWT_SECRET', 'HS256 secret for FINCH_IDENTITY=jwt'],
  ['FINCH_JWKS_URL', 'JWKS URL for FINCH_IDENTITY=jwt (RS256/ES256…)'],
  ['FINCH_JWT_COOKIE', 'cookie read when no Bearer token is sent (default finch_jwt)'],
  ['FINCH_JWT_ISSUER', 'the iss claim identity tokens must carry (default: not checked)'],
  ['FINCH_JWT_AUDIENCE', 'the aud claim identity tokens must name (default: not checked)'],
  ['FINCH_JWT_MAX_AGE', 'oldest accepted token, in seconds since its iat (default: no limit)'],
  ['FINCH_JWT_REQUIRE_EXP', 'on (default) | off — off accepts tokens without an exp claim'],
  ['FINCH_TRUST_PROXY', 'comma-separated CIDRs of trusted proxies (default none: X-Forwarded-For ignored)'],
  ['FINCH_ASSET_ORIGINS', 'comma-separated origins resources may be served from besides this server'],
  ['FINCH_PUBLIC_ORIGIN', 'this server\'s public origin (default http://HOST:PORT)'],
  ['FINCH_RELEASES_ORIGIN', 'another origin of this server that alone serves the builds (recommended in production)'],
  ['FINCH_SW', 'on (default) | off — off serves a worker that removes itself'],
  ['FINCH_ADMIN_PASSWORD', 'password of the admin user created on an empty database'],
  ['FINCH_TTL_SECONDS', 'manifest ttlSeconds (default 300)'],
  ['FINCH_LOG_LEVEL', `what finch serve logs: ${LOG_LEVELS.join(' | ')} (default info)`],
  ['FINCH_REPORT_TOKENS', 'required (default): rollout guards count only reports signed with a report token, as distinct users; optional: unsigned reports count too, one user each'],
  ['FINCH_CHECK_ORIGINS', 'comma-separated origins that rollout stage checks may call, like https://ci.example.com (default: any http(s) URL)'],
  ['FINCH_ROLLOUT_TICK_MS', 'how often this process advances staged rollouts, in ms (default 1000; 0: never, another process does)'],
];

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and checks the configuration; throws one FinchError `invalid-input` naming every bad variable.
 * @example loadConfig({ PORT: '0', FINCH_DATA_DIR: dir })
 */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const port = intVar(get('PORT'), 8080, 0, 65535, 'PORT', problems);
  const host = get('HOST') ?? '127.0.0.1';
  const ttlSeconds = intVar(get('FINCH_TTL_SECONDS'), 300, 0, 31_536_000, 'FINCH_TTL_SECONDS', problems);

  const databaseUrl = get('DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const identity = parseIdentity(get, problems);

  const trustProxy = list(get('FINCH_TRUST_PROXY'));
  for (const cidr of trustProxy) {
    if (!isCidrOrIp(cidr)) problems.push(`FINCH_TRUST_PROXY: "${cidr}" is not an IP address or CIDR (like 10.0.0.0/8)`);
  }

  const assetOrigins: string[] = [];
  for (const o of list(get('FINCH_ASSET_ORIGINS'))) {
    const origin = parseOrigin(o);
    if (origin === null) problems.push(`FINCH_ASSET_ORIGINS: "${o}" is not an http(s) origin like https://cdn.example.com`);
    else assetOrigins.push(origin);
  }

  const sw = (get('FINCH_SW') ?? 'on').toLowerCase();
  if (sw !== 'on' && sw !== 'off') problems.push(`FINCH_SW must be "on" or "off", got "${sw}"`);

  const displayHost = host.includes(':') ? `[${host}]` : host;
  let publicOrigin = `http://${displayHost}:${port}`;
  const po = get('FINCH_PUBLIC_ORIGIN');
  if (po !== undefined) {
    const origin = parseOrigin(po);
    if (origin === null) problems.push(`FINCH_PUBLIC_ORIGIN: "${po}" is not an http(s) origin`);
    else publicOrigin = origin;
  }

  let releasesOrigin: string | null = null;
  const ro = get('FINCH_RELEASES_ORIGIN');
  if (ro !== undefined) {
    releasesOrigin = parseOrigin(ro);
    if (releasesOrigin === null) problems.push(`FINCH_RELEASES_ORIGIN: "${ro}" is not an http(s) origin like https://builds.example.com`);
    // Cookies ignore ports (and schemes, unless Secure): only another host name keeps the session away.
    else if (new URL(releasesOrigin).hostname === new URL(publicOrigin).hostname) problems.push('FINCH_RELEASES_ORIGIN must be another host name than the public origin: cookies ignore ports, so only another name keeps builds away from the console\'s session');
    else if (assetOrigins.includes(releasesOrigin)) problems.push('FINCH_RELEASES_ORIGIN must not be in FINCH_ASSET_ORIGINS: its release folders are the products\' own, checked like this server\'s');
  }

  const checkOrigins: string[] = [];
  for (const o of list(get('FINCH_CHECK_ORIGINS'))) {
    const origin = parseOrigin(o);
    if (origin === null) problems.push(`FINCH_CHECK_ORIGINS: "${o}" is not an http(s) origin like https://ci.example.com`);
    else checkOrigins.push(origin);
  }

  const rolloutTickMs = intVar(get('FINCH_ROLLOUT_TICK_MS'), 1000, 0, 3_600_000, 'FINCH_ROLLOUT_TICK_MS', problems);

  const reportTokens = get('FINCH_REPORT_TOKENS') ?? 'required';
  if (reportTokens !== 'required' && reportTokens !== 'optional') problems.push(`FINCH_REPORT_TOKENS must be required or optional, got "${reportTokens}"`);

  const logLevel = (get('FINCH_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!isLogLevel(logLevel)) problems.push(`FINCH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  if (problems.length > 0) {
    throw new FinchError('invalid-input', `Failed to start: bad configuration. ${problems.join('; ')}. Fix the environment and start again.`, { problems });
  }
  return {
    port,
    host,
    dataDir: get('FINCH_DATA_DIR') ?? './finch-data',
    databaseUrl,
    identity,
    trustProxy,
    assetOrigins,
    serviceWorker: sw === 'on',
    adminPassword: env['FINCH_ADMIN_PASSWORD'] === undefined || env['FINCH_ADMIN_PASSWORD'] === '' ? null : env['FINCH_ADMIN_PASSWORD'],
    ttlSeconds,
    publicOrigin,
    releasesOrigin,
    logLevel: isLogLevel(logLevel) ? logLevel : 'info',
    rolloutTickMs,
    checkOrigins,
    reportTokens: reportTokens === 'optional' ? 'optional' : 'required',
  };
}

function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

function parseIdentity(get: (n: string) => string | undefined, problems: string[]): IdentityConfig {
  const raw = get('FINCH_IDENTITY') ?? 'param';
  if (raw === 'param') return { mode: 'param' };
  if (raw.startsWith('header:')) {
    const header = raw.slice('header:'.length).trim().toLowerCase();
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(header)) {
      problems.push(`FINCH_IDENTITY=header:<name> needs a valid header name, got "${header}"`);
    }
    return { mode: 'header', header };
  }
  if (raw === 'jwt') {
    const secret = get('FINCH_JWT_SECRET') ?? null;
    const jwksUrl = get('FINCH_JWKS_URL') ?? null;
    if (secret === null && jwksUrl === null) problems.push('FINCH_IDENTITY=jwt needs FINCH_JWT_SECRET or FINCH_JWKS_URL');
    if (secret !== null && jwksUrl !== null) problems.push('set only one of FINCH_JWT_SECRET and FINCH_JWKS_URL');
    if (secret !== null && secret.length < 32) problems.push('FINCH_JWT_SECRET must be at least 32 characters (HS256 keys shorter than the hash are weak)');
    if (jwksUrl !== null && parseOrigin(jwksUrl, true) === null) problems.push(`FINCH_JWKS_URL: "${jwksUrl}" is not an http(s) URL`);
    const maxAge = get('FINCH_JWT_MAX_AGE');
    const requireExp = (get('FINCH_JWT_REQUIRE_EXP') ?? 'on').toLowerCase();
    if (requireExp !== 'on' && requireExp !== 'off') problems.push(`FINCH_JWT_REQUIRE_EXP must be "on" or "off", got "${requireExp}"`);
    return {
      mode: 'jwt',
      secret,
      jwksUrl,
      cookie: get('FINCH_JWT_COOKIE') ?? 'finch_jwt',
      issuer: get('FINCH_JWT_ISSUER') ?? null,
      audience: get('FINCH_JWT_AUDIENCE') ?? null,
      maxAgeSeconds: maxAge === undefined ? null : intVar(maxAge, 0, 1, 31_536_000, 'FINCH_JWT_MAX_AGE', problems),
      requireExp: requireExp !== 'off',
    };
  }
  problems.push(`FINCH_IDENTITY must be "param", "header:<name>" or "jwt", got "${raw}"`);
  return { mode: 'param' };
}

function intVar(raw: string | undefined, def: number, min: number, max: number, name: string, problems: string[]): number {
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return def;
  }
  return Number(raw);
}

function list(raw: string | undefined): string[] {
  return raw === undefined ? [] : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** True for `10.0.0.0/8`, `2001:db8::/32` or a single address. */
export function isCidrOrIp(text: string): boolean {
  if (text.includes('/')) {
    try {
      ipaddr.parseCIDR(text);
      return true;
    } catch {
      return false;
    }
  }
  return ipaddr.isValid(text);
}

/** `https://cdn.example.com/` → `https://cdn.example.com`; null for anything but an http(s) origin. */
function parseOrigin(text: string, allowPath = false): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (!allowPath && ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '')) return null;
  return url.origin;
}
