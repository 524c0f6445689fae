// A percentage of users: a slider for the rough value and a number box for exact steps of 0.01,
// with the note that buckets are sticky and the salt decides who.
import { html } from 'htm/preact';
import type { Rule } from '../../core/rules/Rule.js';
import { text } from '../i18n.js';
import { ruleText } from './rule.text.js';

const t = text(ruleText);

/** Keeps a typed percentage inside 0–100 and on the 0.01 grid the server accepts. */
function clamp(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.round(Math.min(100, Math.max(0, v)) * 100) / 100;
}

export function PercentNode({ rule, onChange, id }: { rule: { percent: number }; onChange: (r: Rule) => void; id: string }) {
  const set = (e: Event) => onChange({ percent: clamp(Number((e.target as HTMLInputElement).value)) });
  return html`<div class="field percent-field">
    <label for=${id}>${t('percent')}</label>
    <div class="percent-inputs">
      <input id=${id} type="range" min="0" max="100" step="1" value=${rule.percent} aria-describedby=${`${id}-note`} onInput=${set} />
      <label for=${`${id}-n`} class="visually-hidden">${t('percentNumber')}</label>
      <input id=${`${id}-n`} type="number" min="0" max="100" step="0.01" value=${rule.percent} onChange=${set} />
      <span aria-hidden="true">%</span>
    </div>
    <div class="hint" id=${`${id}-note`}>${t('percentNote')}</div>
  </div>`;
}
