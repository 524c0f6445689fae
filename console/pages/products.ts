// `#/`: every product and what its users get now: the full build, and each gray build with its
// audience in words. Admins create products, edit descriptions and delete products here.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { lang, text } from '../i18n.js';
import { href } from '../location.js';
import { can } from '../session.js';
import { ruleWords } from '../ruleWords.js';
import { fullStrategy, grayStrategies, listProducts, loadProductState, versionOf, type ProductState } from '../model.js';
import { useLoad } from '../components/useLoad.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { LiveStatus } from '../components/LiveStatus.js';
import { NewProductForm } from './newProductForm.js';
import { DescriptionForm } from './descriptionForm.js';
import { productsText } from './products.text.js';

const t = text(productsText);

async function loadAll(): Promise<ProductState[]> {
  const products = await listProducts();
  return Promise.all(products.map((p) => loadProductState(p.name)));
}

function ProductCard({ state, onChanged, onDeleted }: { state: ProductState; onChanged: () => void; onDeleted: (name: string) => void }) {
  const { product } = state;
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const full = fullStrategy(state);
  const grays = grayStrategies(state);

  const remove = async () => {
    setBusy(true);
    try {
      await api('DELETE', `/products/${encodeURIComponent(product.name)}`);
      setDeleting(false);
      onDeleted(product.name);
    } catch (e) {
      setError(e);
      setDeleting(false);
    } finally {
      setBusy(false);
    }
  };

  return html`<article class="card product-card" aria-labelledby=${`product-${product.id}`}>
    <h2 id=${`product-${product.id}`}><a href=${href(`/products/${encodeURIComponent(product.name)}`)}>${product.name}</a></h2>
    ${editing
      ? html`<${DescriptionForm} product=${product} onDone=${(changed: boolean) => { setEditing(false); if (changed) onChanged(); }} />`
      : product.description ? html`<p class="muted">${product.description}</p>` : null}
    <dl class="live-state">
      <dt>${t('full')}</dt>
      <dd data-testid="full">${full ? html`<span class="version">${versionOf(state, full.resourceId)}</span>` : html`<span class="muted">${t('noFull')}</span>`}</dd>
      <dt>${t('gray')}</dt>
      <dd data-testid="gray">
        ${grays.length === 0 ? html`<span class="muted">${t('noGray')}</span>` : html`<ul class="plain">
          ${grays.map((g) => html`<li>${t('grayLine', { version: versionOf(state, g.resourceId), who: ruleWords(g.rule, lang.value) })}</li>`)}
        </ul>`}
      </dd>
    </dl>
    <${ErrorBanner} error=${error} />
    ${can('admin') && !editing ? html`<div class="actions">
      <button type="button" class="btn" aria-label=${t('editDescriptionOf', { name: product.name })} onClick=${() => setEditing(true)}>${t('editDescription')}</button>
      <button type="button" class="btn btn-danger" aria-label=${t('deleteOf', { name: product.name })} onClick=${() => setDeleting(true)}>${t('delete')}</button>
    </div>` : null}
    ${deleting ? html`<${ConfirmDialog} title=${t('deleteTitle', { name: product.name })} confirmLabel=${t('deleteConfirm', { name: product.name })}
        cancelLabel=${t('cancel')} danger=${true} busy=${busy} onConfirm=${() => void remove()} onCancel=${() => setDeleting(false)}>
      <p>${t('deleteBody', { builds: state.resources.length, strategies: state.strategies.length })}</p>
    <//>` : null}
  </article>`;
}

export function ProductsPage() {
  const { data, error, reload } = useLoad(loadAll);
  const [message, setMessage] = useState<string | null>(null);
  return html`<section aria-labelledby="products-title">
    <h1 id="products-title">${t('title')}</h1>
    <${LiveStatus} message=${message} />
    ${can('admin') ? html`<${NewProductForm} onCreated=${(name: string) => { setMessage(t('created', { name })); reload(); }} />` : null}
    <${ErrorBanner} error=${error} />
    ${data === null ? null : data.length === 0 ? html`<p>${t('empty')}</p>` : html`<div class="cards">
      ${data.map((s) => html`<${ProductCard} key=${s.product.id} state=${s} onChanged=${reload}
        onDeleted=${(name: string) => { setMessage(t('deleted', { name })); reload(); }} />`)}
    </div>`}
  </section>`;
}
