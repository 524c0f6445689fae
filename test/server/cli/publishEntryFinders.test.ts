/**
 * The pure parts of finding a build's entry files: URLs written in a build mapped to its files, the
 * tags of a page, and the choice among several manifest entries.
 */
import { describe, expect, test } from 'vitest';
import { buildFileOf } from '../../../server/cli/buildOutput/buildUrl.js';
import { findEntries } from '../../../server/cli/buildOutput/findEntries.js';
import { pageTags } from '../../../server/cli/buildOutput/indexHtml.js';

const FILES = new Set(['assets/a.js', 'assets/b.css', 'main.js', 'js/app.js']);

describe('buildFileOf', () => {
  test.each([
    ['assets/a.js', '', 'assets/a.js'],
    ['./assets/a.js', '', 'assets/a.js'],
    ['/assets/a.js', '', 'assets/a.js'],
    ['/apps/dashboard/assets/a.js', '', 'assets/a.js'],
    ['/apps/dashboard/assets/a.js?v=3#x', '', 'assets/a.js'],
    ['../main.js', 'js', 'main.js'],
    ['app.js', 'js', 'js/app.js'],
    ['../main.js', '', null],
    ['/apps/dashboard/missing.js', '', null],
    ['assets/%61.js', '', 'assets/a.js'],
  ])('%s from "%s" is %s', (url, from, file) => {
    expect(buildFileOf(url, from, FILES, 'index.html')).toBe(file);
  });

  test.each(['https://cdn.example.com/a.js', '//cdn.example.com/a.js', 'data:text/javascript,1'])('%s is refused as another origin', (url) => {
    expect(() => buildFileOf(url, '', FILES, 'index.html')).toThrow(/index\.html loads .* from another origin/);
  });
});

test('pageTags reads stylesheets and scripts in document order, not inline, preload, alternate or nomodule ones', () => {
  const html = `<link rel="preload" href="x.css" as="style"><LINK REL="Stylesheet" HREF="a.css">
    <!-- <script src="commented.js"></script> -->
    <script type="module" src="m.js"></script><script>inline()</script><script type="text/template" src="t.html"></script>
    <script src="c.js" async></script><script nomodule src="legacy.js"></script><link rel="alternate stylesheet" href="alt.css">`;
  expect(pageTags(html)).toEqual([
    { kind: 'style', url: 'a.css' },
    { kind: 'module', url: 'm.js' },
    { kind: 'classic', url: 'c.js' },
  ]);
});

describe('several entries in a Vite manifest', () => {
  const manifest = {
    'src/main.tsx': { file: 'assets/main-1.js', src: 'src/main.tsx', isEntry: true },
    'src/admin.tsx': { file: 'assets/admin-2.js', src: 'src/admin.tsx', isEntry: true, css: ['assets/admin-3.css'] },
  };
  const build = {
    files: ['.vite/manifest.json', 'assets/admin-2.js', 'assets/admin-3.css', 'assets/main-1.js'],
    readText: async () => JSON.stringify(manifest),
  };

  test('are an error that lists them and names --entry', async () => {
    await expect(findEntries(build)).rejects.toThrow(/lists 2 entries \(src\/main\.tsx, src\/admin\.tsx\).*--entry/);
  });

  test('--entry chooses one by its source', async () => {
    expect(await findEntries(build, 'src/admin.tsx')).toEqual({
      source: 'vite manifest', entry: 'src/admin.tsx', files: ['assets/admin-3.css', 'assets/admin-2.js'],
      scripts: { 'assets/admin-2.js': 'module' }, consumed: ['.vite/manifest.json'],
    });
    await expect(findEntries(build, 'src/nope.tsx')).rejects.toThrow(/entry "src\/nope\.tsx" \(from --entry\).*src\/main\.tsx, src\/admin\.tsx/);
  });
});
