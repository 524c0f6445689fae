// An operator's pause, resume, advance and abort of a rollout: a button for each command its state
// accepts now (`rollout.commands`), each asked first in a dialog that says what users will get.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { RolloutInfo } from '../../core/apiTypes.js';
import type { RolloutCommand } from '../../core/rollout/command.js';
import { api } from '../api.js';
import { text } from '../i18n.js';
import { can } from '../session.js';
import { versionOf, type ProductState } from '../model.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { stableResourceId } from './rolloutBuilds.js';
import { currentStep, followingStep } from './rolloutStages.js';
import { audienceWords, durationWords } from './rolloutWords.js';
import { rolloutsText } from './rollouts.text.js';

const t = text(rolloutsText);

/** The order the buttons stand in, whatever order the server lists them in. */
const ORDER: readonly RolloutCommand[] = ['pause', 'resume', 'advance', 'abort'];

/** What `cmd` does to the users of `rollout`, in a sentence. */
function outcome(cmd: RolloutCommand, rollout: RolloutInfo, state: ProductState): string {
  const version = versionOf(state, rollout.resourceId);
  const stableId = stableResourceId(rollout, state);
  const stable = stableId === null ? null : versionOf(state, stableId);
  const here = currentStep(rollout);
  const who = here === null ? '—' : audienceWords(here);
  switch (cmd) {
    case 'pause':
      return t('body_pause', { who, version });
    case 'resume':
      return t('body_resume', { who, version, time: durationWords(here?.holdSeconds ?? 0) });
    case 'abort':
      return stable === null ? t('body_abortNoStable', { version }) : t('body_abort', { version, stable });
    case 'advance': {
      const next = followingStep(rollout);
      if (next !== null) return t('body_advance', { who: audienceWords(next), version });
      return stable === null ? t('body_promoteNoStable', { version }) : t('body_promote', { version, stable });
    }
  }
}

export interface RolloutCommandsProps {
  rollout: RolloutInfo;
  state: ProductState;
  /** After a command, with what to announce; also after a refusal, since the rollout changed under us. */
  onDone: (message: string | null) => void;
}

export function RolloutCommands({ rollout, state, onDone }: RolloutCommandsProps) {
  const [asking, setAsking] = useState<RolloutCommand | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!can('operator')) return null;
  const offered = ORDER.filter((c) => rollout.commands.includes(c));

  const run = async (cmd: RolloutCommand) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/rollouts/${rollout.id}/${cmd}`, { body: {} });
      onDone(t(`done_${cmd}`, { id: rollout.id }));
    } catch (e) {
      setError(e);
      onDone(null);
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };

  return html`${offered.length > 0 ? html`<div class="actions">
      ${offered.map((c) => html`<button type="button" key=${c} class=${c === 'abort' ? 'btn btn-danger' : 'btn'} onClick=${() => setAsking(c)}>${t(`cmd_${c}`)}</button>`)}
    </div>` : null}
    <${ErrorBanner} error=${error} />
    ${asking ? html`<${ConfirmDialog} title=${t(`title_${asking}`, { id: rollout.id })} confirmLabel=${t(`cmd_${asking}`)}
        cancelLabel=${t('cancel')} danger=${asking === 'abort'} busy=${busy}
        onConfirm=${() => void run(asking)} onCancel=${() => setAsking(null)}>
      <p>${outcome(asking, rollout, state)}</p>
    <//>` : null}`;
}
