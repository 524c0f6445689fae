/**
 * Tar archives written byte by byte, for the malformed ones no packer writes: bad checksums, sizes
 * that lie, PAX records, names with NUL or invalid UTF-8, type flags tar-stream does not know.
 */
import { gzipSync } from 'node:zlib';

const BLOCK = 512;

export interface RawHeader {
  /** Raw bytes of the 100-byte name field (a string is written as UTF-8). */
  name: string | Buffer;
  /** Written in the size field, as octal. @default 0 */
  size?: number;
  /** The type flag, one character: '0' file, '5' directory, 'x' PAX, 'S' sparse… @default '0' */
  type?: string;
  /** Store a checksum one off. */
  badChecksum?: boolean;
}

export function rawHeader(h: RawHeader): Buffer {
  const b = Buffer.alloc(BLOCK);
  (typeof h.name === 'string' ? Buffer.from(h.name, 'utf8') : h.name).copy(b, 0, 0, 100);
  b.write('0000644\0', 100, 'latin1');
  b.write('0000000\0', 108, 'latin1');
  b.write('0000000\0', 116, 'latin1');
  b.write(`${(h.size ?? 0).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  b.write('00000000000\0', 136, 'latin1');
  b.write(h.type ?? '0', 156, 'latin1');
  b.write('ustar\u000000', 257, 'latin1');
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  if (h.badChecksum) sum += 1;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return b;
}

const pad = (n: number): Buffer => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

/** A header followed by its data, padded to whole blocks; the size field says `size` (default: the data's). */
export function rawEntry(h: RawHeader, data: Buffer | string = ''): Buffer {
  const body = Buffer.from(data);
  return Buffer.concat([rawHeader({ ...h, size: h.size ?? body.length }), body, pad(body.length)]);
}

/** A PAX extended header ('x') with these records; it applies to the entry after it. */
export function paxEntry(records: Record<string, string>, type = 'x'): Buffer {
  let text = '';
  for (const [k, v] of Object.entries(records)) {
    const rest = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
    text += `${len}${rest}`;
  }
  return rawEntry({ name: 'PaxHeader', type }, text);
}

/** The end-of-archive marker: two empty blocks. */
export const END = Buffer.alloc(2 * BLOCK);

/** Gzips the parts as one stream. */
export function gz(...parts: Buffer[]): Buffer {
  return gzipSync(Buffer.concat(parts));
}

/**
 * `count` gzip members, each inflating to `bytes` bytes of `part` repeated, after `head`: gunzip reads
 * concatenated members as one stream, so a body of about `count` × 20 KiB inflates to `count` × `bytes`.
 */
export function gzBomb(head: Buffer, part: Buffer, bytes: number, count: number): Buffer {
  const member = gzipSync(Buffer.concat(Array.from({ length: Math.ceil(bytes / part.length) }, () => part)));
  return Buffer.concat([gzipSync(head), ...Array.from({ length: count }, () => member)]);
}
