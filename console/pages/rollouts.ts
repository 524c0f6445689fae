// `#/products/<name>/rollouts`: a product's staged rollouts, newest first, each with its state, build,
// stage and last decision; operators start a new one here.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { RolloutInfo } from '../../core/apiTypes.js';
import { api } from '../api.js';
import { text } from '../i18n.js';
import { href, navigate } from '../location.js';
import { can } from '../session.js';
import { fullStrategy, loadProductState, versionOf, type ProductState } from '../model.js';
import type { PageProps } from '../routes.js';
import { useLoad } from '../components/useLoad.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { RolloutStart } from './rolloutStart.js';
import { StateBadge, stageWords } from './rolloutWords.js';
import { rolloutsText } from './rollouts.text.js';

const t = text(rolloutsText);

export interface RolloutsState {
  rollouts: RolloutInfo[];
  product: ProductState;
}

async function loadRollouts(name: string): Promise<RolloutsState> {
  const [rollouts, product] = await Promise.all([
    api<{ rollouts: RolloutInfo[] }>('GET', `/products/${encodeURIComponent(name)}/rollouts`),
    loadProductState(name),
  ]);
  return { rollouts: rollouts.body.rollouts, product };
}

/** The console path of one rollout. */
export const rolloutPath = (id: number): string => `/rollouts/${id}`;

function RolloutsTable({ data }: { data: RolloutsState }) {
  return html`<div class="table-wrap">
    <table class="table">
      <thead><tr>
        <th scope="col">${t('colRollout')}</th><th scope="col">${t('colState')}</th><th scope="col">${t('colBuild')}</th>
        <th scope="col">${t('colStage')}</th><th scope="col">${t('colStarted')}</th><th scope="col">${t('colDecision')}</th>
      </tr></thead>
      <tbody>
        ${data.rollouts.map((r) => html`<tr key=${r.id} data-rollout=${r.id}>
          <td><a href=${href(rolloutPath(r.id))}>${t('rolloutN', { id: r.id })}</a></td>
          <td><${StateBadge} state=${r.state} /></td>
          <td class="version">${versionOf(data.product, r.resourceId)}</td>
          <td>${stageWords(r)}</td>
          <td><${RelativeTime} iso=${r.createdAt} /></td>
          <td class="rollout-reason">${r.decision.reason}</td>
        </tr>`)}
      </tbody>
    </table>
  </div>`;
}

export function RolloutsPage({ params }: PageProps) {
  const name = params['name'] ?? '';
  const { data, error } = useLoad(() => loadRollouts(name), [name]);
  const [starting, setStarting] = useState(false);
  // The full build is what a rollout replaces, not one to roll out.
  const full = data ? fullStrategy(data.product)?.resourceId : undefined;
  const deployed = data?.product.resources.filter((r) => r.status === 'deployed' && r.id !== full) ?? [];
  return html`<section class="page" aria-labelledby="rollouts-title">
    <p><a href=${href(`/products/${encodeURIComponent(name)}`)}>← ${t('backToProduct', { product: name })}</a></p>
    <h1 id="rollouts-title">${t('titleList', { product: name })}</h1>
    <p class="muted">${t('introList')}</p>
    <${ErrorBanner} error=${error} />
    ${data === null ? (error ? null : html`<p class="muted" aria-busy="true">${t('loading')}</p>`) : html`
      ${can('operator') && deployed.length > 0 ? html`<div class="actions">
        <button type="button" class="btn btn-primary" onClick=${() => setStarting(true)}>${t('startRollout')}</button>
      </div>` : null}
      ${data.rollouts.length === 0 ? html`<p class="empty-state">${t('noRollouts', { product: name })}</p>` : html`<${RolloutsTable} data=${data} />`}
      ${starting ? html`<${RolloutStart} product=${name} builds=${deployed}
        onStarted=${(r: RolloutInfo) => navigate(rolloutPath(r.id))} onCancel=${() => setStarting(false)} />` : null}`}
  </section>`;
}
