// A polite live region for the outcome of an action ("Product x created."), read out by screen
// readers without moving focus.
import { html } from 'htm/preact';

export function LiveStatus({ message }: { message: string | null }) {
  return html`<p class="live-status" role="status">${message ?? ''}</p>`;
}
