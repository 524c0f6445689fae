import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { FinchError } from '../../core/FinchError.js';
import { archiveEntryPath } from './archivePath.js';
import { byteBudget } from './byteBudget.js';
import { tarEnd } from './tarEnd.js';

export interface UnpackLimits {
  /** Files and directories together. @default 10,000 */
  maxEntries: number;
  /** Sum of the unpacked file sizes. @default 256 MiB */
  maxTotalBytes: number;
  /** The gzip body as sent. @default 100 MiB */
  maxCompressedBytes: number;
  /**
   * Every byte gunzip produces: files, headers, padding, PAX records, and what follows the end of the
   * archive. Bounds the work one upload costs, whatever the archive holds. @default 288 MiB
   */
  maxInflatedBytes: number;
  /** Bytes after the tar's end-of-archive marker (tar pads to its record size). @default 1 MiB */
  maxTrailingBytes: number;
}

export const DEFAULT_LIMITS: UnpackLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 256 * 1024 * 1024,
  maxCompressedBytes: 100 * 1024 * 1024,
  // The files, plus room for 10,000 headers with their padding and PAX records.
  maxInflatedBytes: (256 + 32) * 1024 * 1024,
  // GNU tar's largest usual record (blocking factor 2048); the default record is 10 KiB.
  maxTrailingBytes: 1024 * 1024,
};

export interface UnpackedRelease {
  /** Every stored file, relative, sorted. */
  files: string[];
  /** file → `sha384-<base64>` (SRI). */
  integrity: Record<string, string>;
  totalBytes: number;
}

function refuse(reason: string, entry?: string): FinchError {
  const where = entry === undefined ? '' : ` (entry ${JSON.stringify(entry.slice(0, 200))})`;
  return new FinchError(
    'invalid-archive',
    `Failed to unpack the build: ${reason}${where}. Send a tar.gz of plain files and directories with relative paths.`,
    entry === undefined ? { reason } : { reason, entry: entry.slice(0, 200) },
  );
}

function tooLarge(what: string, details: Record<string, unknown> = {}): FinchError {
  return new FinchError('payload-too-large', `Failed to unpack the build: ${what}. Make the build smaller.`, { reason: what, ...details });
}

/**
 * Unpacks a gzip-compressed tar stream into the empty directory `dest`, checking every entry before a
 * byte is written: only regular files and directories (no symlinks, hard links, devices, FIFOs), safe
 * relative names, limits on count and size. Computes sha384 of each file while writing it. Throws
 * `invalid-archive` or `payload-too-large`; then `dest` holds an unknown part and the caller removes it.
 * `source` is only read, never destroyed: an HTTP request must stay open for the answer.
 */
export async function unpackTarGz(source: Readable, dest: string, limits: UnpackLimits = DEFAULT_LIMITS): Promise<UnpackedRelease> {
  const compressed = byteBudget(limits.maxCompressedBytes, () => tooLarge(`the upload is over ${limits.maxCompressedBytes} bytes`));
  const gunzip = createGunzip();
  const inflated = byteBudget(limits.maxInflatedBytes, (seen) =>
    tooLarge(`the archive inflates to more than ${limits.maxInflatedBytes} bytes`, { inflatedBytes: seen, limit: limits.maxInflatedBytes }));
  const end = tarEnd(limits.maxTrailingBytes, (trailing) =>
    tooLarge(`more than ${limits.maxTrailingBytes} bytes follow the end of the tar archive`, { trailingBytes: trailing, limit: limits.maxTrailingBytes }));
  const extract = tar.extract();
  // pipe() does not pass errors on (a client that goes away). The listener stays: an error emitted
  // with none would crash the process, and destroying a destroyed stream does nothing.
  source.on('error', (err) => compressed.destroy(err));
  source.pipe(compressed);
  const feeding = pipeline(compressed, gunzip, inflated, end, extract);
  // The consumer below reports the first error; this keeps the feeder's own rejection from going unhandled.
  let feedError: unknown = null;
  feeding.catch((err: unknown) => {
    feedError ??= err;
  });

  const integrity: Record<string, string> = {};
  const dirs = new Set<string>();
  let entries = 0;
  let total = 0;
  try {
    for await (const entry of extract) {
      const h = entry.header;
      entries++;
      if (entries > limits.maxEntries) throw tooLarge(`more than ${limits.maxEntries} entries`);
      const type = h.type;
      if (type !== 'file' && type !== 'contiguous-file' && type !== 'directory') {
        throw refuse(type === null || type === undefined ? 'an entry of an unknown type' : `${type} entries are not allowed`, h.name);
      }
      // The name is what a URL will carry; see onlyPrintableAscii.
      if (!onlyPrintableAscii(h.name)) throw refuse('a name that is not printable ASCII', h.name);
      if (type !== 'directory' && h.name.endsWith('/')) throw refuse('a file whose name ends with "/"', h.name);
      // tar-stream reads no data for a directory: bytes it carries would be parsed as further headers.
      if (type === 'directory' && (h.size ?? 0) > 0) throw refuse('a directory entry that carries data', h.name);
      const checked = archiveEntryPath(h.name);
      if (!checked.ok) throw refuse(checked.reason, h.name);
      const rel = checked.path;
      if (type === 'directory') {
        entry.resume();
        if (rel !== '') {
          if (Object.hasOwn(integrity, rel)) throw refuse('a directory has the name of a file', h.name);
          await mkdir(path.join(dest, ...rel.split('/')), { recursive: true, mode: 0o755 });
          dirs.add(rel);
        }
        continue;
      }
      if (rel === '') throw refuse('a file without a name', h.name);
      if (Object.hasOwn(integrity, rel) || dirs.has(rel)) throw refuse('duplicate entry', h.name);
      const size = h.size ?? 0;
      if (total + size > limits.maxTotalBytes) throw tooLarge(`the unpacked files are over ${limits.maxTotalBytes} bytes`);
      const target = path.join(dest, ...rel.split('/'));
      await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      for (let d = path.dirname(rel); d !== '.'; d = path.dirname(d)) dirs.add(d);
      const hash = createHash('sha384');
      // 'wx': never follow or overwrite anything already there.
      const fh = await open(target, 'wx', 0o644);
      try {
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > limits.maxTotalBytes) throw tooLarge(`the unpacked files are over ${limits.maxTotalBytes} bytes`);
          hash.update(chunk);
          await fh.write(chunk);
        }
      } finally {
        await fh.close();
      }
      integrity[rel] = `sha384-${hash.digest('base64')}`;
    }
    // Also checks the gzip trailer (CRC and length) and what follows the archive's end.
    await feeding;
  } catch (err) {
    source.unpipe(compressed);
    for (const s of [compressed, gunzip, inflated, end]) s.destroy();
    extract.destroy();
    await feeding.catch(() => {});
    throw asArchiveError(err, feedError);
  }
  const files = Object.keys(integrity).sort();
  if (files.length === 0) throw refuse('the archive has no files');
  return { files, integrity, totalBytes: total };
}

/**
 * Names are printable ASCII. A URL carries any other character percent-encoded while the manifest
 * names the file as stored, so both sides would have to agree on one form (NFC or NFD, invalid UTF-8
 * read as U+FFFD making two names one); and bidirectional controls can disguise a name. Build tools
 * write ASCII names.
 */
function onlyPrintableAscii(name: string): boolean {
  return /^[\x20-\x7e]*$/.test(name);
}

/**
 * What to tell the caller. Our own refusals stand. Errors of the file system while writing mean two
 * entries collide on disk (anything else is ours: a 500). Everything else failed while inflating or
 * parsing, whichever stream noticed first, so the body is not a whole tar.gz.
 */
function asArchiveError(err: unknown, feedError: unknown): Error {
  if (err instanceof FinchError) return err;
  if (feedError instanceof FinchError) return feedError;
  const syscall = (err as { syscall?: unknown }).syscall;
  const code = (err as { code?: unknown }).code;
  if (typeof syscall === 'string') {
    if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') return refuse('entries collide on disk');
    return err as Error;
  }
  const cause = feedError ?? err;
  const fcode = (cause as { code?: unknown }).code;
  if (typeof fcode === 'string' && fcode.startsWith('Z_')) return refuse('the body is not complete gzip data');
  const message = cause instanceof Error ? cause.message : String(cause);
  return refuse(`not a complete, valid tar archive (${message.slice(0, 200)})`);
}
