/** loadConfig: defaults, every variable parsed, and bad values refused at start-up with a clear message. */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { isFinchError } from '../../core/index.js';

describe('loadConfig', () => {
  test('defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 8080, host: '127.0.0.1', dataDir: './finch-data', databaseUrl: null, identity: { mode: 'param' },
      trustProxy: [], assetOrigins: [], serviceWorker: true, adminPassword: null, ttlSeconds: 300,
      publicOrigin: 'http://127.0.0.1:8080', releasesOrigin: null, logLevel: 'info', rolloutTickMs: 1000, checkOrigins: [], reportTokens: 'required',
    });
  });

  test('every variable', () => {
    const c = loadConfig({
      PORT: '9000', HOST: '0.0.0.0', FINCH_DATA_DIR: '/data', DATABASE_URL: 'postgres://u@h/db',
      FINCH_IDENTITY: 'header:X-User', FINCH_TRUST_PROXY: '10.0.0.0/8, 2001:db8::/32,192.168.1.1',
      FINCH_ASSET_ORIGINS: 'https://cdn.example.com/, http://127.0.0.1:9999', FINCH_SW: 'off',
      FINCH_ADMIN_PASSWORD: 'pw', FINCH_TTL_SECONDS: '60', FINCH_PUBLIC_ORIGIN: 'https://finch.example.com',
      FINCH_RELEASES_ORIGIN: 'https://builds.example.com/', FINCH_LOG_LEVEL: 'Warn', FINCH_REPORT_TOKENS: 'optional',
      FINCH_CHECK_ORIGINS: 'https://ci.example.com/, http://127.0.0.1:9000',
    });
    expect(c).toMatchObject({
      port: 9000, host: '0.0.0.0', dataDir: '/data', databaseUrl: 'postgres://u@h/db', identity: { mode: 'header', header: 'x-user' },
      trustProxy: ['10.0.0.0/8', '2001:db8::/32', '192.168.1.1'], assetOrigins: ['https://cdn.example.com', 'http://127.0.0.1:9999'],
      serviceWorker: false, adminPassword: 'pw', ttlSeconds: 60, publicOrigin: 'https://finch.example.com',
      releasesOrigin: 'https://builds.example.com', logLevel: 'warn', reportTokens: 'optional',
      checkOrigins: ['https://ci.example.com', 'http://127.0.0.1:9000'],
    });
    expect(loadConfig({
      FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: 'x'.repeat(32), FINCH_JWT_ISSUER: 'https://id.example.com',
      FINCH_JWT_AUDIENCE: 'finch', FINCH_JWT_MAX_AGE: '900', FINCH_JWT_REQUIRE_EXP: 'off',
    }).identity).toMatchObject({ issuer: 'https://id.example.com', audience: 'finch', maxAgeSeconds: 900, requireExp: false });
    expect(loadConfig({ FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: 'x'.repeat(32) }).identity).toEqual({ mode: 'jwt', secret: 'x'.repeat(32), jwksUrl: null, cookie: 'finch_jwt', issuer: null, audience: null, maxAgeSeconds: null, requireExp: true });
    expect(loadConfig({ FINCH_IDENTITY: 'jwt', FINCH_JWKS_URL: 'https://id.example.com/jwks.json' }).identity).toMatchObject({ mode: 'jwt', jwksUrl: 'https://id.example.com/jwks.json' });
  });

  test.each([
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ FINCH_ROLLOUT_TICK_MS: 'fast' }, 'FINCH_ROLLOUT_TICK_MS'],
    [{ FINCH_REPORT_TOKENS: 'off' }, 'FINCH_REPORT_TOKENS'],
    [{ FINCH_CHECK_ORIGINS: 'ftp://ci.example.com' }, 'FINCH_CHECK_ORIGINS'],
    [{ FINCH_TTL_SECONDS: '1.5' }, 'FINCH_TTL_SECONDS'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ FINCH_IDENTITY: 'cookie' }, 'FINCH_IDENTITY'],
    [{ FINCH_IDENTITY: 'header:' }, 'FINCH_IDENTITY'],
    [{ FINCH_IDENTITY: 'header:a b' }, 'FINCH_IDENTITY'],
    [{ FINCH_IDENTITY: 'jwt' }, 'FINCH_JWT_SECRET'],
    [{ FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: 'x'.repeat(32), FINCH_JWT_MAX_AGE: '0' }, 'FINCH_JWT_MAX_AGE'],
    [{ FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: 'x'.repeat(32), FINCH_JWT_REQUIRE_EXP: 'maybe' }, 'FINCH_JWT_REQUIRE_EXP'],
    [{ FINCH_RELEASES_ORIGIN: 'builds.example.com' }, 'FINCH_RELEASES_ORIGIN'],
    [{ FINCH_RELEASES_ORIGIN: 'http://127.0.0.1:8080' }, 'FINCH_RELEASES_ORIGIN'],
    [{ FINCH_RELEASES_ORIGIN: 'http://127.0.0.1:9090' }, 'FINCH_RELEASES_ORIGIN'],
    [{ FINCH_RELEASES_ORIGIN: 'http://localhost:9090', FINCH_ASSET_ORIGINS: 'http://localhost:9090' }, 'FINCH_RELEASES_ORIGIN'],
    [{ FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: 'short' }, 'FINCH_JWT_SECRET'],
    [{ FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: 'x'.repeat(40), FINCH_JWKS_URL: 'https://a/b' }, 'only one'],
    [{ FINCH_IDENTITY: 'jwt', FINCH_JWKS_URL: 'ftp://a/b' }, 'FINCH_JWKS_URL'],
    [{ FINCH_TRUST_PROXY: '10.0.0.0/33' }, 'FINCH_TRUST_PROXY'],
    [{ FINCH_TRUST_PROXY: 'everyone' }, 'FINCH_TRUST_PROXY'],
    [{ FINCH_TRUST_PROXY: '300.1.1.1' }, 'FINCH_TRUST_PROXY'],
    [{ FINCH_ASSET_ORIGINS: 'cdn.example.com' }, 'FINCH_ASSET_ORIGINS'],
    [{ FINCH_ASSET_ORIGINS: 'https://cdn.example.com/path/' }, 'FINCH_ASSET_ORIGINS'],
    [{ FINCH_ASSET_ORIGINS: 'javascript:alert(1)' }, 'FINCH_ASSET_ORIGINS'],
    [{ FINCH_SW: 'maybe' }, 'FINCH_SW'],
    [{ FINCH_PUBLIC_ORIGIN: 'not a url' }, 'FINCH_PUBLIC_ORIGIN'],
    [{ FINCH_LOG_LEVEL: 'verbose' }, 'FINCH_LOG_LEVEL'],
  ])('refuses %o naming %s', (env, name) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      caught = err;
    }
    expect(isFinchError(caught)).toBe(true);
    expect((caught as Error).message).toContain(name);
  });

  test('reports every problem at once', () => {
    expect(() => loadConfig({ PORT: 'x', FINCH_SW: 'y' })).toThrow(/PORT.*FINCH_SW/);
  });
});
