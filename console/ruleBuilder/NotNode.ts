// A `not`: the one condition inside must not match; its kind can be changed.
import { html } from 'htm/preact';
import type { Rule } from '../../core/rules/Rule.js';
import { text } from '../i18n.js';
import { changeKind, kindOf, type NodeKind } from './ruleDraft.js';
import { KindPicker } from './KindPicker.js';
import { RuleNode, type NodeProps } from './RuleNode.js';
import { ruleText } from './rule.text.js';

const t = text(ruleText);

export function NotNode({ rule, onChange, id }: NodeProps) {
  const inner = (rule as { not: Rule }).not;
  return html`<fieldset class="rule-group rule-not">
    <legend>${t('notThis')}</legend>
    <${KindPicker} id=${`${id}-kind`} label=${t('ruleKind')} button=${t('change')} initial=${kindOf(inner)}
      onPick=${(k: NodeKind) => onChange({ not: changeKind(inner, k) })} />
    <${RuleNode} rule=${inner} id=${`${id}-n`} onChange=${(r: Rule) => onChange({ not: r })} />
  </fieldset>`;
}
