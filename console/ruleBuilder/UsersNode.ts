// A user list: one textarea to paste many ids into, split on commas, spaces and new lines.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Rule } from '../../core/rules/Rule.js';
import { text } from '../i18n.js';
import { splitList } from './ruleDraft.js';
import { ruleText } from './rule.text.js';

const t = text(ruleText);

export function UsersNode({ rule, onChange, id }: { rule: { users: string[] }; onChange: (r: Rule) => void; id: string }) {
  // The raw text keeps what the person typed (separators, a half-typed id); the rule gets the list.
  const [raw, setRaw] = useState(rule.users.join('\n'));
  useEffect(() => {
    // Changed elsewhere (the JSON view): show the new list.
    if (splitList(raw).join('\n') !== rule.users.join('\n')) setRaw(rule.users.join('\n'));
  }, [rule.users]);
  return html`<div class="field">
    <label for=${id}>${t('users')}</label>
    <textarea id=${id} rows="3" aria-describedby=${`${id}-hint ${id}-count`} value=${raw}
      onInput=${(e: Event) => { const v = (e.target as HTMLTextAreaElement).value; setRaw(v); onChange({ users: splitList(v) }); }}></textarea>
    <div class="hint" id=${`${id}-hint`}>${t('usersHint')}</div>
    <div class="count" id=${`${id}-count`} aria-live="polite">${t('usersCount', { n: rule.users.length })}</div>
  </div>`;
}
