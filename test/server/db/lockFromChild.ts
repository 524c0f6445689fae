/**
 * Another process for the data-directory lock tests.
 * Usage: node --import tsx test/server/db/lockFromChild.ts <dir> try|hold
 * `try` takes the lock once and prints `{"ok":true}` or `{"code","holder"}`; `hold` takes it, prints
 * `held <pid>` and waits to be killed.
 */
import { isFinchError } from '../../../core/FinchError.js';
import { lockDataDir } from '../../../server/db/dataDirLock.js';

const [dir, mode] = process.argv.slice(2);
if (dir === undefined || (mode !== 'try' && mode !== 'hold')) throw new Error('usage: lockFromChild.ts <dir> try|hold');
try {
  const lock = await lockDataDir(dir, { command: `lock test ${mode}` });
  if (mode === 'hold') {
    console.log(`held ${process.pid}`);
    setInterval(() => undefined, 60_000);
  } else {
    console.log(JSON.stringify({ ok: true }));
    await lock.release();
  }
} catch (err) {
  if (!isFinchError(err)) throw err;
  console.log(JSON.stringify({ code: err.code, holder: err.details['holder'], message: err.message }));
}
