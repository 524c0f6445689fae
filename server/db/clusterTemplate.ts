/**
 * A pre-initialised PGlite cluster, made once at build time, that a first start unpacks instead of
 * running initdb. PGlite's initdb runs a second PostgreSQL in a second WASM instance: the process then
 * peaks near 700 MB and, WASM memory never being returned, keeps much of it. Unpacking a 4.5 MB
 * tar.gz as a stream costs next to nothing, and the server then starts as on a restart.
 */
import { createReadStream, createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';

const TEMPLATE_PREFIX = 'pglite-cluster-';

/** The installed PGlite's version: a cluster is only valid for the PostgreSQL build that made it. */
export function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function templateName(): string {
  return `${TEMPLATE_PREFIX}${pgliteVersion()}.tar.gz`;
}

/** Where the build writes it: next to this module, which is `dist/node/server/db/` once compiled. */
export function builtTemplatePath(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), templateName());
}

/**
 * The template for the installed PGlite, or null when there is none (a source checkout that was never
 * built, or a build made with another PGlite): the first start then runs initdb as PGlite does itself.
 */
export function findClusterTemplate(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, templateName()), path.resolve(here, '../../dist/node/server/db', templateName())];
  return candidates.find((f) => existsSync(f)) ?? null;
}

/**
 * Runs initdb in an in-memory PGlite and writes the cluster as a tar.gz. Holds ~800 MB while it runs:
 * call it in a process of its own (the build does), never in a server.
 * @example await writeClusterTemplate(builtTemplatePath())
 */
export async function writeClusterTemplate(file: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create();
  try {
    const blob = await pg.dumpDataDir('gzip');
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
    await rename(tmp, file);
  } finally {
    await pg.close();
  }
}

/** Builds the template unless this PGlite's is already there, and removes templates of other versions. */
export async function ensureClusterTemplate(log: (message: string) => void = console.log): Promise<string> {
  const file = builtTemplatePath();
  const dir = path.dirname(file);
  for (const old of readdirSync(dir)) {
    if (old.startsWith(TEMPLATE_PREFIX) && old !== path.basename(file)) await rm(path.join(dir, old), { force: true });
  }
  if (existsSync(file)) return file;
  await writeClusterTemplate(file);
  log(`finch: wrote the initialised database cluster ${path.relative(process.cwd(), file)}`);
  return file;
}

/**
 * A path inside the archive, made relative; null for anything that could land outside the cluster
 * and for `postmaster.pid`, which the dump copies from the instance that made it.
 */
function entryPath(name: string): string | null {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..') || parts.some((p) => p.includes('\\'))) return null;
  if (parts.length === 1 && parts[0] === 'postmaster.pid') return null;
  return parts.join(path.sep);
}

/**
 * Unpacks the template into `dir`, which must not exist yet, as a stream (never the whole cluster in
 * memory). It is unpacked beside `dir` and renamed into place, so a crash half-way never leaves a
 * partial cluster that PGlite would take for a database. The caller holds the data directory's lock.
 */
export async function unpackClusterTemplate(template: string, dir: string): Promise<void> {
  const staging = `${dir}.unpacking`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true, mode: 0o700 });
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const rel = entryPath(header.name);
    const target = rel === null ? null : path.join(staging, rel);
    const mode = (header.mode ?? 0o600) & 0o700;
    const write = async (): Promise<void> => {
      if (target === null) {
        stream.resume();
        await new Promise<void>((resolve) => stream.once('end', () => resolve()));
      } else if (header.type === 'directory') {
        await mkdir(target, { recursive: true, mode: mode | 0o700 });
        stream.resume();
      } else if (header.type === 'file') {
        await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        await pipeline(stream, createWriteStream(target, { mode: mode | 0o600 }));
      } else {
        throw new Error(`unexpected ${header.type} entry "${header.name}"`);
      }
    };
    write().then(() => next(), (err: unknown) => next(err as Error));
  });
  try {
    await pipeline(createReadStream(template), createGunzip(), extract);
    // An empty `dir` may be there (made by hand, or by an earlier start); rmdir refuses anything more.
    await rmdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(staging, dir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`Failed to unpack the initialised database ${template}: ${err instanceof Error ? err.message : String(err)}. Rebuild Finch (npm run build) or remove the file to let the first start run initdb.`);
  }
}
