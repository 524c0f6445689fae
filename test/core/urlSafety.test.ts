import { describe, expect, test } from 'vitest';
import { checkBaseUrl, checkDependencyUrl, checkFilePath, joinUrl } from '../../core/index.js';
import type { UrlPolicy } from '../../core/index.js';
import { checkBuildBaseUrl, checkSharedScriptUrl } from '../../core/url/buildPlacement.js';

const policy: UrlPolicy = { origin: 'http://127.0.0.1:8080', allowedOrigins: ['https://cdn.example.com', 'https://CDN2.example.com'] };
const unsafe = expect.objectContaining({ code: 'unsafe-url' });
const forbidden = expect.objectContaining({ code: 'forbidden-url' });

/** Payloads no URL Finch loads from may contain, wherever they sit in it. A bare "." or ".." is only
 * a dot segment when it is a whole segment ("..x" is a file name), so those are tested apart. */
const TRAVERSAL = [
  '../', './', '%2e%2e/', '%2E%2E/', '%2e%2E/', '.%2e/', '%2e./', '%2e/', '%252e%252e/', '%25%32%65/',
  '%2f', '%2F', '..%2f', '%5c', '%5C', '..%5c', '\\', '..\\', '%', '%zz', '%2', '%00', '%0a', '%09', '%20', '%7f',
  ' ', '\t', '\n', '\r', '\u0000', '\u007f', '?x=1', '#frag', '//', '/./', '/../',
];

describe('checkBaseUrl', () => {
  test.each([
    '/',
    '/releases/dashboard/42/',
    '/releases/dash-board/42/v1.2.3/',
    '/a/%E2%9C%93/',
    '/a/%40scope/',
    '/a/é/',
    '/a/..b/c../',
    '/a/...x/',
    'http://127.0.0.1:8080/releases/x/1/',
    'https://cdn.example.com/',
    'https://cdn.example.com/builds/app/1/',
    'HTTPS://CDN.EXAMPLE.COM/builds/',
    'https://cdn2.example.com/x/',
  ])('accepts %j', (url) => {
    expect(checkBaseUrl(url, policy)).toBe(url);
  });

  test.each([
    '',
    'releases/x/',
    './releases/x/',
    '../releases/x/',
    '/releases/x',
    '//evil.test/',
    '//evil.test/releases/',
    '/\\evil.test/',
    '\\\\evil.test/',
    '/%2fevil.test/',
    '/%5cevil.test/',
    'https://evil.test/',
    'http://evil.test/releases/',
    'https://cdn.example.com.evil.test/',
    'https://cdn.example.com@evil.test/',
    'https://user@cdn.example.com/',
    'https://cdn.example.com:443/',
    'http://cdn.example.com/',
    'https://cdn.example.com',
    'https://cdn.example.com?x/',
    'https://cdn.example.com#/',
    'https://cdn.example.com\\@evil.test/',
    'http:/127.0.0.1:8080/x/',
    'http:127.0.0.1:8080/x/',
    'javascript:alert(1)//',
    'JavaScript:alert(1)/',
    ' javascript:alert(1)/',
    'data:text/javascript,alert(1)/',
    'blob:http://127.0.0.1:8080/uuid/',
    'file:///etc/',
    'ftp://cdn.example.com/',
    'ws://127.0.0.1:8080/x/',
    ' /releases/x/',
    '/releases/x/ ',
    '/releases/x/?v=1/',
    '/releases/x/#/',
    '/releases/x?/',
    '/releases//x/',
    '/releases/x//',
    ...TRAVERSAL.map((p) => `/releases/${p}x/`),
    ...TRAVERSAL.map((p) => `https://cdn.example.com/${p}x/`),
    '/releases/x/..',
    '/releases/../',
    '/releases/./',
    '/../',
    '/./',
    'https://cdn.example.com/../',
    'https://cdn.example.com/./x/',
    'x'.repeat(3000),
    '/' + 'a/'.repeat(1500),
  ])('refuses %j', (url) => {
    expect(() => checkBaseUrl(url, policy)).toThrow(unsafe);
  });

  test.each([null, undefined, 42, {}, ['/x/'], true])('refuses the non-string %j', (url) => {
    expect(() => checkBaseUrl(url, policy)).toThrow(unsafe);
  });

  test('the own origin counts as allowed, nothing else does by default', () => {
    const own: UrlPolicy = { origin: 'https://app.example.com', allowedOrigins: [] };
    expect(checkBaseUrl('https://app.example.com/r/1/', own)).toBe('https://app.example.com/r/1/');
    expect(() => checkBaseUrl('https://cdn.example.com/r/1/', own)).toThrow(unsafe);
  });

  test('policy origins may be written with a trailing slash', () => {
    const slashed: UrlPolicy = { origin: 'http://127.0.0.1:8080/', allowedOrigins: ['https://cdn.example.com/'] };
    expect(checkBaseUrl('http://127.0.0.1:8080/r/', slashed)).toBe('http://127.0.0.1:8080/r/');
    expect(checkBaseUrl('https://cdn.example.com/r/', slashed)).toBe('https://cdn.example.com/r/');
    expect(() => checkBaseUrl('https://cdn.example.co/r/', slashed)).toThrow(unsafe);
  });

  test('the error names the URL and says what to do', () => {
    try {
      checkBaseUrl('//evil.test/', policy);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('//evil.test/');
      expect((e as Error).message).toMatch(/protocol-relative/);
      expect(e).toMatchObject({ details: { value: '//evil.test/' } });
    }
  });
});

describe('checkFilePath', () => {
  test.each(['main.js', 'assets/main.css', 'js/chunks/a-1.2.3.js', 'a..b.js', '..a.js', 'a..', '...', 'x/y/z.map', 'file%20name.js'.replace('%20', '_'), 'é.js', '%E2%9C%93.js', '%40x.js', 'a@b.js', 'a/b:c.js', '~x.js'])(
    'accepts %j',
    (path) => {
      expect(checkFilePath(path)).toBe(path);
    },
  );

  test.each([
    '',
    '/main.js',
    '//evil.test/x.js',
    'dir/',
    'a//b.js',
    'javascript:alert(1)',
    'data:text/javascript,alert(1)',
    'blob:x',
    'https://evil.test/x.js',
    'c:x.js',
    'x:/y.js',
    ...TRAVERSAL.map((p) => `${p}main.js`),
    ...TRAVERSAL.map((p) => `js/${p}main.js`),
    ...TRAVERSAL.map((p) => `js/main.js${p}`),
    'js/..',
    '..',
    '.',
    'js/.',
    'js/./x.js',
    'js/../x.js',
    'x'.repeat(1025),
  ])('refuses %j', (path) => {
    expect(() => checkFilePath(path)).toThrow(unsafe);
  });

  test.each([null, undefined, 1, ['a.js']])('refuses the non-string %j', (path) => {
    expect(() => checkFilePath(path)).toThrow(unsafe);
  });
});

describe('checkDependencyUrl', () => {
  test.each(['/shared/react-18.3.1.js', '/shared/%40scope/lib.js', 'https://cdn.example.com/react@18/umd/react.production.min.js', 'http://127.0.0.1:8080/vendor.js'])(
    'accepts %j',
    (url) => {
      expect(checkDependencyUrl(url, policy)).toBe(url);
    },
  );

  test.each([
    '/shared/',
    'shared/react.js',
    '//evil.test/react.js',
    'https://evil.test/react.js',
    'https://cdn.example.com/react.js?v=1',
    'https://cdn.example.com/react.js#x',
    'javascript:alert(1)',
    'data:text/javascript,alert(1)',
    'blob:http://127.0.0.1:8080/x',
    ...TRAVERSAL.map((p) => `/shared/${p}react.js`),
    '/shared/../react.js',
    '/shared/..',
    '/shared/.',
    '',
  ])('refuses %j', (url) => {
    expect(() => checkDependencyUrl(url, policy)).toThrow(unsafe);
  });
});

describe('joinUrl', () => {
  test.each([
    ['/releases/x/1/', 'main.js', '/releases/x/1/main.js'],
    ['/releases/x/1/', 'js/a.js', '/releases/x/1/js/a.js'],
    ['https://cdn.example.com/b/', 'main.css', 'https://cdn.example.com/b/main.css'],
    ['/', 'main.js', '/main.js'],
  ])('joinUrl(%j, %j) = %j and stays inside the base', (base, file, want) => {
    const url = joinUrl(base, file, policy);
    expect(url).toBe(want);
    expect(url.startsWith(base)).toBe(true);
    // The URL parser of the platform agrees: no dot segment or backslash could move it.
    expect(new URL(url, 'http://127.0.0.1:8080').href.startsWith(new URL(base, 'http://127.0.0.1:8080').href)).toBe(true);
  });

  test.each([
    ['/releases/x/1/', '../2/main.js'],
    ['/releases/x/1/', '%2e%2e/2/main.js'],
    ['/releases/x/1/', '..%2f2/main.js'],
    ['/releases/x/1/', '..\\2\\main.js'],
    ['/releases/x/1/', '/releases/x/2/main.js'],
    ['/releases/x/1/', '//evil.test/main.js'],
    ['/releases/x/1/', 'https://evil.test/main.js'],
    ['/releases/x/1/', 'javascript:alert(1)'],
    ['/releases/x/1', 'main.js'],
    ['//evil.test/', 'main.js'],
    ['https://evil.test/', 'main.js'],
    ['/releases/../x/', 'main.js'],
  ])('joinUrl(%j, %j) is refused', (base, file) => {
    expect(() => joinUrl(base, file, policy)).toThrow(unsafe);
  });

  test.each(TRAVERSAL)('no accepted file resolves outside its base (payload %j at every position)', (p) => {
    const base = '/releases/x/1/';
    for (const file of [p, `${p}a.js`, `a/${p}b.js`, `a${p}`, `a/${p}`, `a/.${p}`, `a/..${p}`, `.${p}`, `..${p}`]) {
      let url: string;
      try {
        url = joinUrl(base, file, policy);
      } catch {
        continue;
      }
      const resolved = new URL(url, 'http://127.0.0.1:8080');
      expect(resolved.origin).toBe('http://127.0.0.1:8080');
      expect(resolved.pathname.startsWith(base)).toBe(true);
      expect(decodeURIComponent(resolved.pathname)).not.toMatch(/(^|\/)\.\.?(\/|$)|\\/);
    }
  });
});

/** Where a build of product "app" may point: its own release folder here, or an asset origin. */
describe('checkBuildBaseUrl', () => {
  test.each([
    '/releases/app/42/',
    '/releases/app/2.0.0/',
    '/releases/app/a/b/',
    'http://127.0.0.1:8080/releases/app/42/',
    'HTTP://127.0.0.1:8080/releases/app/42/',
    'https://cdn.example.com/',
    'https://cdn.example.com/releases/other/3/',
    'https://cdn.example.com/api/v1/',
    'https://cdn2.example.com/app/1/',
  ])('accepts %j', (url) => {
    expect(checkBuildBaseUrl('app', url, policy)).toBe(url);
  });

  test.each([
    '/',
    '/releases/',
    '/releases/app/',
    '/releases/other/3/',
    '/releases/app-two/3/',
    '/releases/ap/3/',
    '/releases/apps/3/',
    '/api/v1/',
    '/api/v1/resources/',
    '/console/',
    '/elsewhere/app/1/',
    '/Releases/app/1/',
    '/RELEASES/app/1/',
    '/releases/App/1/',
    '/releases/APP/1/',
    '/releases/%61pp/1/',
    '/r%65leases/app/1/',
    '/releases_app/1/',
    'http://127.0.0.1:8080/',
    'http://127.0.0.1:8080/api/v1/',
    'http://127.0.0.1:8080/releases/other/1/',
  ])('refuses %j as a place for another product or the server itself', (url) => {
    expect(() => checkBuildBaseUrl('app', url, policy)).toThrow(forbidden);
  });

  test.each([
    '/releases/app/%2e%2e/other/',
    '/releases/app/%2E%2E/other/',
    '/releases/app/%2e./other/',
    '/releases/app/../other/',
    '/releases/app/1/../../other/1/',
    '/releases/app/..%2fother/',
    '/releases/app/%252e%252e/other/',
    '/releases/app\\..\\other/',
    '/releases/app/1\\',
    '//evil.test/releases/app/1/',
    '//127.0.0.1:8080/releases/app/1/',
    'https://evil.test/releases/app/1/',
    'http://127.0.0.1:8080@evil.test/releases/app/1/',
    'javascript:alert(1)//releases/app/1/',
  ])('refuses the unsafe %j before asking where it points', (url) => {
    expect(() => checkBuildBaseUrl('app', url, policy)).toThrow(unsafe);
  });

  test('the own origin is judged by its path even when it is listed as an asset origin too', () => {
    const both: UrlPolicy = { origin: 'https://app.example.com', allowedOrigins: ['https://APP.example.com/'] };
    expect(() => checkBuildBaseUrl('app', 'https://app.example.com/api/v1/', both)).toThrow(forbidden);
    expect(checkBuildBaseUrl('app', 'https://app.example.com/releases/app/1/', both)).toBe('https://app.example.com/releases/app/1/');
  });

  test('the error says where a build may live', () => {
    try {
      checkBuildBaseUrl('app', '/releases/other/3/', policy);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('/releases/app/');
      expect((e as Error).message).toContain('FINCH_ASSET_ORIGINS');
      expect(e).toMatchObject({ details: { value: '/releases/other/3/' } });
    }
  });
});

/** A dependency is a shared script: any product's published build here, or an asset origin; never the server itself. */
describe('checkSharedScriptUrl', () => {
  test.each([
    '/releases/vendor/7/react.js',
    '/releases/app/1/lib/a.js',
    'http://127.0.0.1:8080/releases/vendor/7/react.js',
    'https://cdn.example.com/react@18/umd/react.production.min.js',
  ])('accepts %j', (url) => {
    expect(checkSharedScriptUrl(url, policy)).toBe(url);
  });

  test.each([
    '/api/v1/console-version',
    '/api/v1/tokens',
    'http://127.0.0.1:8080/api/v1/products',
    '/finch-sw.js',
    '/finch.js',
    '/console/app.js',
    '/metrics',
    '/shared/react.js',
    '/releases/react.js',
    '/releases/vendor/react.js',
    '/Releases/vendor/7/react.js',
    '/releases/Vendor/7/react.js',
    '/releases/-vendor/7/react.js',
    '/r%65leases/vendor/7/react.js',
  ])('refuses %j', (url) => {
    expect(() => checkSharedScriptUrl(url, policy)).toThrow(forbidden);
  });

  test.each([
    '/releases/vendor/7/%2e%2e/%2e%2e/%2e%2e/api/v1/x.js',
    '/releases/vendor/7/../../../api/v1/x.js',
    '/releases/vendor/7\\..\\x.js',
    '//evil.test/react.js',
    'https://evil.test/react.js',
  ])('refuses the unsafe %j', (url) => {
    expect(() => checkSharedScriptUrl(url, policy)).toThrow(unsafe);
  });
});
