/** `bin/finch.js` on the TypeScript source, so the tests run the real command line without a build. */
import { main } from '../../../server/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
