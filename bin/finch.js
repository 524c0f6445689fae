#!/usr/bin/env node
// The `finch` command; the code is compiled from server/cli.ts by `npm run build`.
import { main } from '../dist/node/server/cli.js';

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; },
);
