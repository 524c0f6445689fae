// `#/products/<name>`: a product's builds and strategies, with the two emergency moves one click
// away for operators: turn a gray off (in the strategies table) and roll the product back.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { text } from '../i18n.js';
import { href } from '../location.js';
import { can } from '../session.js';
import { loadProductState, type ProductState } from '../model.js';
import { rollbackOutcome } from '../outcomes.js';
import type { PageProps } from '../routes.js';
import { useLoad } from '../components/useLoad.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { LiveStatus } from '../components/LiveStatus.js';
import { BuildsTable } from './buildsTable.js';
import { StrategiesTable, whoWords } from './strategiesTable.js';
import { productText } from './product.text.js';
import { appText } from '../app.text.js';

const t = text(productText);
const tApp = text(appText);

function RollbackButton({ state, onDone }: { state: ProductState; onDone: (message: string) => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const outcome = rollbackOutcome(state);
  const name = state.product.name;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const { body } = await api<{ turnedOff: number[] }>('POST', `/products/${encodeURIComponent(name)}/rollback`, { body: {} });
      onDone(t('rolledBack', { n: body.turnedOff.length, to: outcome.toVersion ?? '—' }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return html`<button type="button" class="btn btn-danger" onClick=${() => setAsking(true)}>${t('rollback')}</button>
    <${ErrorBanner} error=${error} />
    ${asking ? html`<${ConfirmDialog} title=${t('rollbackTitle', { product: name })} confirmLabel=${t('rollback')}
        cancelLabel=${t('cancel')} danger=${true} busy=${busy} onConfirm=${() => void run()} onCancel=${() => setAsking(false)}>
      <p>${outcome.turnedOff.length === 0 ? t('rollbackNoGrays')
        : t('rollbackGrays', { n: outcome.turnedOff.length, who: outcome.turnedOff.map(whoWords).join('; ') })}</p>
      <p>${outcome.toVersion === null ? t('rollbackNothing')
        : outcome.restores ? t('rollbackRestore', { to: outcome.toVersion, from: outcome.fromVersion ?? '—' })
        : t('rollbackKeep', { to: outcome.toVersion })}</p>
    <//>` : null}`;
}

export function ProductPage({ params }: PageProps) {
  const name = params.name ?? '';
  const { data, error, reload } = useLoad(() => loadProductState(name), [name]);
  const [message, setMessage] = useState<string | null>(null);
  const changed = (m: string) => { setMessage(m); reload(); };
  return html`<section aria-labelledby="product-title">
    <p><a href=${href('/')}>← ${t('back')}</a></p>
    <h1 id="product-title">${name}</h1>
    ${data?.product.description ? html`<p class="muted">${data.product.description}</p>` : null}
    <p class="links"><a href=${href(`/products/${encodeURIComponent(name)}/charts`)}>${t('charts')}</a> · <a href=${href(`/products/${encodeURIComponent(name)}/rollouts`)}>${tApp('rollouts')}</a> · <a href=${href('/who')}>${t('whoGetsWhat')}</a></p>
    <${LiveStatus} message=${message} />
    <${ErrorBanner} error=${error} />
    ${data ? html`
      ${can('operator') ? html`<div class="actions">
        <a class="btn btn-primary" href=${href(`/products/${encodeURIComponent(name)}/strategies/new`)}>${t('newStrategy')}</a>
        <${RollbackButton} state=${data} onDone=${changed} />
      </div>` : null}
      <h2>${t('strategies')}</h2>
      <${StrategiesTable} state=${data} onChanged=${changed} />
      <h2>${t('builds')}</h2>
      <${BuildsTable} state=${data} onChanged=${changed} />` : null}
  </section>`;
}
