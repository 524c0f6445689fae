// A modal question before a change that users of the product will feel.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { useModalDialog } from './useModalDialog.js';

export interface ConfirmDialogProps {
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  cancelLabel: string;
  /** Styles the confirm button as destructive. @default false */
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Rendered only while the question is open; it opens itself when mounted. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { ref, onCancel } = useModalDialog(props.onCancel);
  return html`<dialog ref=${ref} class="dialog" aria-labelledby="confirm-title" onCancel=${onCancel}>
    <h2 id="confirm-title">${props.title}</h2>
    <div class="dialog-body">${props.children}</div>
    <div class="dialog-actions">
      <button type="button" class="btn" onClick=${props.onCancel}>${props.cancelLabel}</button>
      <button type="button" class=${props.danger ? 'btn btn-danger' : 'btn btn-primary'} disabled=${props.busy} onClick=${props.onConfirm}>${props.confirmLabel}</button>
    </div>
  </dialog>`;
}
