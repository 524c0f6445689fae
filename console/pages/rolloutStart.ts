// The operator's "Start rollout" form: a deployed build, percent stages typed as `1:10m, 10:30m`, what a
// breach does, and the guard's limits. The server checks the plan whole; the field it refuses
// (`details.field`) is named under the error and marked on its input.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Resource, RolloutInfo } from '../../core/apiTypes.js';
import { api, ApiError } from '../api.js';
import { text } from '../i18n.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { FormDialog } from '../components/FormDialog.js';
import { draftField, draftPlan, EMPTY_DRAFT, type DraftField, type RolloutDraft } from './rolloutDraft.js';
import { rolloutsText } from './rollouts.text.js';

const t = text(rolloutsText);

export interface RolloutStartProps {
  product: string;
  /** The builds that may be rolled out, newest first. */
  builds: Resource[];
  onStarted: (rollout: RolloutInfo) => void;
  onCancel: () => void;
}

interface Problem {
  field: DraftField | null;
  message: string | null;
}

type TextField = Exclude<DraftField, 'onBreach' | 'resourceId'>;
const TEXT_LABELS: Record<TextField, Parameters<typeof t>[0]> = {
  stages: 'stagesLabel',
  minExposures: 'minExposures',
  maxFallbackPercent: 'maxFallback',
  maxErrorPercent: 'maxError',
  tolerancePoints: 'tolerance',
};
const TEXT_HINTS: Partial<Record<TextField, Parameters<typeof t>[0]>> = { stages: 'stagesHint' };

export function RolloutStart({ product, builds, onStarted, onCancel }: RolloutStartProps) {
  const [draft, setDraft] = useState<RolloutDraft>({ ...EMPTY_DRAFT, resourceId: String(builds[0]?.id ?? '') });
  const [problem, setProblem] = useState<Problem>({ field: null, message: null });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof RolloutDraft>(key: K, value: RolloutDraft[K]) => setDraft({ ...draft, [key]: value });

  const submit = async () => {
    setError(null);
    const built = draftPlan(product, draft);
    if (!built.ok) {
      const message = built.problem === 'number' ? t('notNumber')
        : built.item === '' ? t('stagesEmpty') : t('stagesBad', { position: built.position ?? 1, item: built.item ?? '' });
      setProblem({ field: built.field, message });
      return;
    }
    setProblem({ field: null, message: null });
    setBusy(true);
    try {
      onStarted((await api<RolloutInfo>('POST', '/rollouts', { body: built.plan })).body);
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setProblem({ field: draftField(e.details['field']), message: null });
    } finally {
      setBusy(false);
    }
  };

  const refused = error instanceof ApiError && typeof error.details['field'] === 'string' ? error.details['field'] : null;
  const input = (field: TextField, attrs: Record<string, unknown> = {}) => {
    const id = `rollout-${field}`;
    const invalid = problem.field === field;
    const hint = TEXT_HINTS[field];
    const describedBy = [hint ? `${id}-hint` : '', invalid && problem.message ? `${id}-problem` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${id}>${t(TEXT_LABELS[field])}</label>
      <input id=${id} value=${draft[field]} aria-invalid=${invalid ? 'true' : undefined} aria-describedby=${describedBy || undefined}
        onInput=${(e: Event) => set(field, (e.target as HTMLInputElement).value)} ...${attrs} />
      ${hint ? html`<div class="hint" id=${`${id}-hint`}>${t(hint)}</div>` : null}
      ${invalid && problem.message ? html`<div class="field-problem" id=${`${id}-problem`}>${problem.message}</div>` : null}
    </div>`;
  };
  const numeric = { inputmode: 'decimal', class: 'short-input' };

  return html`<${FormDialog} id="start-rollout" title=${t('startTitle', { product })} submitLabel=${t('start')} cancelLabel=${t('cancel')}
      busy=${busy} onSubmit=${() => void submit()} onCancel=${onCancel}>
    <${ErrorBanner} error=${error} />
    ${refused ? html`<p class="field-problem">${t('serverField', { field: refused })}</p>` : null}
    <div class="field">
      <label for="rollout-build">${t('build')}</label>
      <select id="rollout-build" value=${draft.resourceId} aria-invalid=${problem.field === 'resourceId' ? 'true' : undefined}
        onChange=${(e: Event) => set('resourceId', (e.target as HTMLSelectElement).value)}>
        ${builds.map((b) => html`<option value=${String(b.id)}>${b.version}</option>`)}
      </select>
    </div>
    ${input('stages', { autocomplete: 'off', spellcheck: false })}
    <fieldset class="radio-group">
      <legend>${t('onBreach')}</legend>
      ${(['pause', 'rollback'] as const).map((b) => html`<label class="radio" key=${b}>
        <input type="radio" name="rollout-on-breach" value=${b} checked=${draft.onBreach === b} onChange=${() => set('onBreach', b)} />
        <span>${t(b === 'pause' ? 'breachPause' : 'breachRollback')}</span>
      </label>`)}
    </fieldset>
    <label class="check"><input type="checkbox" checked=${draft.guarded} onChange=${(e: Event) => set('guarded', (e.target as HTMLInputElement).checked)} />${t('guarded')}</label>
    ${draft.guarded ? html`<p class="hint">${t('guardHint')}</p>
    <div class="field-row">
      ${input('minExposures', numeric)}
      ${input('maxFallbackPercent', numeric)}
      ${input('maxErrorPercent', numeric)}
    </div>
    <label class="check"><input type="checkbox" checked=${draft.compareToStable} onChange=${(e: Event) => set('compareToStable', (e.target as HTMLInputElement).checked)} />${t('compareToStable')}</label>
    ${draft.compareToStable ? input('tolerancePoints', numeric) : null}` : null}
  <//>`;
}
