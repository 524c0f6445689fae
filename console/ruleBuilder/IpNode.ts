// IP ranges: CIDRs or bare addresses, pasted like user ids.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Rule } from '../../core/rules/Rule.js';
import { text } from '../i18n.js';
import { splitList } from './ruleDraft.js';
import { ruleText } from './rule.text.js';

const t = text(ruleText);

export function IpNode({ rule, onChange, id }: { rule: { ip: string[] }; onChange: (r: Rule) => void; id: string }) {
  const [raw, setRaw] = useState(rule.ip.join('\n'));
  useEffect(() => {
    if (splitList(raw).join('\n') !== rule.ip.join('\n')) setRaw(rule.ip.join('\n'));
  }, [rule.ip]);
  return html`<div class="field">
    <label for=${id}>${t('ipRanges')}</label>
    <textarea id=${id} rows="2" aria-describedby=${`${id}-hint`} value=${raw}
      onInput=${(e: Event) => { const v = (e.target as HTMLTextAreaElement).value; setRaw(v); onChange({ ip: splitList(v) }); }}></textarea>
    <div class="hint" id=${`${id}-hint`}>${t('ipHint')} ${t('ipCount', { n: rule.ip.length })}</div>
  </div>`;
}
