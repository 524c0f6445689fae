// A modal form: a question that needs input (a new password) or a message that must be read before
// going on (a token's secret). Escape cancels; Enter in a field submits, as in any form.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { useModalDialog } from './useModalDialog.js';

export interface FormDialogProps {
  /** Unique on the page: the title's id derives from it. */
  id: string;
  title: string;
  children?: ComponentChildren;
  submitLabel: string;
  /** No cancel button when absent: Escape and the submit button both close. */
  cancelLabel?: string;
  busy?: boolean;
  onSubmit: () => void;
  onCancel: () => void;
}

/** Rendered only while open; it opens itself when mounted. */
export function FormDialog(props: FormDialogProps) {
  const { ref, onCancel } = useModalDialog(props.onCancel);
  const onSubmit = (e: Event) => { e.preventDefault(); props.onSubmit(); };
  return html`<dialog ref=${ref} class="dialog" aria-labelledby=${`${props.id}-title`} onCancel=${onCancel}>
    <form onSubmit=${onSubmit}>
      <h2 id=${`${props.id}-title`}>${props.title}</h2>
      <div class="dialog-body">${props.children}</div>
      <div class="dialog-actions">
        ${props.cancelLabel ? html`<button type="button" class="btn" onClick=${props.onCancel}>${props.cancelLabel}</button>` : null}
        <button type="submit" class="btn btn-primary" disabled=${props.busy}>${props.submitLabel}</button>
      </div>
    </form>
  </dialog>`;
}
