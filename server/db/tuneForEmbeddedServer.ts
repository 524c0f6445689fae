/**
 * V8 settings for a long-running server process beside PGlite (`finch serve`, the demo). Process-wide,
 * so only the process that owns its whole life may set them: short commands (`finch migrate`, `finch
 * token create`) and test runs keep V8's defaults.
 */
import v8 from 'node:v8';
import { capYoungGeneration } from './capYoungGeneration.js';

let tuned = false;

/**
 * The JS young generation's cap next to PGlite (both semi-spaces). Left alone it grew to 32 MB in the
 * snapshot compile and under load, on top of PGlite's ~55 MB, and made the server's peak. At 8 MB
 * scavenges cost getConsoleVersion ~2 µs more per request, lost in the noise of its throughput. With
 * PostgreSQL there is no PGlite to make room for, so V8 keeps its default.
 */
const YOUNG_GENERATION_BYTES = 8 * 1024 * 1024;

/**
 * Tunes V8 for serving from the embedded database. Call it before the database opens (the WASM
 * compiler setting applies to modules compiled later), and not on PostgreSQL, where V8 keeps its
 * defaults. Once per process.
 * @example if (config.databaseUrl === null) tuneForEmbeddedServer();
 */
export function tuneForEmbeddedServer(): void {
  if (tuned) return;
  tuned = true;
  // V8 compiles PGlite's 9 MB of WASM with its baseline compiler, then again with TurboFan for hot
  // functions and keeps both: 30 to 60 MB more resident memory. Finch queries only on writes and
  // snapshot loads, where the baseline code measured as fast or faster, so the optimizing tier is off.
  v8.setFlagsFromString('--liftoff-only');
  capYoungGeneration(YOUNG_GENERATION_BYTES);
}
