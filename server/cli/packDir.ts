import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { FinchError } from '../../core/FinchError.js';

export interface BuildDir {
  /** Relative paths with `/`, sorted. */
  files: string[];
  /** file → `sha384-…`. */
  integrity: Record<string, string>;
  read(file: string): Promise<Buffer>;
}

/** Reads a build folder: every regular file with its sha384. Links are refused (they would not be stored). */
export async function readBuildDir(dir: string): Promise<BuildDir> {
  const root = path.resolve(dir);
  const files: string[] = [];
  const integrity: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      const info = await lstat(path.join(root, child));
      if (info.isDirectory()) await walk(child);
      else if (info.isFile()) {
        files.push(child);
        integrity[child] = `sha384-${createHash('sha384').update(await readFile(path.join(root, child))).digest('base64')}`;
      } else {
        throw new FinchError('invalid-input', `Failed to read the build: "${child}" is not a plain file or folder (links are not published). Copy the file instead.`);
      }
    }
  };
  await walk('');
  if (files.length === 0) throw new FinchError('invalid-input', `Failed to read the build: ${root} has no files.`);
  files.sort();
  return { files, integrity, read: (f) => readFile(path.join(root, ...f.split('/'))) };
}

/** A tar.gz of the build, deterministic (fixed times and modes) so the same folder gives the same bytes. */
export async function packBuild(build: BuildDir): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const f of build.files) {
    const body = await build.read(f);
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name: f, size: body.length, mode: 0o644, mtime: new Date(0), type: 'file' }, body, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}
