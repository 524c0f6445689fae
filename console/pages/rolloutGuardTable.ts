// The guard of a rollout: each limit of its plan beside the figures of the last guard decision, for the
// gray build and the stable one, with what the guard made of each.
import { html } from 'htm/preact';
import type { RolloutInfo } from '../../core/apiTypes.js';
import { locale, text } from '../i18n.js';
import { versionOf, type ProductState } from '../model.js';
import { exactTime } from '../components/RelativeTime.js';
import { chartsText } from './charts.text.js';
import { stableResourceId } from './rolloutBuilds.js';
import type { DecisionFigures } from '../../core/apiTypes.js';
import { guardLines, readFigures, unsignedUsers, type GuardLine } from './rolloutGuard.js';
import { rateWords } from './rolloutWords.js';
import { rolloutsText } from './rollouts.text.js';

const t = text(rolloutsText);
const tc = text(chartsText);

const count = (n: number): string => n.toLocaleString(locale());

function limitWords(line: GuardLine): string {
  if (line.figure === 'exposures') return t('limitMin', { n: count(line.limit) });
  // A rate left out of the plan is 1: every rate passes it.
  return line.limit >= 1 ? t('noLimit') : t('limitMax', { rate: rateWords(line.limit) });
}

function valueWords(line: GuardLine, v: GuardLine['gray']): string {
  if (v === null) return '—';
  if (line.figure === 'exposures') return count(v.count);
  return v.value === null ? t('noRate') : t('rateOf', { rate: rateWords(v.value), n: count(v.count) });
}

/** What the figures count, in a sentence; nothing for a kind of count this console does not know. */
function countingWords(f: DecisionFigures): string {
  switch (f.counting) {
    case 'users': return t('countedUsers');
    case 'users-and-unsigned-reports': return t('countedUnsigned', { n: count(unsignedUsers(f)) });
    case 'reports': return t('countedReports');
    default: return '';
  }
}

export function RolloutGuardTable({ rollout, state }: { rollout: RolloutInfo; state: ProductState }) {
  const guard = rollout.plan.guard;
  if (guard === null) return html`<p>${t('noGuard')}</p>`;
  const figures = readFigures(rollout.decision.figures);
  const lines = guardLines(guard, figures);
  const stableId = stableResourceId(rollout, state);
  const points = Number((guard.tolerance * 100).toFixed(2));
  return html`<div class="table-wrap">
      <table class="table guard-table">
        <thead><tr>
          <th scope="col">${t('figure')}</th><th scope="col">${t('limit')}</th>
          <th scope="col">${tc('roleGray', { version: versionOf(state, rollout.resourceId) })}</th>
          <th scope="col">${stableId === null ? tc('roleStable', { version: '—' }) : tc('roleStable', { version: versionOf(state, stableId) })}</th>
        </tr></thead>
        <tbody>
          ${lines.map((line) => html`<tr key=${line.figure} data-figure=${line.figure}>
            <th scope="row">${t(`f_${line.figure}`)}</th>
            <td>${limitWords(line)}</td>
            <td>${valueWords(line, line.gray)}${line.verdict === null ? null
              : html` <span class=${`verdict verdict-${line.verdict}`}>${t(`v_${line.verdict}`)}</span>`}</td>
            <td>${valueWords(line, line.stable)}</td>
          </tr>`)}
        </tbody>
      </table>
    </div>
    <p>${!guard.compareToStable ? t('noCompare') : points === 1 ? t('compareNoteOne') : t('compareNote', { points: count(points) })}
      ${' '}${t(`onBreach_${rollout.plan.onBreach}`)}</p>
    <p class="muted small">${figures === null ? t('noFigures')
      : [figures.window.from && figures.window.to ? t('figuresWindow', { from: exactTime(figures.window.from), to: exactTime(figures.window.to) }) : '',
        countingWords(figures)].filter(Boolean).join(' ')}</p>`;
}
