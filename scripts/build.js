// `npm run build`: type-check every room with its own tsconfig, compile the server for Node,
// bundle the browser files, emit their type declarations, and fill the browser package finch-gray.
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { packBrowser } from './packBrowser.js';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const bin = (name) => `node_modules/.bin/${name}`;

// dist/ is overwritten in place, not wiped first: browser tests and the demo may be reading it.
run(bin('tsc'), ['-p', 'core']);
run(bin('tsc'), ['-p', 'server']);
// tsc copies no SQL: the compiled server reads its migrations next to itself.
cpSync('server/db/migrations', 'dist/node/server/db/migrations', { recursive: true });
// The initialised PGlite cluster a first `finch serve` unpacks instead of running initdb
// (server/db/clusterTemplate.ts). Made once per PGlite version, in a process of its own: initdb holds
// ~800 MB while it runs, and the build should not keep that.
run(process.execPath, ['--input-type=module', '-e', "await (await import('./dist/node/server/db/clusterTemplate.js')).ensureClusterTemplate()"]);
for (const room of ['sdk', 'sw', 'bundler']) {
  run(bin('tsc'), ['-p', room, '--noEmit', 'false', '--emitDeclarationOnly', '--rootDir', '.', '--outDir', 'dist/types']);
}
run(bin('rollup'), ['-c', '--silent']);
packBrowser();
