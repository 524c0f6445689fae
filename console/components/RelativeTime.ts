// "3 minutes ago", with the exact time as the title and in the machine-readable attribute.
import { html } from 'htm/preact';
import { locale } from '../i18n.js';

const STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity],
];

/** `iso` as words relative to `now` in the current language. */
export function relativeWords(iso: string, now: number = Date.now()): string {
  let amount = (Date.parse(iso) - now) / 1000;
  const fmt = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return fmt.format(Math.round(amount), unit);
    amount /= size;
  }
  return iso;
}

/** The exact time in the current language. */
export function exactTime(iso: string): string {
  return new Date(iso).toLocaleString(locale());
}

export function RelativeTime({ iso }: { iso: string | null | undefined }) {
  if (!iso) return html`<span>—</span>`;
  return html`<time datetime=${iso} title=${exactTime(iso)}>${relativeWords(iso)}</time>`;
}
