// The rule as JSON, editable for experts. An edit applies only when it parses and has the shape of a
// rule; otherwise the problem is shown and nothing changes. The server checks the rest on save.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Rule } from '../../core/rules/Rule.js';
import { ruleShapeProblem } from './ruleShape.js';
import { text } from '../i18n.js';
import { ruleText } from './rule.text.js';

const t = text(ruleText);

const pretty = (rule: Rule | null) => JSON.stringify(rule, null, 2);

/** The problem with `raw` as a rule, or null when it is one. */
export function jsonProblem(raw: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return ruleShapeProblem(parsed);
}

export function RuleJson({ rule, onChange, id }: { rule: Rule | null; onChange: (r: Rule) => void; id: string }) {
  const [raw, setRaw] = useState(pretty(rule));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    // The builder changed the rule: show it, unless this text already says the same.
    if (problem === null && raw !== pretty(rule)) {
      try {
        if (JSON.stringify(JSON.parse(raw)) === JSON.stringify(rule)) return;
      } catch {
        // fall through and replace
      }
      setRaw(pretty(rule));
    }
  }, [rule]);
  const edit = (v: string) => {
    setRaw(v);
    const p = jsonProblem(v);
    setProblem(p);
    if (p === null) onChange(JSON.parse(v) as Rule);
  };
  return html`<div class="field">
    <label for=${id}>${t('json')}</label>
    <textarea id=${id} class="code" rows="10" spellcheck="false" aria-describedby=${`${id}-hint`} aria-invalid=${problem !== null}
      value=${raw} onInput=${(e: Event) => edit((e.target as HTMLTextAreaElement).value)}></textarea>
    <div class="hint" id=${`${id}-hint`}>${t('jsonHint')}</div>
    ${problem ? html`<div class="error-banner" role="alert">${t('jsonInvalid', { message: problem })}</div>` : null}
  </div>`;
}
