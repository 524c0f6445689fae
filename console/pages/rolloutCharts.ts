// Reports of a rollout's gray build beside the stable one, from the rollout's start to its end (or now):
// the charts page's charts (ReportChart, uPlot loaded on first draw) over the rollout's own time.
import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import type { RolloutInfo } from '../../core/apiTypes.js';
import { ENDED_STATES } from '../../core/rollout/Rollout.js';
import { api } from '../api.js';
import { locale, text } from '../i18n.js';
import { versionOf, type ProductState } from '../model.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ReportChart } from '../components/ReportChart.js';
import { chartModels, type BuildInfo, type ChartGroup, type ChartModel, type ReportSeries } from '../components/reportSeries.js';
import type { TimeWindow } from '../components/timeRange.js';
import { useLoad } from '../components/useLoad.js';
import { chartsText } from './charts.text.js';
import { stableResourceId } from './rolloutBuilds.js';
import { rolloutWindow } from './rolloutWindow.js';
import { rolloutsText } from './rollouts.text.js';

const t = text(rolloutsText);
const tc = text(chartsText);

type ChartsKey = Parameters<typeof tc>[0];
const GROUP_KEYS: Record<ChartGroup, ChartsKey> = { exposures: 'groupExposures', fallbacks: 'groupFallbacks', errors: 'groupErrors' };
const BUCKET_KEYS: Record<number, ChartsKey> = { 60: 'bucket1m', 900: 'bucket15m', 3600: 'bucket1h' };

interface Loaded {
  window: TimeWindow;
  models: ChartModel[];
}

async function loadCharts(rollout: RolloutInfo, state: ProductState): Promise<Loaded> {
  const ended = ENDED_STATES.includes(rollout.state);
  const asked = rolloutWindow(Date.parse(rollout.createdAt), ended ? Date.parse(rollout.updatedAt) : Date.now());
  const q = new URLSearchParams({
    product: rollout.product,
    from: new Date(asked.from * 1000).toISOString(),
    to: new Date(asked.to * 1000).toISOString(),
    bucketSeconds: String(asked.bucketSeconds),
  });
  const { body } = await api<{ bucketSeconds: number; from: string; to: string; series: ReportSeries[] }>('GET', `/reports/series?${q}`);
  const builds = new Map<number, BuildInfo>([[rollout.resourceId, { resourceId: rollout.resourceId, version: versionOf(state, rollout.resourceId), role: 'gray' }]]);
  const stable = stableResourceId(rollout, state);
  if (stable !== null) builds.set(stable, { resourceId: stable, version: versionOf(state, stable), role: 'stable' });
  // The server snaps the window to whole buckets: draw what it counted, of these two builds only.
  const window: TimeWindow = { from: Date.parse(body.from) / 1000, to: Date.parse(body.to) / 1000, bucketSeconds: body.bucketSeconds };
  return { window, models: chartModels(body.series.filter((s) => builds.has(s.resourceId)), builds, window) };
}

export function RolloutCharts({ rollout, state }: { rollout: RolloutInfo; state: ProductState }) {
  const [refreshes, setRefreshes] = useState(0);
  const { data, error } = useLoad(() => loadCharts(rollout, state), [rollout.id, rollout.version, refreshes]);
  const long = data !== null && data.window.to - data.window.from > 86_400;
  const formatTime = useMemo(() => {
    const fmt = new Intl.DateTimeFormat(locale(), long ? { dateStyle: 'short', timeStyle: 'short' } : { timeStyle: 'short' });
    return (s: number) => fmt.format(new Date(s * 1000));
  }, [long, locale()]);
  return html`<p class="muted">${t('chartsIntro')}</p>
    <p><button type="button" class="btn btn-small" onClick=${() => setRefreshes(refreshes + 1)}>${t('refresh')}</button></p>
    <${ErrorBanner} error=${error} />
    ${data === null ? null : html`<div class="chart-grid">
      ${data.models.map((m) => {
        const labels = m.lines.map((l) => tc(l.build.role === 'stable' ? 'roleStable' : 'roleGray', { version: l.build.version }));
        const group = tc(GROUP_KEYS[m.group]);
        const totals = m.lines.map((l, i) => tc('total', { build: labels[i]!, count: l.total })).join(' · ');
        return html`<${ReportChart} key=${m.group} id=${`rollout-chart-${m.group}`} title=${group} model=${m} labels=${labels}
          summary=${tc('summary', { totals })} emptyText=${tc('groupEmpty')}
          tableCaption=${tc('tableCaption', { group, bucket: tc(BUCKET_KEYS[data.window.bucketSeconds] ?? 'bucket1m') })}
          timeHeader=${tc('time')} failedText=${tc('chartLoadFailed')} formatTime=${formatTime} />`;
      })}
    </div>`}`;
}
