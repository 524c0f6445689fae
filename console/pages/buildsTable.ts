// The product page's builds: every resource with its status, source, size and the strategies serving
// it. Admins change a status, offered only the moves the server accepts (core/buildStatus.ts).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { ResourceStatus } from '../../core/manifest.js';
import { updateMoves } from '../../core/buildStatus.js';
import { formatBytes } from '../../core/formatBytes.js';
import { releaseDirOf } from '../../core/url/buildPlacement.js';
import { api } from '../api.js';
import { text } from '../i18n.js';
import { can } from '../session.js';
import type { ProductState, Resource } from '../model.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { productText } from './product.text.js';

const t = text(productText);

function movesOf(state: ProductState, r: Resource): ResourceStatus[] {
  return updateMoves(r.status, {
    hostedHere: r.baseUrl === `${releaseDirOf(r.product)}${r.id}/`,
    hasFiles: r.files.length > 0,
    servedByFull: state.strategies.some((s) => s.resourceId === r.id && s.status === 'full'),
  });
}

function StatusChange({ state, resource, onChanged }: { state: ProductState; resource: Resource; onChanged: (m: string) => void }) {
  const moves = movesOf(state, resource);
  const [to, setTo] = useState<ResourceStatus | ''>('');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (moves.length === 0) return null;
  const id = `status-${resource.id}`;
  const apply = async () => {
    if (to === '') return;
    setBusy(true);
    try {
      await api('PATCH', `/resources/${resource.id}`, { body: { status: to } });
      onChanged(t('statusChanged', { version: resource.version, status: t(`r_${to}`) }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return html`<div class="status-change">
    <label for=${id} class="visually-hidden">${t('changeStatusOf', { version: resource.version })}</label>
    <select id=${id} value=${to} onChange=${(e: Event) => setTo((e.target as HTMLSelectElement).value as ResourceStatus | '')}>
      <option value="">${t('changeStatus')}</option>
      ${moves.map((m) => html`<option value=${m}>${t(`r_${m}`)}</option>`)}
    </select>
    <button type="button" class="btn btn-small" disabled=${to === ''} onClick=${() => setAsking(true)}>${t('apply')}</button>
    <${ErrorBanner} error=${error} />
    ${asking && to !== '' ? html`<${ConfirmDialog} title=${t('statusTitle', { version: resource.version, status: t(`r_${to}`) })}
        confirmLabel=${t('confirm')} cancelLabel=${t('cancel')} danger=${to !== 'deployed'} busy=${busy}
        onConfirm=${() => void apply()} onCancel=${() => setAsking(false)}>
      <p>${to === 'deployed' ? t('statusDeployBody') : t('statusFailedBody', { status: t(`r_${to}`) })}</p>
    <//>` : null}
  </div>`;
}

export function BuildsTable({ state, onChanged }: { state: ProductState; onChanged: (message: string) => void }) {
  if (state.resources.length === 0) return html`<p>${t('noBuilds')}</p>`;
  const admin = can('admin');
  return html`<div class="table-wrap">
    <table class="table">
      <thead><tr>
        <th scope="col">${t('version')}</th><th scope="col">${t('status')}</th><th scope="col">${t('branch')}</th>
        <th scope="col">${t('commit')}</th><th scope="col">${t('created')}</th><th scope="col">${t('files')}</th>
        <th scope="col">${t('servedBy')}</th>
        ${admin ? html`<th scope="col">${t('changeStatus')}</th>` : null}
      </tr></thead>
      <tbody>
        ${state.resources.map((r) => {
          const serving = state.strategies.filter((s) => s.resourceId === r.id && s.status !== 'off');
          return html`<tr key=${r.id} data-resource=${r.id}>
            <td class="version">${r.version}</td>
            <td><span class=${`badge badge-${r.status}`}>${t(`r_${r.status}`)}</span></td>
            <td>${r.branch ?? '—'}</td>
            <td><code title=${r.commit ?? ''}>${r.commit ? r.commit.slice(0, 10) : '—'}</code></td>
            <td><${RelativeTime} iso=${r.createdAt} /></td>
            <td>${t('entryCount', { n: r.files.length })}${r.storedBytes === null ? null : html`<br /><span class="muted">${formatBytes(r.storedBytes)}</span>`}</td>
            <td>${serving.length === 0 ? html`<span class="muted">${t('notServed')}</span>` : serving.map((s) => `#${s.id} ${t(`s_${s.status}`)}`).join(', ')}</td>
            ${admin ? html`<td><${StatusChange} state=${state} resource=${r} onChanged=${onChanged} /></td>` : null}
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}
