// One product on a real control plane, as a team sets it up: `finch serve` on a fresh data directory,
// the product and a publish token made by the admin over the API, each build published by the built
// `finch publish --dir <dist>` with no flags (FINCH_ENDPOINT and FINCH_TOKEN in the environment), then
// 1.0.0 full and 2.0.0 gray for alice. The host page is served from its own loopback server, which forwards /api/v1/ and
// /releases/ to the control plane (one origin for the page, as a gateway gives it).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManifestEntry } from '../../../core/manifest.js';
import { client } from '../../../demo/seed.js';
import { spawnServe, type ServeProcess } from '../../server/process.js';
import { ADMIN, operator } from '../demo/operator.js';
import { proxyTo, runNode, startStaticServer, type StaticServer } from '../harness/index.js';

export interface StageBuild {
  version: string;
  /** The bundler's output folder. */
  dir: string;
  strategy: { status: 'full' | 'gray'; rule?: unknown };
}

export interface Stage {
  product: string;
  controlPlane: ServeProcess;
  host: StaticServer;
  /** What the control plane answers `userId` for the product now. */
  entryFor(userId: string): Promise<ManifestEntry>;
  /** The operator's If-Match writes on the product's strategies (test/e2e/demo/operator.ts). */
  operator: Awaited<ReturnType<typeof operator>>;
  /** Stops the host server and the control plane; safe to call twice. */
  stop(): Promise<void>;
}

/** The usual plan: 1.0.0 for everyone, 2.0.0 for alice. */
export function grayForAlice(dirs: { '1.0.0': string; '2.0.0': string }): StageBuild[] {
  return [
    { version: '1.0.0', dir: dirs['1.0.0'], strategy: { status: 'full' } },
    { version: '2.0.0', dir: dirs['2.0.0'], strategy: { status: 'gray', rule: { users: ['alice'] } } },
  ];
}

export async function startStage(product: string, builds: readonly StageBuild[], hostDir: string): Promise<Stage> {
  const dataDir = await mkdtemp(join(tmpdir(), 'finch-bundlers-data-'));
  let controlPlane: ServeProcess | undefined;
  let host: StaticServer | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await host?.close();
      await controlPlane?.stop();
      await rm(dataDir, { recursive: true, force: true });
    })());
  try {
    // The demo's admin password, so the demo's operator helper signs in here too.
    controlPlane = await spawnServe({ FINCH_DATA_DIR: dataDir, FINCH_ADMIN_PASSWORD: ADMIN.password });
    const origin = controlPlane.url;
    const api = client(origin);
    const cookie = await api.login(ADMIN.username, ADMIN.password);
    await api.call('POST', '/products', { cookie, body: { name: product, description: `The ${product} fixture app` } });
    const { token } = (await api.call('POST', '/tokens', { cookie, body: { name: `ci-${product}`, scopes: [`publish:${product}`] } })) as { token: string };

    const ops = await operator(origin);
    for (const build of builds) {
      // The product comes from the build (the bundler plugin's .finch/build.json). The version is the
      // pipeline's to choose, so the pipeline writes it where `finch publish` reads options from the
      // folder: finch.config.json, which is never uploaded.
      await writeFile(join(build.dir, 'finch.config.json'), `${JSON.stringify({ version: build.version })}\n`);
      const run = await runNode('bin/finch.js', ['publish', '--dir', build.dir], { FINCH_ENDPOINT: origin, FINCH_TOKEN: token });
      if (run.code !== 0) throw new Error(`finch publish --dir ${build.dir} failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
      const resourceId = await ops.resourceId(product, build.version);
      await api.call('POST', '/strategies', { cookie, body: { product, resourceId, ...build.strategy } });
    }

    host = await startStaticServer({ root: hostDir });
    for (const prefix of ['/api/v1/', '/releases/']) host.prefixRoutes.set(prefix, proxyTo(() => origin));

    const stage: Stage = {
      product,
      controlPlane,
      host,
      operator: ops,
      async entryFor(userId) {
        const res = await fetch(`${origin}/api/v1/console-version?products=${product}&userId=${encodeURIComponent(userId)}`);
        if (!res.ok) throw new Error(`console-version for ${userId}: HTTP ${res.status} ${await res.text()}`);
        const entry = ((await res.json()) as { products: Record<string, ManifestEntry> }).products[product];
        if (!entry) throw new Error(`the control plane has no build of ${product} for ${userId}`);
        return entry;
      },
      stop,
    };
    return stage;
  } catch (error) {
    await stop();
    throw error;
  }
}
