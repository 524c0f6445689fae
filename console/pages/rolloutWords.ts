// What the rollout pages say about a rollout, in the current language: its stage and audience, a hold
// time, a rate, its state as a badge.
import { html } from 'htm/preact';
import type { RolloutInfo } from '../../core/apiTypes.js';
import { lang, locale, text } from '../i18n.js';
import { ruleWords } from '../ruleWords.js';
import { durationParts } from '../../core/durationParts.js';
import { currentStep, type StageStep } from './rolloutStages.js';
import { rolloutsText } from './rollouts.text.js';

const t = text(rolloutsText);

/** "1 h 30 min". */
export function durationWords(seconds: number): string {
  return durationParts(seconds).map(([n, unit]) => t(`unit_${unit}`, { n })).join(' ');
}

/** A fraction as a percentage: 0.025 → "2.5%". */
export function rateWords(rate: number): string {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 2 }).format(rate);
}

/** Who gets the build at a stage: "10% of users", "alice and 2 more". */
export function audienceWords(step: StageStep): string {
  return ruleWords(step.audience, lang.value);
}

/** "Stage 2 of 3: 10% of users". */
export function stageWords(r: RolloutInfo): string {
  const step = currentStep(r);
  const k = r.stageIndex + 1;
  return step === null ? t('stageOf', { k, n: r.stageCount }) : t('stageOfWho', { k, n: r.stageCount, who: audienceWords(step) });
}

export function StateBadge({ state }: { state: RolloutInfo['state'] }) {
  return html`<span class=${`badge badge-${state}`} data-state=${state}>${t(`st_${state}`)}</span>`;
}
