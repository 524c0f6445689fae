/** Helpers shared by the server's build tests: tar.gz archives (good and hostile), counts, and listings. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { TestServer } from '../harness.js';

export interface TarEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  content?: string | Buffer;
  linkname?: string;
}

/** Packs entries into a tar and gzips it. */
export async function tarGz(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = type === 'file' ? Buffer.from(e.content ?? '') : undefined;
    await new Promise<void>((resolve, reject) => {
      const header = { name: e.name, type, mode: type === 'directory' ? 0o755 : 0o644, ...(body ? { size: body.length } : {}), ...(e.linkname ? { linkname: e.linkname } : {}) };
      const cb = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (body) pack.entry(header, body, cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

/**
 * The start of an archive whose single entry claims `size` bytes: only its header and a little data.
 * Enough to prove the size limit is checked from the header, before anything is written.
 */
export async function tarGzClaiming(name: string, size: number): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  let length = 0;
  // The header block and the data written so far: wait for those bytes to come out of the packer.
  const packed = new Promise<void>((resolve) => {
    pack.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
      length += (c as Buffer).length;
      if (length >= 512 + 4096) resolve();
    });
  });
  const stream = pack.entry({ name, size, type: 'file' });
  stream.write(Buffer.alloc(4096, 0x61));
  await packed;
  return gzipSync(Buffer.concat(chunks));
}

/** Every file and directory below `dir` (relative), or [] when it does not exist. */
export async function listTree(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
  } catch {
    return [];
  }
}

export async function auditCount(s: TestServer): Promise<number> {
  const r = await s.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit');
  return Number(r.rows[0]?.n);
}

export async function upload(s: TestServer, id: number, body: Buffer | string, headers: Record<string, string>, contentType = 'application/gzip') {
  return s.inject({ method: 'PUT', url: `/api/v1/resources/${id}/files`, payload: body, headers: { 'content-type': contentType, ...headers } });
}

/** Creates a product (admin) and a resource to upload into (publish); returns the resource id. */
export async function newResource(s: TestServer, product: string, version: string, extra: Record<string, unknown> = {}): Promise<number> {
  const p = await s.call('POST', '/api/v1/products', { name: product }, s.auth.admin);
  if (p.statusCode !== 201 && p.statusCode !== 409) throw new Error(`product ${product}: ${p.statusCode} ${p.body}`);
  const r = await s.call('POST', '/api/v1/resources', { product, version, ...extra }, s.auth.publish);
  if (r.statusCode !== 201) throw new Error(`resource ${product}@${version}: ${r.statusCode} ${r.body}`);
  return (r.json() as { id: number }).id;
}
