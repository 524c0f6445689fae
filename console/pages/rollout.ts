// `#/rollouts/<id>`: one staged rollout. Where it stands (stage k of n, the hold's time left, counted
// down live), its stages, the guard's limits beside the last decision's figures, charts of the gray and
// stable builds over the rollout, and for operators the commands its state accepts. Every transition,
// the engine's and other operators', bumps the control plane's revision, so the page reloads itself
// within the few seconds live.ts polls in.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { RolloutInfo } from '../../core/apiTypes.js';
import { api } from '../api.js';
import { text } from '../i18n.js';
import { href } from '../location.js';
import { loadProductState, versionOf, type ProductState } from '../model.js';
import type { PageProps } from '../routes.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { LiveStatus } from '../components/LiveStatus.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { useLoad } from '../components/useLoad.js';
import { useNow } from '../components/useNow.js';
import { RolloutCharts } from './rolloutCharts.js';
import { RolloutCommands } from './rolloutCommands.js';
import { RolloutGuardTable } from './rolloutGuardTable.js';
import { holdLeftMs, rolloutSteps, type StageStep } from './rolloutStages.js';
import { StateBadge, audienceWords, durationWords, stageWords } from './rolloutWords.js';
import { rolloutsText } from './rollouts.text.js';

const t = text(rolloutsText);

interface Loaded {
  rollout: RolloutInfo;
  state: ProductState;
}

async function loadRollout(id: string): Promise<Loaded> {
  const rollout = (await api<RolloutInfo>('GET', `/rollouts/${encodeURIComponent(id)}`)).body;
  return { rollout, state: await loadProductState(rollout.product) };
}

/** The sentence under the progress bar: the hold's time left (live), or why nothing counts down. */
function HoldLine({ rollout, version }: { rollout: RolloutInfo; version: string }) {
  const now = useNow(1000, rollout.state === 'running');
  switch (rollout.state) {
    case 'running': {
      const left = holdLeftMs(rollout, now);
      return html`<p data-testid="hold">${left === null || left === 0 ? t('holdOver') : t('holdLeft', { time: durationWords(Math.ceil(left / 1000)) })}</p>`;
    }
    case 'paused':
      return html`<p data-testid="hold">${t('pausedNote')}</p>`;
    case 'completed':
      return html`<p>${t('endedCompleted', { version })}</p>`;
    default:
      return html`<p>${t(`ended${rollout.state === 'aborted' ? 'Aborted' : 'Rolled-back'}`)}</p>`;
  }
}

function StepItem({ step, label, who }: { step: Pick<StageStep, 'status' | 'holdSeconds' | 'checkUrl'>; label: string; who: string }) {
  return html`<li class=${`rollout-step step-${step.status}`} aria-current=${step.status === 'current' ? 'step' : undefined}>
    <span class="step-label">${label}</span>
    <span class="step-status">${t(`step_${step.status}`)}</span>
    <span class="step-who">${who}</span>
    ${step.holdSeconds > 0 ? html`<span class="muted">${t('hold', { time: durationWords(step.holdSeconds) })}</span>` : null}
    ${step.checkUrl ? html`<span class="muted step-check">${t('check', { url: step.checkUrl })}</span>` : null}
  </li>`;
}

function Steps({ rollout, version }: { rollout: RolloutInfo; version: string }) {
  const { stages, full } = rolloutSteps(rollout);
  return html`<ol class="rollout-steps">
    ${stages.map((s) => html`<${StepItem} key=${s.index} step=${s} label=${t('stageN', { k: s.index + 1 })} who=${audienceWords(s)} />`)}
    <${StepItem} step=${{ status: full, holdSeconds: 0, checkUrl: null }} label=${t('stageFull')} who=${t('fullWho', { version })} />
  </ol>`;
}

export function RolloutPage({ params }: PageProps) {
  const id = params['id'] ?? '';
  const { data, error, reload } = useLoad(() => loadRollout(id), [id]);
  const [message, setMessage] = useState<string | null>(null);
  const done = (m: string | null) => { setMessage(m); reload(); };
  const r = data?.rollout;
  const version = data && r ? versionOf(data.state, r.resourceId) : '';
  const doneStages = r ? (r.state === 'completed' ? r.stageCount : r.stageIndex) : 0;
  return html`<section class="page" aria-labelledby="rollout-title">
    ${r ? html`<p><a href=${href(`/products/${encodeURIComponent(r.product)}/rollouts`)}>← ${t('backToList', { product: r.product })}</a></p>` : null}
    <h1 id="rollout-title">${r ? t('title', { id: r.id, product: r.product, version }) : t('rolloutN', { id })}</h1>
    <${ErrorBanner} error=${error} />
    ${data && r ? html`
      <p class="rollout-status"><${StateBadge} state=${r.state} /> <span data-testid="stage">${stageWords(r)}</span></p>
      <progress max=${r.stageCount} value=${doneStages} aria-label=${t('progress')}>${doneStages} / ${r.stageCount}</progress>
      <${HoldLine} rollout=${r} version=${version} />
      <${RolloutCommands} rollout=${r} state=${data.state} onDone=${done} />
      <${LiveStatus} message=${message} />
      <h2>${t('lastDecision')}</h2>
      <p data-testid="reason">${r.decision.reason}</p>
      <p class="muted small">${t('decided')} <${RelativeTime} iso=${r.decision.at} /></p>
      <h2>${t('stages')}</h2>
      <${Steps} rollout=${r} version=${version} />
      <h2>${t('guard')}</h2>
      <${RolloutGuardTable} rollout=${r} state=${data.state} />
      <h2>${t('charts')}</h2>
      <${RolloutCharts} rollout=${r} state=${data.state} />
      <h2>${t('details')}</h2>
      <dl class="live-state">
        <dt>${t('startedBy')}</dt><dd>${r.createdBy}</dd>
        <dt>${t('startedAt')}</dt><dd><${RelativeTime} iso=${r.createdAt} /></dd>
        <dt>${t('priority')}</dt><dd>${r.plan.priority}</dd>
        <dt>${t('salt')}</dt><dd><code>${r.plan.salt}</code></dd>
      </dl>` : error ? null : html`<p class="muted" aria-busy="true">${t('loading')}</p>`}
  </section>`;
}
