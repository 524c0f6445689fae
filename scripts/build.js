// `npm run build`: type-check every room with its own tsconfig, compile the server for Node,
// bundle the browser files, and emit the browser packages' type declarations.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const bin = (name) => `node_modules/.bin/${name}`;

rmSync('dist', { recursive: true, force: true });
run(bin('tsc'), ['-p', 'core']);
run(bin('tsc'), ['-p', 'server']);
for (const room of ['sdk', 'sw']) {
  run(bin('tsc'), ['-p', room, '--noEmit', 'false', '--emitDeclarationOnly', '--rootDir', '.', '--outDir', 'dist/types']);
}
run(bin('rollup'), ['-c', '--silent']);
