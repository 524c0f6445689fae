/** The product and version `finch publish` falls back on: the nearest package.json, and the build's content. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contentTag, nearestPackage, versionCandidates } from '../../../server/cli/buildDefaults.js';

describe('nearestPackage', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'finch-defaults-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function app(name: string, pkg: unknown): Promise<string> {
    const dist = path.join(work, name, 'dist', 'nested');
    await mkdir(dist, { recursive: true });
    await writeFile(path.join(work, name, 'package.json'), typeof pkg === 'string' ? pkg : JSON.stringify(pkg));
    return dist;
  }

  test.each([
    ['plain', { name: 'dashboard', version: '1.2.3' }, { product: 'dashboard', version: '1.2.3' }],
    ['scoped', { name: '@shop/header', version: '2.0.0-beta.1' }, { product: 'header', version: '2.0.0-beta.1' }],
    ['not a product name', { name: 'My_App', version: '1.0.0' }, { version: '1.0.0' }],
    ['no version', { name: 'dashboard' }, { product: 'dashboard' }],
    ['a version the server would refuse', { name: 'dashboard', version: '1.0.0 final' }, { product: 'dashboard' }],
  ])('%s', async (name, pkg, want) => {
    const found = await nearestPackage(await app(name.replace(/ /g, '-'), pkg));
    expect(found).toEqual({ file: path.join(work, name.replace(/ /g, '-'), 'package.json'), ...want });
  });

  test('a package.json that is not JSON gives nothing', async () => {
    expect(await nearestPackage(await app('broken', '{ "name": '))).toBeNull();
  });
});

describe('versionCandidates and contentTag', () => {
  test('the package version first, then tagged with the content; without one only the tag', () => {
    expect(versionCandidates('1.4.0', '3fa9c2d1')).toEqual(['1.4.0', '1.4.0+3fa9c2d1']);
    expect(versionCandidates('1.4.0+ci.7', '3fa9c2d1')).toEqual(['1.4.0+ci.7', '1.4.0+ci.7.3fa9c2d1']);
    expect(versionCandidates(undefined, '3fa9c2d1')).toEqual(['0.0.0+3fa9c2d1']);
  });

  test('the tag depends on every file and hash, not on their order', () => {
    const a = contentTag({ 'a.js': 'sha384-A', 'b.css': 'sha384-B' });
    expect(a).toMatch(/^[0-9a-f]{8}$/);
    expect(contentTag({ 'b.css': 'sha384-B', 'a.js': 'sha384-A' })).toBe(a);
    expect(contentTag({ 'a.js': 'sha384-A', 'b.css': 'sha384-C' })).not.toBe(a);
    expect(contentTag({ 'a.js': 'sha384-A', 'c.css': 'sha384-B' })).not.toBe(a);
  });
});
