// Shows a failed call: the message for its error code in the current language, the server's own
// message as the detail (it says what to do), and the field or rule path it names.
import { html } from 'htm/preact';
import { ApiError } from '../api.js';
import { lang } from '../i18n.js';
import { errorsText } from '../errors.text.js';

/** The message for an error in the current language. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const own = (errorsText[lang.value] as Record<string, string>)[err.code];
    return own ?? err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export function ErrorBanner({ error }: { error: unknown }) {
  if (error == null) return null;
  const own = errorMessage(error);
  const server = error instanceof ApiError && own !== error.message ? error.message : null;
  return html`<div class="error-banner" role="alert">
    <strong>${own}</strong>
    ${server ? html`<div class="error-detail">${server}</div>` : null}
  </div>`;
}
