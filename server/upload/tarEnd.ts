import { Transform } from 'node:stream';

const BLOCK = 512;
/** tar-stream refuses PAX and GNU long-name headers above this size; no need to read more of one. */
const MAX_LONG_HEADER = 4 * 1024 * 1024;

/** Zero but for the checksum field: what tar-stream, like tar itself, takes for an empty header block. */
function isZeroBlock(b: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0 && (i < 148 || i >= 156)) return false;
  return true;
}

/** A numeric header field as tar-stream reads it: base-256 when the top bit is set, else octal text. */
function numberField(b: Buffer, at: number, len: number): number {
  const f = b.subarray(at, at + len);
  if ((f[0] ?? 0) & 0x80) {
    let n = 0;
    for (let i = 1; i < f.length; i++) n = n * 256 + (f[i] ?? 0);
    return n;
  }
  const text = f.toString('latin1').replace(/^ +/, '').split(' ')[0]!.replace(/^\0+/, '');
  const n = text === '' ? 0 : parseInt(text, 8);
  return Number.isFinite(n) ? n : 0;
}

/** `len key=value\n` records, read the way tar-stream reads them (it decides an entry's size). */
function paxRecords(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = buf;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    const len = parseInt(rest.subarray(0, space === -1 ? rest.length : space).toString('latin1'), 10);
    if (!len) return out;
    const record = rest.subarray(space + 1, len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq === -1) return out;
    out[record.slice(0, eq)] = record.slice(eq + 1);
    rest = rest.subarray(len);
  }
  return out;
}

const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/**
 * Passes a tar stream through up to its end-of-archive marker (two empty header blocks), then ends
 * its output: whatever follows is read but dropped, and more than `maxTrailing` bytes of it fails the
 * stream with `tooMuch()`. The parser downstream never walks through megabytes of zeros after the end.
 *
 * It follows the archive's layout the way tar-stream does (entry sizes, PAX `size` records, GNU long
 * names, directory entries read without data). Should the two ever disagree, the output ends inside an entry and
 * the parser refuses the archive: an odd archive is refused, never stored wrong.
 */
export function tarEnd(maxTrailing: number, tooMuch: (trailing: number) => Error): Transform {
  const header = Buffer.alloc(BLOCK);
  let filled = 0;
  /** Bytes of entry data (with padding) before the next header. */
  let skip = 0;
  /** The data of a PAX header being read, to learn the size of the entry it describes. */
  let pax: { global: boolean; parts: Buffer[]; size: number } | null = null;
  let paxGlobal: Record<string, string> | null = null;
  let paxLocal: Record<string, string> | null = null;
  let zeroBlocks = 0;
  let ended = false;
  let trailing = 0;

  function readHeader(): void {
    if (isZeroBlock(header)) {
      if (++zeroBlocks === 2) ended = true;
      return;
    }
    zeroBlocks = 0;
    const flag = header[156] ?? 0;
    const size = numberField(header, 124, 12);
    if (flag === 0x78 || flag === 0x67) {
      // 'x' (this entry) or 'g' (all later entries): records that may override the next entry's size.
      skip = size + padding(size);
      pax = size <= MAX_LONG_HEADER ? { global: flag === 0x67, parts: [], size } : null;
      return;
    }
    if (flag === 0x4c || flag === 0x4b || flag === 0x4e) {
      skip = size + padding(size); // GNU long name or link name
      return;
    }
    let dataSize = size;
    if (paxLocal !== null) {
      if (paxLocal['size']) dataSize = parseInt(paxLocal['size'], 10);
      paxLocal = null;
    }
    // tar-stream reads no data for a directory ('5'), whatever its size says.
    skip = flag === 0x35 || !(dataSize > 0) ? 0 : dataSize + padding(dataSize);
  }

  function paxRead(): void {
    if (pax === null) return;
    const records = paxRecords(Buffer.concat(pax.parts).subarray(0, pax.size));
    if (pax.global) paxGlobal = records;
    else paxLocal = paxGlobal === null ? records : { ...paxGlobal, ...records };
    pax = null;
  }

  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (ended) {
        trailing += chunk.length;
        done(trailing > maxTrailing ? tooMuch(trailing) : null);
        return;
      }
      let at = 0;
      while (at < chunk.length && !ended) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - at);
          pax?.parts.push(chunk.subarray(at, at + n));
          at += n;
          skip -= n;
          if (skip === 0) paxRead();
          continue;
        }
        const n = Math.min(BLOCK - filled, chunk.length - at);
        chunk.copy(header, filled, at, at + n);
        filled += n;
        at += n;
        if (filled === BLOCK) {
          filled = 0;
          readHeader();
          if (skip === 0) paxRead();
        }
      }
      if (!ended) {
        done(null, chunk);
        return;
      }
      this.push(chunk.subarray(0, at));
      this.push(null);
      trailing = chunk.length - at;
      done(trailing > maxTrailing ? tooMuch(trailing) : null);
    },
  });
}
