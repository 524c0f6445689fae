// The rule of a gray strategy: the form (root kind, then the tree), the rule in words, and the JSON
// view for experts. Both views edit the same value.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Rule } from '../../core/rules/Rule.js';
import { lang, text } from '../i18n.js';
import { ruleWords } from '../ruleWords.js';
import { changeKind, kindOf, type NodeKind } from './ruleDraft.js';
import { KindPicker } from './KindPicker.js';
import { RuleNode } from './RuleNode.js';
import { RuleJson } from './RuleJson.js';
import { ruleText } from './rule.text.js';

const t = text(ruleText);

export function RuleBuilder({ rule, onChange, readOnly }: { rule: Rule | null; onChange: (r: Rule | null) => void; readOnly?: boolean }) {
  const [showJson, setShowJson] = useState(false);
  return html`<div class="rule-builder">
    <p class="rule-words" aria-live="polite">${t('inWords', { words: ruleWords(rule, lang.value) })}</p>
    ${readOnly ? html`<pre class="code">${JSON.stringify(rule, null, 2)}</pre>` : html`
      <${KindPicker} id="rule-root-kind" label=${t('ruleKind')} button=${rule === null ? t('addRule') : t('change')}
        initial=${rule === null ? undefined : kindOf(rule)} onPick=${(k: NodeKind) => onChange(changeKind(rule, k))} />
      ${rule === null ? html`<p class="muted">${t('noRule')}</p>` : html`<${RuleNode} rule=${rule} id="rule" onChange=${onChange} />`}
      <p><button type="button" class="btn btn-small" aria-expanded=${showJson} onClick=${() => setShowJson(!showJson)}>${showJson ? t('hideJson') : t('showJson')}</button></p>
      ${showJson ? html`<${RuleJson} rule=${rule} id="rule-json" onChange=${onChange} />` : null}`}
  </div>`;
}
