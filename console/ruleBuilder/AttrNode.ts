// An attribute condition: name (with the server's own names suggested), operator, and value(s).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Operator, Rule, RuleValue } from '../../core/rules/Rule.js';
import { text } from '../i18n.js';
import { KNOWN_ATTRIBUTES, OPERATORS, setAttr, valuesText } from './ruleDraft.js';
import { ruleText } from './rule.text.js';

const t = text(ruleText);

type AttrRule = { attr: string; op: Operator; value?: RuleValue; values?: RuleValue[] };

export function AttrNode({ rule, onChange, id }: { rule: AttrRule; onChange: (r: Rule) => void; id: string }) {
  const [raw, setRaw] = useState(valuesText(rule));
  useEffect(() => {
    if (valuesText(setAttr(rule.attr, rule.op, raw) as AttrRule) !== valuesText(rule)) setRaw(valuesText(rule));
  }, [rule]);
  const many = rule.op === 'in' || rule.op === 'notIn';
  return html`<div class="attr-node">
    <div class="field">
      <label for=${`${id}-attr`}>${t('attrName')}</label>
      <input id=${`${id}-attr`} list=${`${id}-attrs`} value=${rule.attr}
        onInput=${(e: Event) => onChange(setAttr((e.target as HTMLInputElement).value, rule.op, raw))} />
      <datalist id=${`${id}-attrs`}>${KNOWN_ATTRIBUTES.map((a) => html`<option value=${a} />`)}</datalist>
    </div>
    <div class="field">
      <label for=${`${id}-op`}>${t('op')}</label>
      <select id=${`${id}-op`} value=${rule.op} onChange=${(e: Event) => onChange(setAttr(rule.attr, (e.target as HTMLSelectElement).value as Operator, raw))}>
        ${OPERATORS.map((o) => html`<option value=${o}>${t(`o_${o}`)}</option>`)}
      </select>
    </div>
    ${rule.op === 'exists' ? null : html`<div class="field">
      <label for=${`${id}-value`}>${many ? t('values') : t('value')}</label>
      <input id=${`${id}-value`} value=${raw}
        onInput=${(e: Event) => { const v = (e.target as HTMLInputElement).value; setRaw(v); onChange(setAttr(rule.attr, rule.op, v)); }} />
    </div>`}
  </div>`;
}
