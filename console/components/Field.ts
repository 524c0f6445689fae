// A labelled form control with an optional hint; the hint is tied to the control for screen readers.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';

export interface FieldProps {
  /** The id of the control inside, which the label points at. */
  id: string;
  label: string;
  hint?: string | null;
  children: ComponentChildren;
}

export function Field({ id, label, hint, children }: FieldProps) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${children}
    ${hint ? html`<div class="hint" id=${`${id}-hint`}>${hint}</div>` : null}
  </div>`;
}
