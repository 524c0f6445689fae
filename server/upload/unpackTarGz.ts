import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { FinchError } from '../../core/FinchError.js';
import { archiveEntryPath } from './archivePath.js';

export interface UnpackLimits {
  /** Files and directories together. @default 10,000 */
  maxEntries: number;
  /** Sum of the unpacked file sizes. @default 256 MiB */
  maxTotalBytes: number;
  /** The gzip body as sent. @default 100 MiB */
  maxCompressedBytes: number;
}

export const DEFAULT_LIMITS: UnpackLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 256 * 1024 * 1024,
  maxCompressedBytes: 100 * 1024 * 1024,
};

export interface UnpackedRelease {
  /** Every stored file, relative, sorted. */
  files: string[];
  /** file → `sha384-<base64>` (SRI). */
  integrity: Record<string, string>;
  totalBytes: number;
}

function refuse(reason: string, entry?: string): FinchError {
  const where = entry === undefined ? '' : ` (entry "${entry.slice(0, 200)}")`;
  return new FinchError(
    'invalid-archive',
    `Failed to unpack the build: ${reason}${where}. Send a tar.gz of plain files and directories with relative paths.`,
    entry === undefined ? { reason } : { reason, entry: entry.slice(0, 200) },
  );
}

function tooLarge(what: string): FinchError {
  return new FinchError('payload-too-large', `Failed to unpack the build: ${what}. Make the build smaller.`);
}

/**
 * Unpacks a gzip-compressed tar stream into the empty directory `dest`, checking every entry before a
 * byte is written: only regular files and directories (no symlinks, hard links, devices, FIFOs), safe
 * relative names, limits on count and size. Computes sha384 of each file while writing it. Throws
 * `invalid-archive` or `payload-too-large`; then `dest` holds an unknown part and the caller removes it.
 */
export async function unpackTarGz(source: Readable, dest: string, limits: UnpackLimits = DEFAULT_LIMITS): Promise<UnpackedRelease> {
  let compressed = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      compressed += chunk.length;
      if (compressed > limits.maxCompressedBytes) done(tooLarge(`the upload is over ${limits.maxCompressedBytes} bytes`));
      else done(null, chunk);
    },
  });
  const gunzip = createGunzip();
  const extract = tar.extract();
  const feeding = pipeline(source, counter, gunzip, extract);
  // The consumer below reports the first error; this keeps the feeder's own rejection from going unhandled.
  feeding.catch(() => {});

  const integrity: Record<string, string> = {};
  const dirs = new Set<string>();
  let entries = 0;
  let total = 0;
  try {
    for await (const entry of extract) {
      const h = entry.header;
      entries++;
      if (entries > limits.maxEntries) throw tooLarge(`more than ${limits.maxEntries} entries`);
      const type = h.type ?? 'file';
      if (type !== 'file' && type !== 'contiguous-file' && type !== 'directory') {
        throw refuse(`${type} entries are not allowed`, h.name);
      }
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
      const parent = path.dirname(target);
      await mkdir(parent, { recursive: true, mode: 0o755 });
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
    await feeding;
  } catch (err) {
    extract.destroy();
    gunzip.destroy();
    counter.destroy();
    await feeding.catch(() => {});
    throw asArchiveError(err);
  }
  const files = Object.keys(integrity).sort();
  if (files.length === 0) throw refuse('the archive has no files');
  return { files, integrity, totalBytes: total };
}

function asArchiveError(err: unknown): Error {
  if (err instanceof FinchError) return err;
  const code = (err as { code?: unknown }).code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return refuse('the body is not gzip data');
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') return refuse('entries collide on disk');
  if (err instanceof Error && /tar|header|unexpected end/i.test(err.message)) return refuse(`not a valid tar archive (${err.message})`);
  return err instanceof Error ? err : new Error(String(err));
}
