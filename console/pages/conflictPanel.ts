// After a 412: their saved version beside mine, field by field, and the two ways on: take theirs,
// or keep my changes on top of theirs (then review and save again). Never an overwrite.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { lang, text } from '../i18n.js';
import { ruleWords } from '../ruleWords.js';
import { DRAFT_FIELDS, draftOf, type Draft, type DraftField } from '../strategyDraft.js';
import type { Resource, Strategy } from '../model.js';
import { relativeWords } from '../components/RelativeTime.js';
import { strategyEditorText } from './strategyEditor.text.js';
import { productText } from './product.text.js';

const t = text(strategyEditorText);
const tp = text(productText);

export interface ConflictPanelProps {
  baseVersion: number;
  mine: Draft;
  theirs: Strategy;
  resources: Resource[];
  onLoadTheirs: () => void;
  onKeepMine: () => void;
}

function show(d: Draft, f: DraftField, resources: Resource[]): string {
  switch (f) {
    case 'resourceId': return resources.find((r) => r.id === d.resourceId)?.version ?? `#${d.resourceId}`;
    case 'status': return tp(`s_${d.status}`);
    case 'rule': return d.rule === null ? t('none') : `${ruleWords(d.rule, lang.value)} — ${JSON.stringify(d.rule)}`;
    case 'salt': return d.salt === '' ? t('defaultSalt') : d.salt;
    case 'startsAt':
    case 'endsAt': return d[f] === '' ? t('none') : d[f];
    case 'priority': return String(d.priority);
  }
}

export function ConflictPanel({ baseVersion, mine, theirs, resources, onLoadTheirs, onKeepMine }: ConflictPanelProps) {
  const ref = useRef<HTMLElement>(null);
  // Move focus here: the save the person just pressed did not happen, and this says why.
  useEffect(() => { ref.current?.focus(); }, [theirs.version]);
  const theirDraft = draftOf(theirs);
  const rows = DRAFT_FIELDS.filter((f) => show(theirDraft, f, resources) !== show(mine, f, resources));
  return html`<section class="conflict card" role="alert" tabindex="-1" ref=${ref} aria-labelledby="conflict-title">
    <h2 id="conflict-title">${t('conflictTitle')}</h2>
    <p>${t('conflictBody', { theirs: theirs.version, when: relativeWords(theirs.updatedAt), base: baseVersion })}</p>
    <div class="table-wrap">
      <table class="table">
        <thead><tr><th scope="col">${t('field')}</th><th scope="col">${t('theirs')}</th><th scope="col">${t('yours')}</th></tr></thead>
        <tbody>
          ${rows.map((f) => html`<tr key=${f} data-field=${f}>
            <th scope="row">${t(`f_${f}`)}</th>
            <td class="theirs">${show(theirDraft, f, resources)}</td>
            <td class="yours">${show(mine, f, resources)}</td>
          </tr>`)}
        </tbody>
      </table>
    </div>
    <div class="actions">
      <button type="button" class="btn" onClick=${onLoadTheirs}>${t('loadTheirs')}</button>
      <button type="button" class="btn btn-primary" onClick=${onKeepMine}>${t('keepMine')}</button>
    </div>
  </section>`;
}
