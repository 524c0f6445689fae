import { describe, expect, test } from 'vitest';
import { validateManifest } from '../../core/index.js';
import { validatePageManifest } from '../../core/validateManifest.js';
import type { Manifest, UrlPolicy } from '../../core/index.js';

const policy: UrlPolicy = { origin: 'http://127.0.0.1:8080', allowedOrigins: ['https://cdn.example.com'] };
const HASH = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';

function good(): Manifest {
  return {
    schema: 1,
    userId: 'alice',
    revision: 128,
    ttlSeconds: 300,
    serviceWorker: { enabled: true },
    products: {
      dashboard: {
        resourceId: 42,
        version: '2.0.0',
        strategyId: 7,
        status: 'gray',
        baseUrl: '/releases/dashboard/42/',
        files: ['main.js', 'main.css'],
        integrity: { 'main.js': HASH, 'main.css': 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', 'chunk-1.js': 'sha512-AAAA' },
        config: { theme: { dark: true }, list: [1, 2] },
        dependencies: ['/shared/react.js', 'https://cdn.example.com/lib@1/lib.js'],
        fallback: { resourceId: 40, version: '1.0.0', baseUrl: '/releases/dashboard/40/', files: ['main.js'], integrity: {} },
      },
      header: {
        resourceId: 3,
        version: '1.0.0',
        strategyId: 1,
        status: 'full',
        baseUrl: 'https://cdn.example.com/header/3/',
        files: [],
        integrity: {},
        config: {},
        dependencies: [],
      },
    },
  };
}

type Edit = (m: any) => void;
const dash = (f: (d: any) => void): Edit => (m) => f(m.products.dashboard);

describe('validateManifest', () => {
  test('accepts a complete schema 1 manifest and returns an equal, fresh object', () => {
    const input = good();
    const out = validateManifest(input, policy);
    expect(out).toEqual(good());
    expect(out).not.toBe(input);
    expect(out.products).not.toBe(input.products);
    expect(out.products.dashboard).not.toBe(input.products.dashboard);
    expect(out.products.dashboard?.files).not.toBe(input.products.dashboard?.files);
    expect(out.products.dashboard?.config).not.toBe(input.products.dashboard?.config);
    expect(out.products.dashboard?.config.theme).not.toBe(input.products.dashboard?.config.theme);
    expect(out.products.dashboard?.fallback).not.toBe(input.products.dashboard?.fallback);
    expect(out.serviceWorker).not.toBe(input.serviceWorker);
  });

  test('accepts a JSON round trip, userId null and no products', () => {
    const m = { ...good(), userId: null, products: {} };
    expect(validateManifest(JSON.parse(JSON.stringify(m)), policy)).toEqual(m);
  });

  test('drops unknown fields at every level', () => {
    const m: any = good();
    m.extra = 1;
    m.serviceWorker.scope = '/';
    m.products.dashboard.note = 'x';
    m.products.dashboard.fallback.more = true;
    expect(validateManifest(m, policy)).toEqual(good());
  });

  test('keeps an entry\'s reportToken when it is a string, and nothing else of that name', () => {
    const m: any = good();
    m.products.dashboard.reportToken = 'day.user.signature';
    expect(validateManifest(m, policy).products.dashboard?.reportToken).toBe('day.user.signature');
    m.products.dashboard.reportToken = { toString: 'x' };
    expect(validateManifest(m, policy)).toEqual(good());
  });

  test('keeps "__proto__" integrity keys as data and never touches prototypes', () => {
    const m = JSON.parse(JSON.stringify(good()).replace('"chunk-1.js"', '"__proto__"'));
    const out = validateManifest(m, policy);
    expect(Object.getPrototypeOf(out.products.dashboard?.integrity)).toBe(Object.prototype);
    expect(Object.keys(out.products.dashboard?.integrity ?? {})).toContain('__proto__');
    expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString);
  });

  test.each<[string, Edit, string]>([
    ['not an object', (m) => Object.assign(m, { products: null }), '$.products'],
    ['missing schema', (m) => delete m.schema, '$.schema'],
    ['userId a number', (m) => (m.userId = 5), '$.userId'],
    ['userId missing', (m) => delete m.userId, '$.userId'],
    ['revision a string', (m) => (m.revision = '128'), '$.revision'],
    ['revision negative', (m) => (m.revision = -1), '$.revision'],
    ['revision fractional', (m) => (m.revision = 1.5), '$.revision'],
    ['ttlSeconds missing', (m) => delete m.ttlSeconds, '$.ttlSeconds'],
    ['ttlSeconds NaN', (m) => (m.ttlSeconds = Number.NaN), '$.ttlSeconds'],
    ['serviceWorker missing', (m) => delete m.serviceWorker, '$.serviceWorker'],
    ['serviceWorker.enabled a string', (m) => (m.serviceWorker.enabled = 'false'), '$.serviceWorker.enabled'],
    ['products an array', (m) => (m.products = []), '$.products'],
    ['bad product name', (m) => (m.products['Bad Name'] = m.products.header), '$.products'],
    ['product name with a slash', (m) => (m.products['../x'] = m.products.header), '$.products'],
    ['product entry null', (m) => (m.products.header = null), '$.products.header'],
    ['resourceId a string', dash((d) => (d.resourceId = '42')), '$.products.dashboard.resourceId'],
    ['resourceId missing', dash((d) => delete d.resourceId), '$.products.dashboard.resourceId'],
    ['strategyId missing', dash((d) => delete d.strategyId), '$.products.dashboard.strategyId'],
    ['version empty', dash((d) => (d.version = '')), '$.products.dashboard.version'],
    ['version a number', dash((d) => (d.version = 2)), '$.products.dashboard.version'],
    ['status off', dash((d) => (d.status = 'off')), '$.products.dashboard.status'],
    ['status missing', dash((d) => delete d.status), '$.products.dashboard.status'],
    ['files a string', dash((d) => (d.files = 'main.js')), '$.products.dashboard.files'],
    ['files missing', dash((d) => delete d.files), '$.products.dashboard.files'],
    ['integrity an array', dash((d) => (d.integrity = [])), '$.products.dashboard.integrity'],
    ['integrity md5', dash((d) => (d.integrity['main.js'] = 'md5-abc')), '$.products.dashboard.integrity'],
    ['integrity not base64', dash((d) => (d.integrity['main.js'] = 'sha384-!!!')), '$.products.dashboard.integrity'],
    ['integrity empty digest', dash((d) => (d.integrity['main.js'] = 'sha384-')), '$.products.dashboard.integrity'],
    ['integrity a number', dash((d) => (d.integrity['main.js'] = 1)), '$.products.dashboard.integrity'],
    ['integrity upper-case algorithm', dash((d) => (d.integrity['main.js'] = HASH.toUpperCase())), '$.products.dashboard.integrity'],
    ['integrity two hashes', dash((d) => (d.integrity['main.js'] = `${HASH} ${HASH}`)), '$.products.dashboard.integrity'],
    ['config missing', dash((d) => delete d.config), '$.products.dashboard.config'],
    ['config an array', dash((d) => (d.config = [])), '$.products.dashboard.config'],
    ['dependencies missing', dash((d) => delete d.dependencies), '$.products.dashboard.dependencies'],
    ['dependencies a string', dash((d) => (d.dependencies = '/x.js')), '$.products.dashboard.dependencies'],
    ['fallback null', dash((d) => (d.fallback = null)), '$.products.dashboard.fallback'],
    ['fallback without files', dash((d) => delete d.fallback.files), '$.products.dashboard.fallback.files'],
    ['fallback resourceId a string', dash((d) => (d.fallback.resourceId = 'x')), '$.products.dashboard.fallback.resourceId'],
  ])('%s → invalid-manifest at %s', (_, edit, path) => {
    const m = good();
    edit(m);
    expect(() => validateManifest(m, policy)).toThrow(expect.objectContaining({ code: 'invalid-manifest', details: expect.objectContaining({ path }) }));
  });

  test.each([null, undefined, 'manifest', 42, [], [good()], true])('%j → invalid-manifest', (input) => {
    expect(() => validateManifest(input, policy)).toThrow(expect.objectContaining({ code: 'invalid-manifest' }));
  });

  test.each([2, 0, '1', null, 1.5, 'v1'])('schema %j → unsupported-schema', (schema) => {
    expect(() => validateManifest({ ...good(), schema }, policy)).toThrow(expect.objectContaining({ code: 'unsupported-schema' }));
  });

  test.each<[string, Edit, string]>([
    ['baseUrl ../', dash((d) => (d.baseUrl = '/releases/../admin/')), '$.products.dashboard.baseUrl'],
    ['baseUrl %2e%2e', dash((d) => (d.baseUrl = '/releases/%2e%2e/admin/')), '$.products.dashboard.baseUrl'],
    ['baseUrl //evil.test', dash((d) => (d.baseUrl = '//evil.test/')), '$.products.dashboard.baseUrl'],
    ['baseUrl foreign origin', dash((d) => (d.baseUrl = 'https://evil.test/')), '$.products.dashboard.baseUrl'],
    ['baseUrl javascript:', dash((d) => (d.baseUrl = 'javascript:alert(1)//')), '$.products.dashboard.baseUrl'],
    ['baseUrl data:', dash((d) => (d.baseUrl = 'data:text/html,x/')), '$.products.dashboard.baseUrl'],
    ['baseUrl missing', dash((d) => delete d.baseUrl), '$.products.dashboard.baseUrl'],
    ['baseUrl without trailing slash', dash((d) => (d.baseUrl = '/releases/dashboard/42')), '$.products.dashboard.baseUrl'],
    ['file ../', dash((d) => (d.files = ['main.js', '../../admin.js'])), '$.products.dashboard.files[1]'],
    ['file %2f', dash((d) => (d.files = ['..%2fadmin.js'])), '$.products.dashboard.files[0]'],
    ['file backslash', dash((d) => (d.files = ['..\\admin.js'])), '$.products.dashboard.files[0]'],
    ['file absolute', dash((d) => (d.files = ['/admin.js'])), '$.products.dashboard.files[0]'],
    ['file URL', dash((d) => (d.files = ['https://evil.test/x.js'])), '$.products.dashboard.files[0]'],
    ['file empty', dash((d) => (d.files = [''])), '$.products.dashboard.files[0]'],
    ['file a number', dash((d) => (d.files = [1])), '$.products.dashboard.files[0]'],
    ['integrity key ../', dash((d) => (d.integrity['../x.js'] = HASH)), '$.products.dashboard.integrity'],
    ['dependency //evil.test', dash((d) => (d.dependencies = ['//evil.test/x.js'])), '$.products.dashboard.dependencies[0]'],
    ['dependency javascript:', dash((d) => (d.dependencies = ['/ok.js', 'javascript:alert(1)'])), '$.products.dashboard.dependencies[1]'],
    ['fallback baseUrl foreign', dash((d) => (d.fallback.baseUrl = 'https://evil.test/x/')), '$.products.dashboard.fallback.baseUrl'],
    ['fallback file traversal', dash((d) => (d.fallback.files = ['%2E%2E/x.js'])), '$.products.dashboard.fallback.files[0]'],
  ])('%s → unsafe-url at %s', (_, edit, path) => {
    const m = good();
    edit(m);
    expect(() => validateManifest(m, policy)).toThrow(expect.objectContaining({ code: 'unsafe-url', details: expect.objectContaining({ path }) }));
  });

  test('an error leaves the input untouched and returns nothing partial', () => {
    const m = good();
    m.products.header!.baseUrl = '//evil.test/';
    const before = JSON.stringify(m);
    expect(() => validateManifest(m, policy)).toThrow();
    expect(JSON.stringify(m)).toBe(before);
  });

  test('messages say what failed and how to fix it', () => {
    try {
      validateManifest({ ...good(), revision: 'x' }, policy);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/\$\.revision/);
    }
  });
});

describe('validatePageManifest: script kinds of entry files', () => {
  test('keeps each build\'s scripts, as a fresh copy; the worker\'s check drops them', () => {
    const m = good();
    m.products.dashboard!.scripts = { 'main.js': 'classic' };
    m.products.dashboard!.fallback!.scripts = { 'main.js': 'module' };
    const out = validatePageManifest(m, policy);
    expect(out.products.dashboard?.scripts).toEqual({ 'main.js': 'classic' });
    expect(out.products.dashboard?.scripts).not.toBe(m.products.dashboard?.scripts);
    expect(out.products.dashboard?.fallback?.scripts).toEqual({ 'main.js': 'module' });
    expect(out.products.header).not.toHaveProperty('scripts');
    expect(validateManifest(m, policy).products.dashboard).not.toHaveProperty('scripts');
  });

  test('a manifest without scripts is what validateManifest answers', () => {
    expect(validatePageManifest(good(), policy)).toEqual(validateManifest(good(), policy));
  });

  test.each<[string, Edit, string]>([
    ['scripts an array', dash((d) => (d.scripts = ['main.js'])), '$.products.dashboard.scripts'],
    ['scripts null', dash((d) => (d.scripts = null)), '$.products.dashboard.scripts'],
    ['an unknown kind', dash((d) => (d.scripts = { 'main.js': 'worker' })), '$.products.dashboard.scripts'],
    ['a kind in capitals', dash((d) => (d.scripts = { 'main.js': 'Classic' })), '$.products.dashboard.scripts'],
    ['a kind that is not a string', dash((d) => (d.scripts = { 'main.js': 1 })), '$.products.dashboard.scripts'],
    ['a file not in files', dash((d) => (d.scripts = { 'chunk-1.js': 'classic' })), '$.products.dashboard.scripts'],
    ['a traversal key', dash((d) => (d.scripts = { '../x.js': 'classic' })), '$.products.dashboard.scripts'],
    ['a __proto__ key', dash((d) => (d.scripts = JSON.parse('{"__proto__": "classic"}'))), '$.products.dashboard.scripts'],
    ['fallback: a file of the gray build only', dash((d) => (d.fallback.scripts = { 'main.css': 'classic' })), '$.products.dashboard.fallback.scripts'],
    ['fallback: an unknown kind', dash((d) => (d.fallback.scripts = { 'main.js': 'nomodule' })), '$.products.dashboard.fallback.scripts'],
  ])('%s → invalid-manifest at %s', (_, edit, path) => {
    const m = good();
    edit(m);
    expect(() => validatePageManifest(m, policy)).toThrow(expect.objectContaining({ code: 'invalid-manifest', details: expect.objectContaining({ path }) }));
  });

  test('the other checks still run first', () => {
    const m = good();
    m.products.dashboard!.baseUrl = '//evil.test/';
    expect(() => validatePageManifest(m, policy)).toThrow(expect.objectContaining({ code: 'unsafe-url' }));
  });
});
