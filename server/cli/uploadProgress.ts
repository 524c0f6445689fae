/**
 * Sending a build archive with visible progress: a bar on a terminal (cli-progress), and in logs (CI)
 * a line at each quarter, since a redrawn bar there is one line per redraw.
 */
import cliProgress from 'cli-progress';
import { formatBytes } from '../../core/formatBytes.js';

/** Bytes per chunk handed to fetch: small enough for a smooth bar, large enough to cost nothing. */
const CHUNK = 64 * 1024;

export interface ProgressOut {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A request body that reports each chunk as fetch pulls it. */
export function bodyWithProgress(archive: Buffer, onSent: (bytes: number) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= archive.length) {
        controller.close();
        return;
      }
      const chunk = archive.subarray(offset, offset + CHUNK);
      offset += chunk.length;
      controller.enqueue(chunk);
      onSent(offset);
    },
  });
}

/** A progress reporter for `total` bytes on `out` (a bar on a TTY, plain lines otherwise). */
export function uploadReporter(total: number, out: ProgressOut): { sent(bytes: number): void; stop(): void } {
  if (out.isTTY === true) {
    const bar = new cliProgress.SingleBar({
      format: 'uploading [{bar}] {percentage}% | {done} of {size}',
      stream: out as unknown as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
    }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { done: formatBytes(0), size: formatBytes(total) });
    return {
      sent: (bytes) => bar.update(bytes, { done: formatBytes(bytes) }),
      stop: () => bar.stop(),
    };
  }
  let reported = -1;
  return {
    sent(bytes) {
      const quarter = Math.floor((bytes / Math.max(total, 1)) * 4);
      if (quarter > reported) {
        reported = quarter;
        out.write(`uploading: ${quarter * 25}% (${formatBytes(bytes)} of ${formatBytes(total)})\n`);
      }
    },
    stop: () => undefined,
  };
}
