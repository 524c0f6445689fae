import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { FinchError } from '../../core/FinchError.js';

export interface BuildDir {
  /** Relative paths with `/`, sorted. */
  files: string[];
  /** file → size in bytes. */
  sizes: Record<string, number>;
  read(file: string): Promise<Buffer>;
  readText(file: string): Promise<string>;
}

/** Lists a build folder: every regular file with its size. Links are refused (they would not be stored). */
export async function readBuildDir(dir: string): Promise<BuildDir> {
  const root = path.resolve(dir);
  const files: string[] = [];
  const sizes: Record<string, number> = {};
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      throw new FinchError('invalid-input', `Failed to read the build: ${path.join(root, rel)} is not a readable folder (${err.code ?? err.message}). Check --dir.`);
    });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      const info = await lstat(path.join(root, child));
      if (info.isDirectory()) await walk(child);
      else if (info.isFile()) {
        files.push(child);
        sizes[child] = info.size;
      } else {
        throw new FinchError('invalid-input', `Failed to read the build: "${child}" is not a plain file or folder (links are not published). Copy the file instead.`);
      }
    }
  };
  await walk('');
  if (files.length === 0) throw new FinchError('invalid-input', `Failed to read the build: ${root} has no files.`);
  files.sort();
  const read = (f: string): Promise<Buffer> => readFile(path.join(root, ...f.split('/')));
  return { files, sizes, read, readText: async (f) => (await read(f)).toString('utf8') };
}

/** file → `sha384-…` for each of `files`. */
export async function hashFiles(build: BuildDir, files: readonly string[]): Promise<Record<string, string>> {
  const integrity: Record<string, string> = {};
  for (const f of files) integrity[f] = `sha384-${createHash('sha384').update(await build.read(f)).digest('base64')}`;
  return integrity;
}

/** A tar.gz of `files`, deterministic (fixed times and modes) so the same folder gives the same bytes. */
export async function packBuild(build: BuildDir, files: readonly string[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const f of files) {
    const body = await build.read(f);
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name: f, size: body.length, mode: 0o644, mtime: new Date(0), type: 'file' }, body, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}
