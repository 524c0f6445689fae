/**
 * Baseline (b) of table 1: the classic nginx gray router, nginx + Lua deciding per request from
 * memcached, on Debian's packages. nginx runs from a temp prefix with one worker, `daemon off`, on a
 * random loopback port; memcached likewise; both are stopped by PID. The bench installs nothing: when a
 * package is missing the baseline is skipped with a line naming it (`.ci/run` installs them).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillMemcached, startMemcached, type Memcached } from './memcached.js';
import { childPids, freePort, rssOf, startChild, tempDir, waitForHttp, type Child } from './processes.js';

const MODULES = '/usr/lib/nginx/modules';
const NGINX = '/usr/sbin/nginx';
const MEMCACHED = '/usr/bin/memcached';

export interface NginxFragments {
  /** Product names, index i+1 in Lua. */
  products: string[];
  /** Per product, `"name":{entry}` of its full build. */
  full: string[];
  /** strategyId → `"name":{entry}` of that gray strategy's answer. */
  byStrategy: Map<number, string>;
  /** The manifest text before the user id, and between it and the product entries. */
  head: string;
  middle: string;
}

export interface NginxLua {
  origin: string;
  /** nginx master + workers + memcached, in bytes. */
  rss(): { rss: number; peak: number };
  stop(): Promise<void>;
}

function missingParts(): string[] {
  const missing: string[] = [];
  if (!existsSync(NGINX)) missing.push('nginx-light');
  if (!existsSync(`${MODULES}/ngx_http_lua_module.so`) || !existsSync(`${MODULES}/ndk_http_module.so`)) missing.push('libnginx-mod-http-lua');
  if (!existsSync(MEMCACHED)) missing.push('memcached');
  return missing;
}

/**
 * Null when nginx, its Lua module and memcached are all installed; else the reason the baseline is
 * skipped, also logged as one line. Installing system packages is the machine's set-up, never the bench's.
 */
export function nginxLuaMissing(log: (line: string) => void): string | null {
  const missing = missingParts();
  if (missing.length === 0) return null;
  const reason = `${missing.join(', ')} not installed (install with: apt-get install --no-install-recommends ${missing.join(' ')}; .ci/run does)`;
  log(`bench: nginx + Lua baseline skipped: ${reason}`);
  return reason;
}

const lua = (s: string): string => `[==[${s}]==]`;

function fragmentsModule(f: NginxFragments, memcachedPort: number): string {
  const lines = [
    'return {',
    `  memcachedPort = ${memcachedPort},`,
    `  head = ${lua(f.head)},`,
    `  middle = ${lua(f.middle)},`,
    `  index = { ${f.products.map((p, i) => `[ ${lua(p)} ] = ${i + 1}`).join(', ')} },`,
    '  full = {',
    ...f.full.map((t) => `    ${lua(t)},`),
    '  },',
    '  byStrategy = {',
    ...[...f.byStrategy].map(([id, t]) => `    [${id}] = ${lua(t)},`),
    '  },',
    '}',
  ];
  return lines.join('\n');
}

function nginxConf(prefix: string, port: number): string {
  return `
load_module ${MODULES}/ndk_http_module.so;
load_module ${MODULES}/ngx_http_lua_module.so;
daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  keepalive_requests 1000000;
  lua_package_path '${prefix}/lua/?.lua;/usr/share/lua/5.1/?.lua;;';
  lua_code_cache on;
  init_by_lua_block { require('fragments') }
  server {
    listen 127.0.0.1:${port};
    location = /api/v1/console-version {
      default_type 'application/json; charset=utf-8';
      content_by_lua_file ${prefix}/lua/gray.lua;
    }
  }
}
`;
}

export async function startNginxLua(fragments: NginxFragments, entries: Iterable<[string, string]>): Promise<NginxLua> {
  const prefix = tempDir('finch-bench-nginx-');
  // Started as root, nginx's workers run as nobody/www-data: they must be able to read the Lua files.
  chmodSync(prefix, 0o755);
  let memcached: Memcached | null = null;
  let nginx: Child | null = null;
  const cleanup = async (): Promise<void> => {
    await nginx?.stop();
    await memcached?.child.stop();
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    memcached = await startMemcached(MEMCACHED);
    await fillMemcached(memcached.port, entries);
    mkdirSync(join(prefix, 'lua'));
    mkdirSync(join(prefix, 'tmp'));
    copyFileSync(new URL('./nginx/gray.lua', import.meta.url), join(prefix, 'lua', 'gray.lua'));
    writeFileSync(join(prefix, 'lua', 'fragments.lua'), fragmentsModule(fragments, memcached.port));
    const port = await freePort();
    writeFileSync(join(prefix, 'nginx.conf'), nginxConf(prefix, port));
    nginx = startChild(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')]);
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(`${origin}/api/v1/console-version?products=x`, 10_000).catch((err: unknown) => {
      throw new Error(`${String(err)}; nginx output: ${nginx?.output().slice(-400)}`);
    });
    const pids = (): number[] => [nginx!.pid, ...childPids(nginx!.pid), memcached!.child.pid];
    return {
      origin,
      rss: () =>
        pids().reduce(
          (acc, pid) => {
            const r = rssOf(pid);
            return { rss: acc.rss + r.rss, peak: acc.peak + r.peak };
          },
          { rss: 0, peak: 0 },
        ),
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
