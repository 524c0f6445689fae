// Edits a product's description in place (PATCH /api/v1/products/{name}, admin).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { text } from '../i18n.js';
import type { Product } from '../model.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { productsText } from './products.text.js';

const t = text(productsText);

export function DescriptionForm({ product, onDone }: { product: Product; onDone: (changed: boolean) => void }) {
  const [value, setValue] = useState(product.description);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = `description-${product.id}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api('PATCH', `/products/${encodeURIComponent(product.name)}`, { body: { description: value } });
      onDone(true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return html`<form class="form" onSubmit=${submit}>
    <${ErrorBanner} error=${error} />
    <div class="field">
      <label for=${id}>${t('description')}</label>
      <textarea id=${id} maxlength="1000" rows="2" value=${value} onInput=${(e: Event) => setValue((e.target as HTMLTextAreaElement).value)}></textarea>
    </div>
    <div class="actions">
      <button type="submit" class="btn btn-primary" disabled=${busy}>${t('save')}</button>
      <button type="button" class="btn" onClick=${() => onDone(false)}>${t('cancel')}</button>
    </div>
  </form>`;
}
