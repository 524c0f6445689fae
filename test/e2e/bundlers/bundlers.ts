// The fixture apps of test/fixtures/apps/ and how each is built: the real bundler, in a child process,
// as a CI job runs it. One row per bundler, so every browser flow runs for each.
import { runNode, type NodeRun } from '../harness/index.js';

const APPS = 'test/fixtures/apps/';
const VITE = 'node_modules/vite/bin/vite.js';

export interface Bundler {
  /** As test names say it. */
  name: string;
  /** The product the app is published as: the name its Finch plugin is given. */
  product: string;
  /** Builds the app showing `version` into `outDir`; rejects with the bundler's output on failure. */
  build(version: string, outDir: string): Promise<void>;
}

/** `vite build` of a fixture; `args` go to Vite's command line (like `--base /x/`). */
export function viteBuild(app: string, outDir: string, env: Record<string, string> = {}, args: readonly string[] = []): Promise<NodeRun> {
  return runNode(VITE, ['build', APPS + app, '--outDir', outDir, '--emptyOutDir', ...args], env);
}

function succeeded(what: string, run: NodeRun): void {
  if (run.code !== 0) throw new Error(`${what} failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
}

export const VITE_REACT: Bundler = {
  name: 'Vite + React',
  product: 'vite-react',
  async build(version, outDir) {
    // Vite hands VITE_* variables of the environment to the app as import.meta.env.
    succeeded(`vite build of vite-react ${version}`, await viteBuild('vite-react', outDir, { VITE_APP_VERSION: version }));
  },
};

export const WEBPACK_APP: Bundler = {
  name: 'webpack',
  product: 'webpack-app',
  async build(version, outDir) {
    succeeded(`webpack build of webpack-app ${version}`, await runNode(APPS + 'webpack-app/build.js', [outDir], { APP_VERSION: version }));
  },
};

export const BUNDLERS: readonly Bundler[] = [VITE_REACT, WEBPACK_APP];

/** A host page of test/fixtures/apps/ (vite-host unless named), bundled by Vite into `outDir`. */
export async function buildHost(outDir: string, host = 'vite-host'): Promise<void> {
  succeeded(`vite build of ${host}`, await viteBuild(host, outDir));
}
