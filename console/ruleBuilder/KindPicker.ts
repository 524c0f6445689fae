// A select of condition kinds and a button: "Add" in a group, "Change" for the root or a not.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { text } from '../i18n.js';
import { NODE_KINDS, type NodeKind } from './ruleDraft.js';
import { ruleText } from './rule.text.js';

const t = text(ruleText);

export function KindPicker({ id, label, button, onPick, initial }: { id: string; label: string; button: string; onPick: (k: NodeKind) => void; initial?: NodeKind }) {
  const [kind, setKind] = useState<NodeKind>(initial ?? 'users');
  return html`<div class="kind-picker">
    <label for=${id}>${label}</label>
    <select id=${id} value=${kind} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value as NodeKind)}>
      ${NODE_KINDS.map((k) => html`<option value=${k}>${t(`k_${k}`)}</option>`)}
    </select>
    <button type="button" class="btn btn-small" onClick=${() => onPick(kind)}>${button}</button>
  </div>`;
}
