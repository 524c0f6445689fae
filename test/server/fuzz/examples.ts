/**
 * A valid request body for each API route that takes one, and a real value for each path parameter: the
 * fuzzer breaks these field by field, so the hostile value reaches the code behind the schema's other
 * checks. A route missing here is still fuzzed, with bodies built from its OpenAPI field names.
 * `@u@` in a body becomes a number unique to the request, so creates keep creating (a new version, a new
 * name) and the hostile value reaches the INSERT rather than the "already exists" check.
 */

export const UNIQUE = '@u@';

export interface Seeded {
  product: string;
  /** A product that DELETE may remove without starving the other routes of their product. */
  doomedProduct: string;
  resourceId: number;
  /** A resource hosted here and not yet uploaded, for `PUT /resources/:id/files`. */
  hostedResourceId: number;
  strategyId: number;
  /** A token DELETE may revoke (never the one the fuzzer signs in with). */
  spareTokenId: number;
  username: string;
}

export function exampleBodies(s: Seeded): Record<string, unknown> {
  const rule = {
    any: [
      { users: ['alice', 'bob'] },
      { all: [{ attr: 'group', op: 'in', values: ['beta', 1, true] }, { not: { ip: ['10.0.0.0/8', '2001:db8::/32'] } }] },
      { percent: 12.5 },
      { attr: 'appVersion', op: 'semverGte', value: '2.0.0' },
    ],
  };
  return {
    'POST /api/v1/session': { username: 'fuzz-nobody', password: 'not-the-password' },
    'POST /api/v1/users': { username: 'fuzz-user-@u@', password: 'a-long-enough-password', role: 'viewer' },
    'PATCH /api/v1/users/:username': { role: 'operator' },
    'POST /api/v1/tokens': { name: 'fuzz token @u@', scopes: [`publish:${s.product}`] },
    'POST /api/v1/products': { name: 'fuzz-app-@u@', description: 'made by the fuzzer' },
    'PATCH /api/v1/products/:name': { description: 'changed by the fuzzer' },
    'POST /api/v1/resources': {
      product: s.product, version: '7.@u@.0', baseUrl: `/releases/${s.product}/7.@u@.0/`, files: ['main.js'],
      integrity: { 'main.js': 'sha384-AAAA' }, config: { theme: { colour: 'red', sizes: [1, 2.5, null, true] } },
      dependencies: ['/shared/react.js'], status: 'built', branch: 'main', commit: 'abc123',
    },
    'PATCH /api/v1/resources/:id': { status: 'deployed', config: { flags: { a: [1, { b: 'c' }] } } },
    'POST /api/v1/strategies': {
      product: s.product, resourceId: s.resourceId, status: 'gray', priority: 5, rule, salt: 'fuzz',
      startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-12-31T23:59:59.5+02:00',
    },
    'PATCH /api/v1/strategies/:id': { priority: 6, rule, startsAt: '2030-02-28T00:00:00Z', endsAt: null, salt: null },
    'POST /api/v1/reports': { resourceId: s.resourceId, product: s.product, kind: 'exposure', url: '/apps/x/main.js', message: 'm' },
    'POST /api/v1/console-version': { products: [s.product], userId: 'alice', attributes: { group: 'beta', n: 3, ok: true } },
    'POST /api/v1/explain': {
      userId: 'alice', ip: '10.1.2.3', products: [s.product], attributes: { group: 'beta', n: 3, ok: true, 'header.x-beta': '1', 'cookie.ab': 'b', 'claim.plan': 'pro' },
    },
  };
}

/** A live value for a path parameter of a route: DELETE gets things it may destroy. */
export function liveParam(s: Seeded, method: string, url: string, name: string): string {
  if (name === 'name') return method === 'DELETE' ? s.doomedProduct : s.product;
  if (name === 'username') return s.username;
  if (name === 'id') {
    if (url.startsWith('/api/v1/tokens')) return String(s.spareTokenId);
    if (url.startsWith('/api/v1/strategies')) return String(s.strategyId);
    if (url.endsWith('/files')) return String(s.hostedResourceId);
    return String(s.resourceId);
  }
  return 'x';
}
