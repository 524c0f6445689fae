// The console's first screen stays small: index.html, the entry script, every chunk it imports
// statically (transitively) and the stylesheet, each gzipped at level 9, in all at most 60,000 bytes.
// Charts' uPlot must not be among them: it loads only on the charts page. Reads dist/console
// (`npm run build` first).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';

const DIST = fileURLToPath(new URL('../../dist/console/', import.meta.url));
const BUDGET = 60_000;

const gz = (file: string) => gzipSync(readFileSync(DIST + file), { level: 9 }).length;

/** Relative files a built module imports statically (`import … from "./x.js"`, `import "./x.js"`, `export … from`). */
function staticImports(source: string): string[] {
  const found = new Set<string>();
  // Minified ES modules: `import{a as b}from"./x-123.js"`, `import"./x.js"`, `export{…}from"./x.js"`.
  // `import("./x.js")` (lazy) has a parenthesis and is left out on purpose.
  for (const m of source.matchAll(/(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.\/[^"']+)["']/g)) found.add(m[1]!.slice(2));
  return [...found];
}

function firstScreen(): { files: string[]; bytes: number } {
  if (!existsSync(`${DIST}index.html`)) throw new Error('dist/console/index.html is missing: run `npm run build` first.');
  const html = readFileSync(`${DIST}index.html`, 'utf8');
  const entry = /<script type="module" src="\.\/([^"]+)"/.exec(html)?.[1];
  const css = /<link rel="stylesheet" href="\.\/([^"]+)"/.exec(html)?.[1];
  if (!entry || !css) throw new Error('index.html names no entry script or stylesheet');
  const scripts = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (scripts.has(file)) continue;
    scripts.add(file);
    queue.push(...staticImports(readFileSync(DIST + file, 'utf8')));
  }
  const files = ['index.html', ...scripts, css];
  return { files, bytes: files.reduce((sum, f) => sum + gz(f), 0) };
}

describe('console size budget', () => {
  test(`the first screen is at most ${BUDGET} bytes gzipped`, () => {
    const { files, bytes } = firstScreen();
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(bytes, `first screen: ${files.join(', ')}`).toBeLessThanOrEqual(BUDGET);
  });

  test('uPlot is not part of the first screen', () => {
    const { files } = firstScreen();
    const lazy = readdirSync(DIST).filter((f) => /uplot/i.test(f) && f.endsWith('.js'));
    // The check below means something only while uPlot is built at all (as a lazy chunk).
    expect(lazy.length).toBeGreaterThan(0);
    expect(readFileSync(DIST + lazy[0]!, 'utf8')).toMatch(/u-over/);
    for (const f of files) {
      expect(f).not.toMatch(/uplot/i);
      // uPlot's own code names its elements u-over, u-legend…; the entry only names the lazy chunk.
      if (f.endsWith('.js')) expect(readFileSync(DIST + f, 'utf8')).not.toMatch(/u-over|u-legend|u-cursor-pt/);
    }
  });

  test('the import scanner finds static imports and skips lazy ones', () => {
    expect(staticImports('import{a as b}from"./x-1.js";import"./y.js";export{c}from"./z.js";const l=()=>import("./lazy.js")'))
      .toEqual(['x-1.js', 'y.js', 'z.js']);
  });
});
