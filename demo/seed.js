// Registers the demo's builds and strategies (see the README) through the public HTTP API only, as an
// operator and a CI job would: a console session for the admin, a publish token made through the API,
// resources created and uploaded with that token, strategies created with the session.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { packBuild } from './tarball.js';

const BUILDS_DIR = fileURLToPath(new URL('./builds/', import.meta.url));

/** What the demo sets up: each product's builds, and which users each one goes to. */
export const DEMO_PLAN = [
  {
    product: 'header',
    description: 'The top bar of the demo shop',
    builds: [
      { version: '1.0.0', strategy: { status: 'full' } },
      { version: '1.1.0', strategy: { status: 'gray', rule: { attr: 'group', op: 'eq', value: 'beta' } } },
    ],
  },
  {
    product: 'dashboard',
    description: 'The main page of the demo shop',
    builds: [
      { version: '1.0.0', strategy: { status: 'full' } },
      { version: '2.0.0', strategy: { status: 'gray', rule: { users: ['alice'] } } },
    ],
  },
];

/** The files a page loads up front, in order (also `finch publish`'s default: the top-level .css then .js); the lazy chart chunk in chunks/ is fetched by the build itself. */
const ENTRY_FILES = ['main.css', 'main.js'];

/**
 * Seeds an empty control plane at `origin` (like `http://127.0.0.1:8080`) and returns what it made,
 * e.g. `{ resources: { 'dashboard@2.0.0': 4 }, strategies: { 'dashboard@2.0.0': 4 } }`.
 */
export async function seedDemo(origin, { username, password }) {
  const api = client(origin);
  const session = await api.login(username, password);
  const token = await api.call('POST', '/tokens', { cookie: session, body: { name: 'demo-ci', scopes: ['publish'] } });
  const bearer = `Bearer ${token.token}`;

  const resources = {};
  const strategies = {};
  for (const { product, description, builds } of DEMO_PLAN) {
    await api.call('POST', '/products', { cookie: session, body: { name: product, description } });
    for (const { version, strategy } of builds) {
      const key = `${product}@${version}`;
      const resource = await api.call('POST', '/resources', {
        auth: bearer,
        body: { product, version, files: ENTRY_FILES },
      });
      const archive = await packBuild(join(BUILDS_DIR, product, version));
      await api.call('PUT', `/resources/${resource.id}/files`, { auth: bearer, raw: archive, type: 'application/gzip' });
      resources[key] = resource.id;
      const created = await api.call('POST', '/strategies', {
        cookie: session,
        body: { product, resourceId: resource.id, ...strategy },
      });
      strategies[key] = created.id;
    }
  }
  return { resources, strategies };
}

/** A tiny client of the control plane's JSON API; every failure names the call and the server's error. */
export function client(origin) {
  const base = `${origin}/api/v1`;
  async function call(method, path, { cookie, auth, body, raw, type, headers = {}, withHeaders = false } = {}) {
    const h = { ...headers };
    if (cookie) h.cookie = cookie;
    if (auth) h.authorization = auth;
    let payload;
    if (raw !== undefined) {
      payload = raw;
      h['content-type'] = type ?? 'application/octet-stream';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    if (!res.ok) {
      const why = json?.error ? `${json.error.code}: ${json.error.message}` : text.slice(0, 200);
      throw new Error(`Failed to ${method} ${path}: HTTP ${res.status} ${why}`);
    }
    return withHeaders ? { body: json, headers: res.headers } : json;
  }

  async function login(username, password) {
    const res = await fetch(`${base}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`Failed to sign in as ${username}: HTTP ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    if (cookie === '') throw new Error(`Failed to sign in as ${username}: the server set no session cookie`);
    return cookie;
  }

  return { call, login };
}
