/**
 * Bad input for the products, resources, strategies and getConsoleVersion routes: malformed, mistyped,
 * oversized and hostile input is a 4xx with an error code, never a 5xx, and nothing is stored. Text the
 * database cannot hold (NUL, lone surrogates), impossible dates, deep nesting and out-of-range numbers
 * each have a table of their own, per field.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, seedProduct, startServer, STORES, type TestLocation, type TestServer } from './harness.js';
import { rng } from '../rng.js';

type Who = 'admin' | 'operator' | 'publish' | 'none';
interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  /** A string is sent raw; anything else as JSON. */
  body?: unknown;
  who: Who;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** The field `error.details.field` must name, when the answer should point at one. */
  field?: string;
  /** The limit `error.details.limit` must name. */
  limit?: number;
}

const nest = (depth: number, leaf: unknown): unknown => {
  let r = leaf;
  for (let i = 0; i < depth; i++) r = { not: r };
  return r;
};

function cases(other: { productResource: number; strategyId: number; etag: string }): Case[] {
  const p = (name: string, body: unknown, status = 400, code = 'invalid-input'): Case => ({ name: `POST /products ${name}`, method: 'POST', url: '/api/v1/products', body, who: 'admin', status, code });
  const r = (name: string, body: unknown, code = 'invalid-input', status = 400): Case => ({ name: `POST /resources ${name}`, method: 'POST', url: '/api/v1/resources', body: { product: 'bad-app', version: '9.9.9', ...(body as object) }, who: 'publish', status, code });
  const s = (name: string, body: unknown, code = 'invalid-input', status = 400): Case => ({ name: `POST /strategies ${name}`, method: 'POST', url: '/api/v1/strategies', body: { product: 'bad-app', resourceId: other.productResource, status: 'gray', ...(body as object) }, who: 'operator', status, code });
  const patch = (name: string, body: unknown, code = 'invalid-input', status = 400): Case => ({ name: `PATCH /strategies ${name}`, method: 'PATCH', url: `/api/v1/strategies/${other.strategyId}`, body, who: 'operator', headers: { 'if-match': other.etag }, status, code });
  const cv = (name: string, body: unknown): Case => ({ name: `POST /console-version ${name}`, method: 'POST', url: '/api/v1/console-version', body, who: 'none', status: 400, code: 'invalid-input' });
  const get = (url: string, status = 400, code = 'invalid-input'): Case => ({ name: `GET ${url.slice(0, 60)}`, method: 'GET', url, who: 'admin', status, code });
  return [
    // Syntax and shape
    p('truncated JSON', '{"name": "x"', 400),
    p('empty body', ''),
    p('JSON null', 'null'),
    p('JSON array', '[]'),
    p('JSON string', '"bad-app2"'),
    p('name is a number', { name: 123 }),
    p('name upper case', { name: 'Bad' }),
    p('name too long', { name: 'a'.repeat(65) }),
    p('name with slash', { name: 'a/b' }),
    p('name __proto__', { name: '__proto__' }),
    p('unknown field', { name: 'fine-name', owner: 'me' }),
    p('description an object', { name: 'fine-name', description: { a: 1 } }),
    { name: 'POST /products text/plain', method: 'POST', url: '/api/v1/products', body: 'name=x', who: 'admin', headers: { 'content-type': 'text/plain' }, status: 400, code: 'invalid-input' },
    p('body over the limit', `{"name":"x","description":"${'a'.repeat(9 * 1024 * 1024)}"}`, 413, 'payload-too-large'),
    // Resources: URL safety (unsafe URLs) and types
    r('baseUrl ../', { baseUrl: '/releases/../etc/', files: ['a.js'] }, 'unsafe-url'),
    r('baseUrl %2e%2e', { baseUrl: '/releases/%2e%2e/x/', files: ['a.js'] }, 'unsafe-url'),
    r('baseUrl protocol-relative', { baseUrl: '//evil.test/x/', files: ['a.js'] }, 'unsafe-url'),
    r('baseUrl foreign origin', { baseUrl: 'https://evil.test/x/', files: ['a.js'] }, 'unsafe-url'),
    r('baseUrl javascript:', { baseUrl: 'javascript:alert(1)//', files: ['a.js'] }, 'unsafe-url'),
    r('baseUrl without trailing slash', { baseUrl: '/releases/x', files: ['a.js'] }, 'unsafe-url'),
    r('file ../', { baseUrl: '/r/x/', files: ['../a.js'] }, 'unsafe-url'),
    r('file %2f', { baseUrl: '/r/x/', files: ['a%2f..%2fb.js'] }, 'unsafe-url'),
    r('file backslash', { baseUrl: '/r/x/', files: ['a\\b.js'] }, 'unsafe-url'),
    r('file absolute', { baseUrl: '/r/x/', files: ['/a.js'] }, 'unsafe-url'),
    r('file data:', { baseUrl: '/r/x/', files: ['data:text/javascript,1'] }, 'unsafe-url'),
    r('dependency foreign', { baseUrl: '/r/x/', files: ['a.js'], dependencies: ['https://evil.test/a.js'] }, 'unsafe-url'),
    r('integrity for an unsafe path', { baseUrl: '/r/x/', files: ['a.js'], integrity: { '../b.js': 'sha384-AAAA' } }, 'unsafe-url'),
    r('integrity not SRI', { baseUrl: '/r/x/', files: ['a.js'], integrity: { 'a.js': 'md5-AAAA' } }),
    r('files not an array', { baseUrl: '/r/x/', files: 'a.js' }),
    r('files duplicated', { baseUrl: '/r/x/', files: ['a.js', 'a.js'] }),
    r('status unknown', { status: 'live' }),
    r('status number out of range', { status: 7 }),
    r('version traversal', { version: '../1.0.0' }),
    r('version a number', { version: 1 }),
    r('config an array', { config: [1, 2] }),
    r('unknown product', { product: 'no-such-app' }, 'not-found', 404),
    // Strategies: rules (the limits of docs/rules.md), types, references
    s('rule too deep', { rule: nest(9, { users: ['a'] }) }, 'rule-too-large'),
    // Sent as raw text: the test's own JSON.stringify could not write it.
    // Past the body's own nesting limit, refused before anything walks the rule.
    { name: 'POST /strategies rule hugely deep', method: 'POST', url: '/api/v1/strategies', who: 'operator', status: 400, code: 'invalid-input', limit: 64,
      body: `{"product":"bad-app","resourceId":${other.productResource},"status":"gray","rule":${'{"not":'.repeat(50_000)}{"users":["a"]}${'}'.repeat(50_000)}}` },
    s('rule with too many nodes', { rule: { any: Array.from({ length: 1001 }, (_, i) => ({ users: [`u${i}`] })) } }, 'rule-too-large'),
    s('rule with too many users', { rule: { users: Array.from({ length: 100_001 }, (_, i) => `u${i}`) } }, 'rule-too-large'),
    s('rule with a bad CIDR', { rule: { ip: ['10.0.0.0/33'] } }, 'invalid-rule'),
    s('rule with a non-IP', { rule: { ip: ['not-an-ip'] } }, 'invalid-rule'),
    s('rule with an unknown operator', { rule: { attr: 'group', op: 'like', value: 'x' } }, 'invalid-rule'),
    s('rule percent over 100', { rule: { percent: 101 } }, 'invalid-rule'),
    s('rule percent negative', { rule: { percent: -1 } }, 'invalid-rule'),
    s('rule unknown key', { rule: { usrs: ['a'] } }, 'invalid-rule'),
    s('rule is an array', { rule: [{ users: ['a'] }] }),
    s('resourceId a string', { resourceId: '1' }),
    s('resourceId zero', { resourceId: 0 }),
    s('resourceId missing row', { resourceId: 999999 }),
    s('resourceId of another product', { resourceId: 'OTHER' }),
    s('priority a fraction', { priority: 1.5 }),
    s('priority huge', { priority: 1e12 }),
    s('status unknown', { status: 'maybe' }),
    s('startsAt not a date', { startsAt: 'yesterday' }),
    s('window reversed', { startsAt: '2030-02-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }),
    s('product missing', { product: undefined }),
    patch('empty body', {}),
    patch('unknown field', { colour: 'red' }),
    patch('bad rule', { rule: { ip: ['1.2.3.4/99'] } }, 'invalid-rule'),
    patch('priority as text', { priority: '5' }),
    // Bad ids and names in paths
    get('/api/v1/resources/abc'),
    get('/api/v1/resources/0'),
    get('/api/v1/resources/-1'),
    get('/api/v1/resources/1.5'),
    get('/api/v1/resources/99999999999999999999'),
    get('/api/v1/strategies/1e3'),
    get('/api/v1/strategies/%00'),
    get('/api/v1/products/BAD'),
    get(`/api/v1/products/${'a'.repeat(65)}/strategies`),
    get('/api/v1/resources/12345678', 404, 'not-found'),
    { name: 'PATCH /strategies/abc', method: 'PATCH', url: '/api/v1/strategies/abc', body: { priority: 1 }, who: 'operator', headers: { 'if-match': '"s1-v1"' }, status: 400, code: 'invalid-input' },
    { name: 'DELETE /products/..', method: 'DELETE', url: '/api/v1/products/..%2f', who: 'admin', status: 400, code: 'invalid-input' },
    // getConsoleVersion
    get('/api/v1/console-version'),
    get('/api/v1/console-version?products=../etc'),
    get(`/api/v1/console-version?products=a&userId=${'u'.repeat(300)}`),
    get('/api/v1/console-version?products=a&attributes=1'),
    cv('products missing', { userId: 'a' }),
    cv('products not names', { products: ['A B'] }),
    cv('too many products', { products: Array.from({ length: 101 }, (_, i) => `p${i}`) }),
    cv('attributes nested', { products: ['a'], attributes: { group: { x: 1 } } }),
    cv('userId a number', { products: ['a'], userId: 7 }),
    cv('truncated JSON', '{"products": ['),
    ...unstorableText(other),
    ...impossibleDates(other),
    ...deepNesting(other),
    ...outOfRangeNumbers(other),
  ];
}

/** The NUL character and lone surrogates, in every kind of field: each names the field it was found in. */
function unstorableText(other: { productResource: number; strategyId: number; etag: string }): Case[] {
  const out: Case[] = [];
  for (const [label, bad, raw] of [['NUL', '\\u0000', '%00'], ['lone surrogate', '\\ud800', null]] as const) {
    // JSON texts with the escape written out, as a client sends it. A bad key is named quoted, escaped.
    const text = (v: string): string => `"${v.replace('@', bad)}"`;
    const post = (name: string, url: string, who: Who, json: string, field: string, extra: Partial<Case> = {}): Case => ({
      name: `${label} in ${name}`, method: 'POST', url, who, body: json, status: 400, code: 'invalid-input', field, ...extra,
    });
    const strategy = (rule: string, field: string): Case =>
      post(field, '/api/v1/strategies', 'operator', `{"product":"bad-app","resourceId":${other.productResource},"status":"gray","rule":${rule}}`, field);
    out.push(
      post('a username', '/api/v1/users', 'admin', `{"username":${text('eve@')},"password":"long-enough-password","role":"viewer"}`, 'body/username'),
      post('a password', '/api/v1/users', 'admin', `{"username":"eve","password":${text('long-enough-password@')},"role":"viewer"}`, 'body/password'),
      post('a sign-in name', '/api/v1/session', 'none', `{"username":${text('admin@')},"password":"x"}`, 'body/username'),
      post('a description', '/api/v1/products', 'admin', `{"name":"nul-app","description":${text('a@b')}}`, 'body/description'),
      { ...post('a changed description', `/api/v1/products/bad-app`, 'admin', `{"description":${text('@')}}`, 'body/description'), method: 'PATCH' },
      post('a config key', '/api/v1/resources', 'publish', `{"product":"bad-app","version":"8.0.0","config":{${text('k@')}:1}}`, `body/config/${JSON.stringify(JSON.parse(text('k@')))}`),
      post('a config value', '/api/v1/resources', 'publish', `{"product":"bad-app","version":"8.0.0","config":{"a":{"b":[${text('@')}]}}}`, 'body/config/a/b/0'),
      post('a branch', '/api/v1/resources', 'publish', `{"product":"bad-app","version":"8.0.0","branch":${text('main@')}}`, 'body/branch'),
      post('a commit', '/api/v1/resources', 'publish', `{"product":"bad-app","version":"8.0.0","commit":${text('@abc')}}`, 'body/commit'),
      post('a file name', '/api/v1/resources', 'publish', `{"product":"bad-app","version":"8.0.0","baseUrl":"/r/8/","files":[${text('a@.js')}]}`, 'body/files/0'),
      { ...post('a changed config', `/api/v1/resources/${other.productResource}`, 'publish', `{"config":{"x":${text('@')}}}`, 'body/config/x'), method: 'PATCH' },
      strategy(`{"users":["alice",${text('b@b')}]}`, 'body/rule/users/1'),
      strategy(`{"attr":"group","op":"eq","value":${text('@')}}`, 'body/rule/value'),
      strategy(`{"attr":"group","op":"in","values":["a",${text('@')}]}`, 'body/rule/values/1'),
      strategy(`{"attr":${text('gr@oup')},"op":"exists"}`, 'body/rule/attr'),
      strategy(`{"all":[{"not":{"ip":[${text('10.0.0.0/8@')}]}}]}`, 'body/rule/all/0/not/ip/0'),
      post('a salt', '/api/v1/strategies', 'operator', `{"product":"bad-app","resourceId":${other.productResource},"salt":${text('@')}}`, 'body/salt'),
      { ...post('a changed salt', `/api/v1/strategies/${other.strategyId}`, 'operator', `{"salt":${text('s@')}}`, 'body/salt'), method: 'PATCH', headers: { 'if-match': other.etag } },
      post('a token name', '/api/v1/tokens', 'admin', `{"name":${text('ci@')},"scopes":["publish"]}`, 'body/name'),
      post('a token scope', '/api/v1/tokens', 'admin', `{"name":"ci","scopes":[${text('publish@')}]}`, 'body/scopes/0'),
      post('a user id', '/api/v1/console-version', 'none', `{"products":["bad-app"],"userId":${text('al@ice')}}`, 'body/userId'),
      post('an attribute name', '/api/v1/console-version', 'none', `{"products":["bad-app"],"attributes":{${text('gr@')}:"beta"}}`, `body/attributes/${JSON.stringify(JSON.parse(text('gr@')))}`),
      post('an attribute value', '/api/v1/console-version', 'none', `{"products":["bad-app"],"attributes":{"group":${text('@')}}}`, 'body/attributes/group'),
      post('a report message', '/api/v1/reports', 'none', `{"resourceId":${other.productResource},"product":"bad-app","kind":"load-error","message":${text('@')}}`, 'body/message'),
      post('a text/plain report', '/api/v1/reports', 'none', `{"resourceId":${other.productResource},"product":"bad-app","kind":"load-error","url":${text('/a@')}}`, 'body/url', { headers: { 'content-type': 'text/plain' } }),
    );
    // A query or path cannot carry a lone surrogate: percent-decoding makes U+FFFD of it.
    if (raw !== null) {
      for (const url of [`/api/v1/audit?action=${raw}`, `/api/v1/audit?actor=a${raw}`, `/api/v1/console-version?products=bad-app&userId=${raw}`, `/api/v1/users/eve${raw}`]) {
        const field = url.includes('?') ? `query/${url.split('?')[1]!.split('&').pop()!.split('=')[0]}` : 'params/username';
        out.push({ name: `${label} in GET ${url}`, method: 'GET', url, who: 'admin', status: 400, code: 'invalid-input', field });
      }
    }
  }
  return out;
}

/** Dates that do not exist, or that PostgreSQL's timestamptz or JavaScript's Date would not read. */
function impossibleDates(other: { productResource: number }): Case[] {
  const dates = [
    '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '1900-02-29T12:00:00Z', '2026-04-31T00:00:00Z', '0000-01-01T00:00:00Z', '0050-06-01T00:00:00Z',
    '2026-13-01T00:00:00Z', '2026-00-01T00:00:00Z', '2026-01-00T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z', '2026-01-01T00:00:00+16:00', '2026-01-01T00:00:00-24:00', '2026-01-01T00:00:00+01:60', '2026-01-01T00:00:00',
    '2026-01-01', '+012026-01-01T00:00:00Z', '2026-1-1T00:00:00Z', 'infinity', '2026-01-01T00:00:00.Z', '2026-01-01 00:00:00Z',
  ];
  return dates.flatMap((d): Case[] => [
    { name: `startsAt ${d}`, method: 'POST', url: '/api/v1/strategies', who: 'operator', body: { product: 'bad-app', resourceId: other.productResource, startsAt: d }, status: 400, code: 'invalid-input', field: 'body/startsAt' },
    { name: `audit from=${d}`, method: 'GET', url: `/api/v1/audit?from=${encodeURIComponent(d)}`, who: 'admin', status: 400, code: 'invalid-input', field: 'querystring/from' },
  ]);
}

const deepArray = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Free-form JSON nested past its limit (32 inside `config`, 64 in any body): a 400 naming the limit. */
function deepNesting(other: { productResource: number }): Case[] {
  const post = (name: string, url: string, who: Who, body: string, limit: number, extra: Partial<Case> = {}): Case => ({
    name: `deep ${name}`, method: 'POST', url, who, body, status: 400, code: 'invalid-input', limit, ...extra,
  });
  return [
    post('config, 33 levels', '/api/v1/resources', 'publish', `{"product":"bad-app","version":"8.0.1","config":{"a":${deepObject(32)}}}`, 32, { field: 'body/config' }),
    post('config, 5,000 levels', '/api/v1/resources', 'publish', `{"product":"bad-app","version":"8.0.1","config":{"a":${deepArray(5000)}}}`, 64),
    post('config, 200,000 levels', '/api/v1/resources', 'publish', `{"product":"bad-app","version":"8.0.1","config":{"a":${deepObject(200_000)}}}`, 64),
    { ...post('changed config', `/api/v1/resources/${other.productResource}`, 'publish', `{"config":{"a":${deepArray(40)}}}`, 32, { field: 'body/config' }), method: 'PATCH' },
    post('body, 100,000 levels', '/api/v1/products', 'admin', deepArray(100_000), 64, { field: `body${'/0'.repeat(64)}` }),
    // A "constructor" key makes the JSON parser scan the whole tree for prototype pollution first.
    post('body with a constructor key', '/api/v1/products', 'admin', `{"constructor":1,"a":${deepObject(100_000)}}`, 64),
    post('rule, 70 levels', '/api/v1/strategies', 'operator', `{"product":"bad-app","resourceId":${other.productResource},"rule":${'{"not":'.repeat(70)}{"users":["a"]}${'}'.repeat(70)}}`, 64),
    post('attributes', '/api/v1/console-version', 'none', `{"products":["bad-app"],"attributes":{"a":${deepArray(100_000)}}}`, 64),
    post('reports', '/api/v1/reports', 'none', deepArray(100_000), 64),
    post('text/plain reports', '/api/v1/reports', 'none', deepArray(100_000), 64, { headers: { 'content-type': 'text/plain' } }),
  ];
}

/** Numbers past a double, past the database's integers, fractional where whole, negative ids. */
function outOfRangeNumbers(other: { productResource: number }): Case[] {
  const strategy = (name: string, json: string): Case => ({
    name: `strategy ${name}`, method: 'POST', url: '/api/v1/strategies', who: 'operator', status: 400, code: 'invalid-input',
    body: `{"product":"bad-app","resourceId":${other.productResource},${json}}`,
  });
  const get = (url: string): Case => ({ name: `GET ${url}`, method: 'GET', url, who: 'admin', status: 400, code: 'invalid-input' });
  return [
    { ...strategy('priority 1e400', '"priority":1e400'), field: 'body/priority' },
    { ...strategy('percent -1e400', '"rule":{"percent":-1e400}'), field: 'body/rule/percent' },
    strategy('priority 2^53 + 1', '"priority":9007199254740993'),
    strategy('priority 1e20', '"priority":100000000000000000000'),
    strategy('priority 0.5', '"priority":0.5'),
    { name: 'strategy resourceId past int4', method: 'POST', url: '/api/v1/strategies', who: 'operator', status: 400, code: 'invalid-input', body: { product: 'bad-app', resourceId: 2147483648 } },
    { name: 'config 1e400', method: 'POST', url: '/api/v1/resources', who: 'publish', status: 400, code: 'invalid-input', body: '{"product":"bad-app","version":"8.0.2","config":{"n":1e400}}', field: 'body/config/n' },
    { name: 'report resourceId -1', method: 'POST', url: '/api/v1/reports', who: 'none', status: 400, code: 'invalid-input', body: { resourceId: -1, product: 'bad-app', kind: 'exposure' } },
    get('/api/v1/strategies/99999999999'),
    get('/api/v1/strategies/2147483648'),
    get('/api/v1/strategies/-5'),
    get('/api/v1/audit?limit=-1'),
    get('/api/v1/audit?limit=0'),
    get('/api/v1/audit?limit=1.5'),
    get('/api/v1/audit?limit=1e400'),
    get('/api/v1/audit?limit=1&limit=2'),
    get('/api/v1/audit?before=99999999999999999999'),
    get('/api/v1/audit?before=-1'),
    get('/api/v1/audit?action=a&action=b'),
    get('/api/v1/reports?resourceId=2147483648'),
    get('/api/v1/reports?resourceId=1e400'),
    { name: 'DELETE /tokens past int4', method: 'DELETE', url: '/api/v1/tokens/99999999999', who: 'admin', status: 400, code: 'invalid-input' },
  ];
}


const JUNK: unknown[] = [null, true, -1, 0, 1.5, 1e308, '', ' ', '../', '%2e%2e/', '\u0000', 'x'.repeat(3000), [], [null], {}, { $ne: 1 }, { __proto__: { a: 1 } }, ['a', 1]];

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`bad input on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let table: Case[] = [];
    let counts: Record<string, unknown>;

    const countRows = async (): Promise<Record<string, unknown>> => (await s.deps.db.query(
      `SELECT (SELECT count(*)::int FROM products) AS products, (SELECT count(*)::int FROM resources) AS resources,
              (SELECT count(*)::int FROM strategies) AS strategies, (SELECT count(*)::int FROM audit) AS audit,
              (SELECT value::text FROM revision) AS revision,
              (SELECT json_agg(json_build_object('id', id, 'version', version) ORDER BY id) FROM strategies)::text AS versions`,
    )).rows[0] ?? {};

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      const { resources } = await seedProduct(s, 'bad-app', ['1.0.0']);
      const other = await seedProduct(s, 'other-app', ['1.0.0']);
      const st = await s.call('POST', '/api/v1/strategies', { product: 'bad-app', resourceId: resources['1.0.0'], status: 'full' }, s.auth.operator);
      table = cases({ productResource: resources['1.0.0'] ?? 0, strategyId: st.json().id, etag: String(st.headers['etag']) });
      for (const c of table) {
        if ((c.body as { resourceId?: unknown } | undefined)?.resourceId === 'OTHER') (c.body as { resourceId: number }).resourceId = other.resources['1.0.0'] ?? 0;
      }
      counts = await countRows();
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    test('every case of the table is a 4xx with its code, and nothing is stored', async () => {
      const failures: string[] = [];
      for (const c of table) {
        const headers: Record<string, string> = { ...(c.who === 'none' ? {} : s.auth[c.who]), ...(c.headers ?? {}) };
        if (c.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
        const res = await s.inject({
          method: c.method,
          url: c.url,
          headers,
          ...(c.body !== undefined ? { payload: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) } : {}),
        });
        let error: { code?: unknown; details?: { field?: unknown; limit?: unknown } } | undefined;
        try {
          error = (res.json() as { error?: typeof error }).error;
        } catch {
          error = { code: `(not JSON: ${res.body.slice(0, 80)})` };
        }
        const code = error?.code;
        if (res.statusCode !== c.status || code !== c.code) failures.push(`${c.name}: got ${res.statusCode} ${String(code)}, want ${c.status} ${c.code}`);
        else if (c.field !== undefined && error?.details?.field !== c.field) failures.push(`${c.name}: names field ${String(error?.details?.field)}, want ${c.field}`);
        else if (c.limit !== undefined && error?.details?.limit !== c.limit) failures.push(`${c.name}: names limit ${String(error?.details?.limit)}, want ${c.limit}`);
      }
      expect(failures).toEqual([]);
      expect(await countRows()).toEqual(counts);
    });

    test('500 fuzzed bodies on the write routes: always 4xx, never stored', async () => {
      const rand = rng(24);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
      const bases: Array<[string, string, Record<string, unknown>, Who]> = [
        ['POST', '/api/v1/products', { name: 'fuzz-app' }, 'admin'],
        ['POST', '/api/v1/resources', { product: 'bad-app', version: '5.0.0', baseUrl: '/r/5/', files: ['a.js'] }, 'publish'],
        ['POST', '/api/v1/strategies', { product: 'bad-app', resourceId: 1, status: 'gray', rule: { users: ['a'] } }, 'operator'],
        ['POST', '/api/v1/console-version', { products: ['bad-app'], userId: 'u' }, 'none'],
      ];
      const statuses = new Map<number, number>();
      for (let i = 0; i < 500; i++) {
        const [method, url, base, who] = pick(bases);
        const body: Record<string, unknown> = { ...base };
        // Break one field (or add a junk one): each body is invalid by construction.
        const keys = Object.keys(base);
        const key = rand() < 0.2 ? `junk${i}` : pick(keys);
        let value = pick(JUNK);
        // A few junk values happen to be valid for some fields; those become a wrong type instead.
        const valid = (key === 'userId' && typeof value === 'string' && value.length > 0 && value.length <= 256) ||
          (key === 'files' && Array.isArray(value) && value.length === 0) || (key === 'rule' && value === null) || (key === 'status' && value === 0) ||
          (key === 'userId' && value === null);
        if (valid) value = 5;
        body[key] = value;
        const raw = rand() < 0.1 ? JSON.stringify(body).slice(0, Math.floor(rand() * 20)) : JSON.stringify(body);
        const res = await s.inject({ method: method as 'POST', url, headers: { 'content-type': 'application/json', ...(who === 'none' ? {} : s.auth[who]) }, payload: raw });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode < 400 || res.statusCode >= 500) {
          throw new Error(`fuzz ${i}: ${method} ${url} ${raw.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
        expect(res.json().error.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      }
      expect([...statuses.keys()].every((c) => c >= 400 && c < 500)).toBe(true);
      expect(await countRows()).toEqual(counts);
    });
  });
}
