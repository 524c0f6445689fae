// The product page's strategies: status, build, priority, audience in words, window, and for
// operators a one-click "turn off" on each gray (with a confirmation saying where its users go).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { lang, text } from '../i18n.js';
import { href } from '../location.js';
import { can } from '../session.js';
import { ruleWords } from '../ruleWords.js';
import { turnOffOutcome } from '../outcomes.js';
import { versionOf, windowState, type ProductState, type Strategy } from '../model.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { exactTime } from '../components/RelativeTime.js';
import { productText } from './product.text.js';

const t = text(productText);

/** The audience of a strategy in words: its rule for gray, "everyone else" for full. */
export function whoWords(s: Strategy): string {
  if (s.status === 'full') return t('everyoneElse');
  if (s.status === 'off') return t('nobodyOff');
  return ruleWords(s.rule, lang.value);
}

function windowWords(s: Strategy): string {
  const parts: string[] = [];
  if (s.startsAt) parts.push(t('from', { time: exactTime(s.startsAt) }));
  if (s.endsAt) parts.push(t('until', { time: exactTime(s.endsAt) }));
  const state = windowState(s);
  if (state !== 'open') parts.push(`(${t(state === 'ended' ? 'ended' : 'notYet')})`);
  return parts.length === 0 ? t('always') : parts.join(' ');
}

/** Order shown: in effect first (full, then gray by priority), then off; newest first within. */
function ordered(list: Strategy[]): Strategy[] {
  const rank = { full: 0, gray: 1, off: 2 } as const;
  return [...list].sort((a, b) => rank[a.status] - rank[b.status] || b.priority - a.priority || b.id - a.id);
}

export interface StrategiesTableProps {
  state: ProductState;
  onChanged: (message: string) => void;
}

export function StrategiesTable({ state, onChanged }: StrategiesTableProps) {
  const [asking, setAsking] = useState<Strategy | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const operator = can('operator');

  const turnOff = async (s: Strategy) => {
    setBusy(true);
    setError(null);
    try {
      // `*`: the operator saw this strategy gray and asks for off; any edit in between is still
      // to be turned off, which is what the click means.
      await api('PATCH', `/strategies/${s.id}`, { body: { status: 'off' }, headers: { 'If-Match': '*' } });
      onChanged(t('turnedOff', { id: s.id }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };

  if (state.strategies.length === 0) return html`<p>${t('noStrategies')}</p>`;
  const outcome = turnOffOutcome(state);
  return html`<${ErrorBanner} error=${error} />
  <div class="table-wrap">
    <table class="table">
      <thead><tr>
        <th scope="col">${t('id')}</th><th scope="col">${t('status')}</th><th scope="col">${t('build')}</th>
        <th scope="col">${t('priority')}</th><th scope="col">${t('who')}</th><th scope="col">${t('window')}</th>
        <th scope="col"><span class="visually-hidden">${t('edit')}</span></th>
      </tr></thead>
      <tbody>
        ${ordered(state.strategies).map((s) => html`<tr key=${s.id} data-strategy=${s.id}>
          <td>#${s.id}</td>
          <td><span class=${`badge badge-${s.status}`}>${t(`s_${s.status}`)}</span></td>
          <td class="version">${versionOf(state, s.resourceId)}</td>
          <td>${s.status === 'gray' ? s.priority : ''}</td>
          <td class="who">${whoWords(s)}</td>
          <td>${windowWords(s)}</td>
          <td class="row-actions">
            <a class="btn btn-small" href=${href(`/strategies/${s.id}`)} aria-label=${t(operator ? 'editOf' : 'viewOf', { id: s.id })}>${t(operator ? 'edit' : 'view')}</a>
            ${operator && s.status === 'gray' ? html`<button type="button" class="btn btn-small btn-danger"
              aria-label=${t('turnOffOf', { id: s.id, who: whoWords(s) })} onClick=${() => setAsking(s)}>${t('turnOff')}</button>` : null}
          </td>
        </tr>`)}
      </tbody>
    </table>
  </div>
  ${asking ? html`<${ConfirmDialog} title=${t('turnOffTitle', { version: versionOf(state, asking.resourceId) })}
      confirmLabel=${t('turnOff')} cancelLabel=${t('cancel')} danger=${true} busy=${busy}
      onConfirm=${() => void turnOff(asking)} onCancel=${() => setAsking(null)}>
    <p>${outcome.fallbackVersion
      ? t('turnOffBody', { who: whoWords(asking), fallback: outcome.fallbackVersion })
      : t('turnOffBodyNoFull', { who: whoWords(asking) })}</p>
    <p class="muted">${t('turnOffNote')}</p>
  <//>` : null}`;
}
