// The admin's form to create a product (POST /api/v1/products), folded behind a button.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { text } from '../i18n.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { productsText } from './products.text.js';

const t = text(productsText);

export function NewProductForm({ onCreated }: { onCreated: (name: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (!open) return html`<p><button type="button" class="btn btn-primary" onClick=${() => setOpen(true)}>${t('newProduct')}</button></p>`;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: { name: string; description?: string } = { name: name.trim() };
      if (description.trim() !== '') body.description = description.trim();
      await api('POST', '/products', { body });
      setOpen(false);
      setName('');
      setDescription('');
      onCreated(body.name);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<form class="card form" onSubmit=${submit} aria-labelledby="new-product-title">
    <h2 id="new-product-title">${t('newProduct')}</h2>
    <${ErrorBanner} error=${error} />
    <div class="field">
      <label for="new-product-name">${t('name')}</label>
      <input id="new-product-name" required pattern="[a-z0-9][a-z0-9\\-]{0,63}" aria-describedby="new-product-name-hint" value=${name}
        onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
      <div class="hint" id="new-product-name-hint">${t('nameHint')}</div>
    </div>
    <div class="field">
      <label for="new-product-description">${t('description')}</label>
      <textarea id="new-product-description" maxlength="1000" rows="2" value=${description}
        onInput=${(e: Event) => setDescription((e.target as HTMLTextAreaElement).value)}></textarea>
    </div>
    <div class="actions">
      <button type="submit" class="btn btn-primary" disabled=${busy}>${t('create')}</button>
      <button type="button" class="btn" onClick=${() => setOpen(false)}>${t('cancel')}</button>
    </div>
  </form>`;
}
