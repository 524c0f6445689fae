/**
 * Build upload (PUT /resources/{id}/files) on the real app and database: a build is unpacked, hashed,
 * moved into releases/{product}/{id}/ and deployed; immutable builds (same content 200, other 409); hostile archives
 * (unsafe paths in entries, links, devices, size and count limits, not gzip, malformed tar, gzip bombs) are
 * refused with nothing written; scratch folders of unfinished uploads are removed at start-up.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS, unpackTarGz } from '../../../server/upload/unpackTarGz.js';
import { SHARED_SCRATCH_MAX_AGE_MS, sweepUploadScratch, uploadScratchDir } from '../../../server/upload/uploadScratch.js';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { END, gz, gzBomb, paxEntry, rawEntry } from './rawTar.js';
import { auditCount, listTree, newResource, tarGz, tarGzClaiming, upload, type TarEntry } from './support.js';

/** The archive every bomb starts with: one good file and the end-of-archive marker. */
const goodTar = (): Buffer => Buffer.concat([rawEntry({ name: 'main.js' }, 'ok()'), END]);
/** A PAX header of about 1 MiB of comment: tar-stream reads it whole, and no entry ever follows. */
const bigPax = (): Buffer => paxEntry({ comment: 'x'.repeat(1024 * 1024 - 100) });
const MiB = 1024 * 1024;
/** gunzip hands on at most this much at a time: the budget can overshoot by one such piece. */
const INFLATE_CHUNK = 64 * 1024;

const sri = (s: string): string => `sha384-${createHash('sha384').update(s).digest('base64')}`;

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`build upload on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let releases: string;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      releases = path.join(loc.dataDir, 'releases');
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    const build: TarEntry[] = [
      { name: 'assets/', type: 'directory' },
      { name: 'main.js', content: 'console.log("v2")' },
      { name: 'main.css', content: 'body{color:red}' },
      { name: 'assets/chunk.js', content: 'export const x = 1;' },
      { name: 'main.js.map', content: '{"version":3}' },
    ];

    test('a build is stored, hashed, deployed, audited and named by the manifest', async () => {
      const id = await newResource(s, 'upapp', '2.0.0');
      const a0 = await auditCount(s);
      const r = await upload(s, id, await tarGz(build), s.auth.publish);
      expect(r.statusCode, r.body).toBe(200);
      const res = r.json();
      expect(res).toMatchObject({ id, status: 'deployed', baseUrl: `/releases/upapp/${id}/`, files: ['main.css', 'main.js'] });
      // Lazy chunks are hashed too (the worker checks and pre-caches them); source maps are not.
      expect(res.integrity).toEqual({ 'main.css': sri('body{color:red}'), 'main.js': sri('console.log("v2")'), 'assets/chunk.js': sri('export const x = 1;') });
      expect(await readFile(path.join(releases, 'upapp', String(id), 'assets', 'chunk.js'), 'utf8')).toBe('export const x = 1;');
      expect(await listTree(path.join(releases, '.tmp'))).toEqual([]);
      expect(await auditCount(s)).toBe(a0 + 1);
      const row = await s.deps.db.query<{ action: string; target: string; product: string }>('SELECT action, target, product FROM audit ORDER BY id DESC LIMIT 1');
      expect(row.rows[0]).toEqual({ action: 'resource.upload', target: `resource:${id}`, product: 'upapp' });
      const stored = await s.deps.db.query<{ files: Record<string, string> }>('SELECT files FROM release_files WHERE resource_id = $1', [id]);
      expect(stored.rows[0]?.files['assets/chunk.js']).toBe(sri('export const x = 1;'));

      const st = await s.call('POST', '/api/v1/strategies', { product: 'upapp', resourceId: id, status: 'full' }, s.auth.operator);
      expect(st.statusCode, st.body).toBe(201);
      const m = await s.call('POST', '/api/v1/console-version', { products: ['upapp'], userId: 'u1' });
      expect(m.json().products.upapp).toMatchObject({ resourceId: id, version: '2.0.0', baseUrl: `/releases/upapp/${id}/`, files: ['main.css', 'main.js'] });
    });

    test('immutable builds: the same content again is 200 and changes nothing; other content is 409', async () => {
      const id = await newResource(s, 'r19app', '1.0.0');
      expect((await upload(s, id, await tarGz(build), s.auth.publish)).statusCode).toBe(200);
      const a0 = await auditCount(s);
      const tree0 = await listTree(path.join(releases, 'r19app'));
      // Re-packed (new archive bytes, same files): still the same build.
      const again = await upload(s, id, await tarGz([...build].reverse()), s.auth.publish);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().status).toBe('deployed');
      const other = await upload(s, id, await tarGz([{ name: 'main.js', content: 'evil()' }, { name: 'main.css', content: 'body{color:red}' }]), s.auth.publish);
      expect(other.statusCode).toBe(409);
      expect(other.json().error.code).toBe('conflict');
      expect(await auditCount(s)).toBe(a0);
      expect(await listTree(path.join(releases, 'r19app'))).toEqual(tree0);
      expect(await readFile(path.join(releases, 'r19app', String(id), 'main.js'), 'utf8')).toBe('console.log("v2")');
      // Registering the same version with other integrity is refused as well (POST /resources).
      const dup = await s.call('POST', '/api/v1/resources', { product: 'r19app', version: '1.0.0', files: ['main.js'], integrity: { 'main.js': sri('evil()') } }, s.auth.publish);
      expect(dup.statusCode).toBe(409);
    });

    test('files declared at registration must be in the archive with the declared integrity', async () => {
      const missing = await newResource(s, 'declapp', '1.0.0', { files: ['app.js'] });
      const r1 = await upload(s, missing, await tarGz(build), s.auth.publish);
      expect(r1.statusCode).toBe(400);
      expect(r1.json().error.code).toBe('invalid-archive');
      const wrong = await newResource(s, 'declapp', '1.0.1', { files: ['main.js'], integrity: { 'main.js': sri('something else') } });
      expect((await upload(s, wrong, await tarGz(build), s.auth.publish)).statusCode).toBe(409);
      const right = await newResource(s, 'declapp', '1.0.2', { files: ['main.js'], integrity: { 'main.js': sri('console.log("v2")') } });
      const ok = await upload(s, right, await tarGz(build), s.auth.publish);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().files).toEqual(['main.js']);
      expect(await listTree(path.join(releases, 'declapp'))).toEqual([String(right), `${right}/assets`, `${right}/assets/chunk.js`, `${right}/main.css`, `${right}/main.js`, `${right}/main.js.map`]);
    });

    test('a resource hosted elsewhere takes no upload; unknown ids are 404', async () => {
      await newResource(s, 'extapp', '0.0.1');
      const ext = await s.call('POST', '/api/v1/resources', { product: 'extapp', version: '1.0.0', baseUrl: '/releases/extapp/elsewhere/', files: ['main.js'] }, s.auth.publish);
      expect(ext.statusCode, ext.body).toBe(201);
      expect((await upload(s, ext.json().id, await tarGz(build), s.auth.publish)).statusCode).toBe(409);
      const none = await upload(s, 999999, await tarGz(build), s.auth.publish);
      expect(none.statusCode).toBe(404);
      expect(none.json().error.code).toBe('not-found');
    });

    test('a body that is not application/gzip is 415, nothing read', async () => {
      const id = await newResource(s, 'typeapp', '1.0.0');
      const r = await upload(s, id, await tarGz(build), s.auth.publish, 'application/json');
      expect(r.statusCode).toBe(415);
      expect(r.json().error.code).toBe('invalid-input');
      expect(await listTree(path.join(releases, 'typeapp'))).toEqual([]);
    });

    const manyEntries = async (): Promise<Buffer> =>
      tarGz(Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}.txt`, content: '' })));

    // Each hostile archive also holds a good main.js, so only the hostile entry can be the reason.
    const withMain = (...bad: TarEntry[]): Promise<Buffer> => tarGz([{ name: 'main.js', content: 'ok()' }, ...bad]);
    // The optional last check reads the error's details (how far a bomb was inflated before it was stopped).
    type Check = (details: Record<string, number>) => void;
    const inflatedAtMost = (counter: string, budget: number): Check => (d) => expect(d[counter]).toBeLessThanOrEqual(budget + INFLATE_CHUNK);
    const hostile: Array<[string, () => Promise<Buffer | string>, number, string, string?, Check?]> = [
      ['tar cut inside a file, gzip intact', async () => gz(rawEntry({ name: 'main.js' }, 'x'.repeat(3000)).subarray(0, 1500)), 400, 'invalid-archive', 'not a complete, valid tar archive (Unexpected end of data)'],
      ['a size field larger than the data left', async () => gz(rawEntry({ name: 'main.js', size: 5000 }, 'ok()'), END), 400, 'invalid-archive', 'not a complete, valid tar archive (Unexpected end of data)'],
      ['a header with a bad checksum', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), rawEntry({ name: 'b.js', badChecksum: true }, 'x'), END), 400, 'invalid-archive'],
      ['NUL in a name (PAX path)', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), paxEntry({ path: 'a\u0000b.js' }), rawEntry({ name: 'ab.js' }, 'x'), END), 400, 'invalid-archive', 'a name that is not printable ASCII'],
      ['a non-ASCII name', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), rawEntry({ name: 'caf\u00e9.js' }, 'x'), END), 400, 'invalid-archive', 'a name that is not printable ASCII'],
      ['a name that is not UTF-8', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), rawEntry({ name: Buffer.from([0x61, 0xff, 0x2e, 0x6a, 0x73]) }, 'x'), END), 400, 'invalid-archive', 'a name that is not printable ASCII'],
      ['a bidirectional control in a name', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), paxEntry({ path: 'evil\u202Esj.txt' }), rawEntry({ name: 'x.js' }, 'x'), END), 400, 'invalid-archive', 'a name that is not printable ASCII'],
      // Old tars mark directories by a trailing slash; stored as a file, it would be a file named like a folder.
      ['a file whose name ends with a slash', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), rawEntry({ name: 'lib.js/' }, 'x'.repeat(600)), END), 400, 'invalid-archive', 'a file whose name ends with "/"'],
      // tar-stream reads no data for a directory: these bytes would be parsed as the next headers.
      ['a directory entry that carries data', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), rawEntry({ name: 'lib/', type: '5' }, rawEntry({ name: 'smuggled.js' }, 'x')), END), 400, 'invalid-archive', 'a directory entry that carries data'],
      ['a file whose PAX path ends with a slash', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), paxEntry({ path: 'lib.js/' }), rawEntry({ name: 'lib.js' }, 'x'), END), 400, 'invalid-archive', 'a file whose name ends with "/"'],
      ['a PAX size beyond every limit', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), paxEntry({ size: '99999999999999999999' }), rawEntry({ name: 'big.js' }, 'x'), END), 413, 'payload-too-large'],
      ['a PAX size that is not a number', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), paxEntry({ size: 'lots' }), rawEntry({ name: 'big.js' }, 'x'), END), 400, 'invalid-archive'],
      ['a PAX path far too long', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), paxEntry({ path: `${'a/'.repeat(300_000)}x.js` }), rawEntry({ name: 'x.js' }, 'x'), END), 400, 'invalid-archive'],
      ['a PAX header over 4 MiB', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), paxEntry({ comment: 'x'.repeat(5 * MiB) }), rawEntry({ name: 'x.js' }, 'x'), END), 400, 'invalid-archive'],
      ['an entry type tar-stream does not know (sparse)', async () => gz(rawEntry({ name: 'main.js' }, 'ok()'), rawEntry({ name: 'sparse.js', type: 'S' }, 'x'), END), 400, 'invalid-archive', 'an entry of an unknown type'],
      ['1 GiB of zeros after the end of the archive', async () => gzBomb(goodTar(), Buffer.alloc(MiB), 16 * MiB, 64), 413, 'payload-too-large',
        `more than ${DEFAULT_LIMITS.maxTrailingBytes} bytes follow the end of the tar archive`, inflatedAtMost('trailingBytes', DEFAULT_LIMITS.maxTrailingBytes)],
      ['1 GiB of PAX headers that never reach an entry', async () => gzBomb(goodTar().subarray(0, 1024), bigPax(), 16 * MiB, 64), 413, 'payload-too-large',
        `the archive inflates to more than ${DEFAULT_LIMITS.maxInflatedBytes} bytes`, inflatedAtMost('inflatedBytes', DEFAULT_LIMITS.maxInflatedBytes)],
      ['traversal ../', () => withMain({ name: '../escape.js', content: 'x' }), 400, 'invalid-archive', 'parent directory segment (..)'],
      ['traversal inside a path', () => withMain({ name: 'a/../../escape.js', content: 'x' }), 400, 'invalid-archive', 'parent directory segment (..)'],
      ['absolute path', () => withMain({ name: '/etc/finch-pwned', content: 'x' }), 400, 'invalid-archive', 'absolute path'],
      ['encoded dots', () => withMain({ name: '%2e%2e/escape.js', content: 'x' }), 400, 'invalid-archive', 'forbidden character'],
      ['encoded slash', () => withMain({ name: '..%2fescape.js', content: 'x' }), 400, 'invalid-archive', 'forbidden character'],
      ['backslash', () => withMain({ name: '..\\escape.js', content: 'x' }), 400, 'invalid-archive', 'forbidden character'],
      ['symlink', () => withMain({ name: 'link.js', type: 'symlink', linkname: '/etc/passwd' }), 400, 'invalid-archive', 'symlink entries are not allowed'],
      ['hard link', () => withMain({ name: 'hard.js', type: 'link', linkname: 'main.js' }), 400, 'invalid-archive', 'link entries are not allowed'],
      ['character device', () => withMain({ name: 'dev', type: 'character-device' }), 400, 'invalid-archive', 'character-device entries are not allowed'],
      ['block device', () => withMain({ name: 'blk', type: 'block-device' }), 400, 'invalid-archive', 'block-device entries are not allowed'],
      ['fifo', () => withMain({ name: 'pipe', type: 'fifo' }), 400, 'invalid-archive', 'fifo entries are not allowed'],
      ['duplicate entry', () => withMain({ name: 'main.js', content: 'b' }), 400, 'invalid-archive', 'duplicate entry'],
      ['file where a directory was', () => withMain({ name: 'main.js/x.js', content: 'b' }), 400, 'invalid-archive'],
      ['oversize (declared 300 MiB)', () => tarGzClaiming('big.js', 300 * 1024 * 1024), 413, 'payload-too-large'],
      ['too many entries', manyEntries, 413, 'payload-too-large'],
      ['not gzip', async () => 'just some text, not an archive', 400, 'invalid-archive'],
      ['gzip but not tar', async () => (await import('node:zlib')).gzipSync(Buffer.from('hello '.repeat(200))), 400, 'invalid-archive'],
      ['truncated gzip', async () => (await tarGz(build)).subarray(0, 60), 400, 'invalid-archive'],
      ['empty archive', () => tarGz([]), 400, 'invalid-archive'],
      ['only directories', () => tarGz([{ name: 'a/', type: 'directory' }]), 400, 'invalid-archive'],
      ['no entry files', () => tarGz([{ name: 'readme.txt', content: 'hi' }]), 400, 'invalid-archive'],
    ];

    test('tar padding to a 10 KiB record after the end of the archive is fine', async () => {
      const id = await newResource(s, 'padded', '1.0.0');
      const r = await upload(s, id, gz(goodTar(), Buffer.alloc(10240 - 1024 - 1024)), s.auth.publish);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().files).toEqual(['main.js']);
    });

    test('start-up removes the scratch folders of unfinished uploads', async () => {
      const l = await createLocation(store.name);
      try {
        const scratch = uploadScratchDir(l.dataDir);
        await mkdir(path.join(scratch, 'upload-7-old', 'assets'), { recursive: true });
        await writeFile(path.join(scratch, 'upload-7-old', 'assets', 'a.js'), 'x');
        const anHourAgo = new Date(Date.now() - 60 * 60 * 1000);
        await utimes(path.join(scratch, 'upload-7-old'), anHourAgo, anHourAgo);
        await mkdir(path.join(scratch, 'upload-8-young'));
        const started = await startServer(l);
        await started.close();
        // The embedded store is this process's alone; with PostgreSQL a young folder may be another process's upload.
        expect(await readdir(scratch)).toEqual(store.name === 'pglite' ? [] : ['upload-8-young']);
      } finally {
        await l.dispose();
      }
    });

    test.each(hostile)('refused with nothing written: %s', async (_name, make, status, code, reason, check) => {
      const product = `bad-${Math.random().toString(36).slice(2, 8)}`;
      const id = await newResource(s, product, '1.0.0');
      const a0 = await auditCount(s);
      const r = await upload(s, id, await make(), s.auth.publish);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json().error.code).toBe(code);
      if (reason !== undefined) expect(r.json().error.details?.reason).toBe(reason);
      check?.(r.json().error.details);
      expect(await listTree(path.join(releases, product))).toEqual([]);
      expect(await listTree(path.join(releases, '.tmp'))).toEqual([]);
      // Escapes land next to the data dir or inside it; other trees under the tmp dir are not ours to list.
      const escaped = (l: string[]) => l.filter((f) => f.includes('finch-pwned') || f.endsWith('escape.js'));
      expect(escaped(await readdir(path.dirname(loc.dataDir)))).toEqual([]);
      expect(escaped(await listTree(loc.dataDir))).toEqual([]);
      expect(await auditCount(s)).toBe(a0);
      const row = await s.deps.db.query<{ status: string; files: string[] }>('SELECT status, files FROM resources WHERE id = $1', [id]);
      expect(row.rows[0]).toEqual({ status: 'built', files: [] });
      expect((await s.deps.db.query('SELECT 1 FROM release_files WHERE resource_id = $1', [id])).rows).toEqual([]);
    });
  });
}

describe('unpacking stops early', () => {
  const small = { ...DEFAULT_LIMITS, maxInflatedBytes: 4 * MiB, maxTrailingBytes: 64 * 1024 };

  /** Serves `body` in 16 KiB pieces and counts how much was taken. */
  function counted(body: Buffer): { stream: Readable; taken: () => number } {
    let taken = 0;
    const stream = Readable.from((function* () {
      for (let i = 0; i < body.length; i += 16 * 1024) {
        const piece = body.subarray(i, i + 16 * 1024);
        taken += piece.length;
        yield piece;
      }
    })());
    return { stream, taken: () => taken };
  }

  test.each([
    ['zeros after the end', () => gzBomb(goodTar(), Buffer.alloc(MiB), 16 * MiB, 64), 'trailingBytes', small.maxTrailingBytes],
    ['PAX headers without an entry', () => gzBomb(goodTar().subarray(0, 1024), bigPax(), 16 * MiB, 64), 'inflatedBytes', small.maxInflatedBytes],
  ])('%s: refused within one piece past the budget, most of the body never read', async (_name, make, counter, budget) => {
    const body = make();
    const { stream, taken } = counted(body);
    const dir = await mkdtemp(path.join(tmpdir(), 'finch-unpack-'));
    try {
      const err = await unpackTarGz(stream, dir, small).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'payload-too-large' });
      expect((err as { details: Record<string, number> }).details[counter]).toBeLessThanOrEqual(budget + INFLATE_CHUNK);
      // 1 GiB inflated from this body; the budget is a few MiB of it.
      expect(taken()).toBeLessThan(body.length / 4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sweepUploadScratch', () => {
  test('removes every folder when the releases are this process\'s alone, only old ones when shared', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'finch-sweep-'));
    try {
      const scratch = uploadScratchDir(dataDir);
      const now = Date.now();
      for (const [name, age] of [['old', SHARED_SCRATCH_MAX_AGE_MS + 60_000], ['young', 1000], ['file.tmp', SHARED_SCRATCH_MAX_AGE_MS * 2]] as const) {
        const p = path.join(scratch, name);
        if (name.endsWith('.tmp')) {
          await mkdir(scratch, { recursive: true });
          await writeFile(p, 'x');
        } else {
          await mkdir(path.join(p, 'sub'), { recursive: true });
        }
        await utimes(p, new Date(now - age), new Date(now - age));
      }
      expect(await sweepUploadScratch(dataDir, { shared: true, now })).toEqual(['file.tmp', 'old']);
      expect(await readdir(scratch)).toEqual(['young']);
      expect(await sweepUploadScratch(dataDir, { shared: false, now })).toEqual(['young']);
      expect(await readdir(scratch)).toEqual([]);
      // No scratch folder at all (a fresh data directory) is nothing to do.
      expect(await sweepUploadScratch(path.join(dataDir, 'missing'), { shared: false })).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
