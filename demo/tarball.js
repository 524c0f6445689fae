// Packs one build directory into the tar.gz body that `PUT /api/v1/resources/{id}/files` takes.
// Entries are sorted and their times fixed, so the same build always gives the same bytes.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** The files of `dir`, relative and sorted, for the `files` list of a resource. */
export async function listBuildFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1).split('\\').join('/'))
    .sort();
}

/** @returns {Promise<Buffer>} a gzip-compressed tar of every file under `dir` */
export async function packBuild(dir) {
  const pack = tar.pack();
  const chunks = [];
  pack.on('data', (c) => chunks.push(c));
  const done = new Promise((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const name of await listBuildFiles(dir)) {
    const body = await readFile(join(dir, name));
    await new Promise((resolve, reject) => {
      pack.entry({ name, size: body.length, mode: 0o644, mtime: new Date(0) }, body, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}
