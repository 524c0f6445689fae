// An all / any group: its members, each removable (a group keeps at least one), and a picker to add
// another condition or group.
import { html } from 'htm/preact';
import type { Rule } from '../../core/rules/Rule.js';
import { text } from '../i18n.js';
import { emptyNode, kindOf } from './ruleDraft.js';
import { KindPicker } from './KindPicker.js';
import { RuleNode, type NodeProps } from './RuleNode.js';
import { ruleText } from './rule.text.js';

const t = text(ruleText);

export function GroupNode({ rule, onChange, id }: NodeProps) {
  const isAll = 'all' in rule;
  const members: Rule[] = isAll ? (rule as { all: Rule[] }).all : (rule as { any: Rule[] }).any;
  const make = (all: boolean, list: Rule[]): Rule => (all ? { all: list } : { any: list });
  const setAt = (i: number, r: Rule) => onChange(make(isAll, members.map((m, j) => (j === i ? r : m))));
  const removeAt = (i: number) => onChange(make(isAll, members.filter((_, j) => j !== i)));
  return html`<fieldset class="rule-group">
    <legend>${isAll ? t('allOf') : t('anyOf')}</legend>
    <div class="field inline">
      <label for=${`${id}-type`}>${t('groupType')}</label>
      <select id=${`${id}-type`} value=${isAll ? 'all' : 'any'} onChange=${(e: Event) => onChange(make((e.target as HTMLSelectElement).value === 'all', members))}>
        <option value="all">${t('k_all')}</option>
        <option value="any">${t('k_any')}</option>
      </select>
    </div>
    <ol class="rule-members">
      ${members.map((m, i) => {
        const kind = t(`k_${kindOf(m)}`);
        return html`<li key=${i} class="rule-member">
          <div class="member-head">
            <span class="member-kind">${kind}</span>
            ${members.length > 1 ? html`<button type="button" class="btn btn-small" aria-label=${t('removeThis', { kind })} onClick=${() => removeAt(i)}>${t('remove')}</button>` : null}
          </div>
          <${RuleNode} rule=${m} id=${`${id}-${i}`} onChange=${(r: Rule) => setAt(i, r)} />
        </li>`;
      })}
    </ol>
    <${KindPicker} id=${`${id}-add`} label=${t('addKind')} button=${t('addCondition')}
      onPick=${(k: Parameters<typeof emptyNode>[0]) => onChange(make(isAll, [...members, emptyNode(k)]))} />
  </fieldset>`;
}
