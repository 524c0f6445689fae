// Every message catalog of the console has the same keys in both languages, and no empty message.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const CONSOLE = fileURLToPath(new URL('../../console/', import.meta.url));
const files = readdirSync(CONSOLE, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.text.ts')).sort();

describe('console catalogs', () => {
  test('there are catalogs to check', () => {
    expect(files).toContain('app.text.ts');
    expect(files).toContain('pages/products.text.ts');
  });

  test.each(files)('%s: same keys in en and zh, none empty', async (file) => {
    const mod = (await import(`${CONSOLE}${file}`)) as Record<string, unknown>;
    const catalogs = Object.values(mod).filter((v): v is { en: Record<string, string>; zh: Record<string, string> } =>
      typeof v === 'object' && v !== null && 'en' in v && 'zh' in v);
    expect(catalogs.length).toBeGreaterThan(0);
    for (const c of catalogs) {
      expect(Object.keys(c.zh).sort()).toEqual(Object.keys(c.en).sort());
      for (const lang of [c.en, c.zh]) {
        for (const [key, message] of Object.entries(lang)) expect(message.trim(), key).not.toBe('');
      }
    }
  });
});
