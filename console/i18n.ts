// The console's two languages. Each page keeps its text in a catalog beside it
// (`pages/x.text.ts` exporting `{en: {...}, zh: {...}}`, same keys in both; a test checks that).
// `text(catalog)` gives a lookup that reads the `lang` signal, so a component using it re-renders
// when the language is switched.
import { signal } from '@preact/signals';

export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

/** A page's messages: the same keys in every language. `{name}` marks a value filled in at lookup. */
export interface Catalog<K extends string> {
  en: Record<K, string>;
  zh: Record<K, string>;
}

const STORAGE_KEY = 'finch.console.lang';

function firstLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    // Storage can be blocked (privacy settings); the browser's languages still decide.
  }
  if (typeof navigator === 'undefined') return 'en';
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export const lang = signal<Lang>(firstLang());

/** Switches the language and remembers the choice in this browser. */
export function setLang(next: Lang): void {
  lang.value = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but switched for this visit.
  }
}

/**
 * A lookup for `catalog` in the current language.
 * @example const t = text(productsText); t('deleteConfirm', { name: 'dashboard' })
 */
export function text<K extends string>(catalog: Catalog<K>): (key: K, vars?: Record<string, string | number>) => string {
  return (key, vars) => fill(catalog[lang.value][key], vars);
}

/** Replaces each `{name}` in `template` with `vars.name`; unknown names stay as written. */
export function fill(template: string, vars?: Record<string, string | number>): string {
  if (vars === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Locale tag for `Intl` formatters in the current language. */
export function locale(): string {
  return lang.value === 'zh' ? 'zh-CN' : 'en';
}
