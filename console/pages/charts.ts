// Reports over time for one product: exposures, fallbacks and runtime errors per build, gray builds
// beside the stable one, over the last hour, day or week. Data: `GET /api/v1/reports/series`; which
// build is stable or gray: the product's strategies. uPlot loads only when there is something to draw.
import { html } from 'htm/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { locale, text } from '../i18n.js';
import { revision } from '../live.js';
import { href, navigate } from '../location.js';
import type { PageProps } from '../routes.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ReportChart } from '../components/ReportChart.js';
import { chartModels, currentBuilds, type BuildInfo, type ChartGroup, type ChartModel, type ReportSeries } from '../components/reportSeries.js';
import { RANGES, rangeOf, windowOf, type RangeKey, type TimeWindow } from '../components/timeRange.js';
import { chartsText } from './charts.text.js';

const t = text(chartsText);

type Key = Parameters<typeof t>[0];
const RANGE_KEYS: Record<RangeKey, Key> = { '1h': 'range1h', '24h': 'range24h', '7d': 'range7d' };
const GROUP_KEYS: Record<ChartGroup, Key> = { exposures: 'groupExposures', fallbacks: 'groupFallbacks', errors: 'groupErrors' };
const BUCKET_KEYS: Record<number, Key> = { 60: 'bucket1m', 900: 'bucket15m', 3600: 'bucket1h' };
const ROLE_KEYS = { stable: 'roleStable', gray: 'roleGray', other: 'roleOther' } as const satisfies Record<BuildInfo['role'], Key>;

interface SeriesAnswer {
  bucketSeconds: number;
  from: string;
  to: string;
  series: ReportSeries[];
}

interface Loaded {
  product: string;
  window: TimeWindow;
  models: ChartModel[];
}

/** The console path of a product's charts, keeping the chosen range. */
export function chartsPath(product: string, range: RangeKey): string {
  return `/products/${encodeURIComponent(product)}/charts?range=${range}`;
}

async function loadCharts(product: string, range: RangeKey): Promise<Loaded> {
  const asked = windowOf(rangeOf(range), Date.now());
  const p = encodeURIComponent(product);
  const q = new URLSearchParams({
    product,
    from: new Date(asked.from * 1000).toISOString(),
    to: new Date(asked.to * 1000).toISOString(),
    bucketSeconds: String(asked.bucketSeconds),
  });
  const [resources, strategies, series] = await Promise.all([
    api<{ resources: Array<{ id: number; version: string }> }>('GET', `/products/${p}/resources`),
    api<{ strategies: Array<{ resourceId: number; status: string }> }>('GET', `/products/${p}/strategies`),
    api<SeriesAnswer>('GET', `/reports/series?${q}`),
  ]);
  // The server snaps the window to whole buckets: draw what it counted.
  const window: TimeWindow = {
    from: Date.parse(series.body.from) / 1000,
    to: Date.parse(series.body.to) / 1000,
    bucketSeconds: series.body.bucketSeconds,
  };
  const versions = new Map(resources.body.resources.map((r) => [r.id, r.version]));
  const models = chartModels(series.body.series, currentBuilds(strategies.body.strategies, versions), window);
  return { product, window, models };
}

export function ChartsPage({ params, query }: PageProps) {
  const range = rangeOf(query.get('range')).key;
  const [products, setProducts] = useState<string[] | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [refreshes, setRefreshes] = useState(0);
  const loading = useRef(0);
  const live = revision.value;
  const product = params['name'] ?? query.get('product') ?? products?.[0] ?? null;

  useEffect(() => {
    api<{ products: Array<{ name: string }> }>('GET', '/products').then(
      (r) => setProducts(r.body.products.map((p) => p.name).sort()),
      setError,
    );
  }, [live]);

  useEffect(() => {
    if (product === null) return;
    const mine = ++loading.current;
    setBusy(true);
    loadCharts(product, range).then(
      (l) => { if (mine === loading.current) { setLoaded(l); setError(null); } },
      (err) => { if (mine === loading.current) setError(err); },
    ).finally(() => { if (mine === loading.current) setBusy(false); });
  }, [product, range, live, refreshes]);

  const formatTime = useMemo(() => {
    const withDate = range !== '1h';
    const fmt = new Intl.DateTimeFormat(locale(), withDate ? { dateStyle: 'short', timeStyle: 'short' } : { timeStyle: 'short' });
    return (s: number) => fmt.format(new Date(s * 1000));
  }, [range, locale()]);

  const shown = loaded !== null && loaded.product === product ? loaded : null;
  return html`<section class="page charts-page" aria-labelledby="charts-title">
    <h1 id="charts-title">${product ? t('titleProduct', { product }) : t('title')}</h1>
    ${params['name'] ? html`<p><a href=${href(`/products/${encodeURIComponent(params['name'])}`)}>${t('backToProduct', { product: params['name'] })}</a></p>` : null}
    <p class="muted">${t('intro')}</p>
    <div class="toolbar">
      ${products && products.length > 0 ? html`<div class="field">
        <label for="charts-product">${t('product')}</label>
        <select id="charts-product" value=${product ?? ''} onChange=${(e: Event) => navigate(chartsPath((e.target as HTMLSelectElement).value, range))}>
          ${products.map((p) => html`<option value=${p}>${p}</option>`)}
        </select>
      </div>` : null}
      <fieldset class="radio-group">
        <legend>${t('range')}</legend>
        ${RANGES.map((r) => html`<label class="radio" key=${r.key}>
          <input type="radio" name="charts-range" value=${r.key} checked=${r.key === range}
            onChange=${() => product && navigate(chartsPath(product, r.key))} />
          <span>${t(RANGE_KEYS[r.key])}</span>
        </label>`)}
      </fieldset>
      <button type="button" class="btn" disabled=${busy || product === null} onClick=${() => setRefreshes(refreshes + 1)}>${t('refresh')}</button>
    </div>
    <${ErrorBanner} error=${error} />
    ${products !== null && products.length === 0 ? html`<p class="muted">${t('noProducts')}</p>`
      : shown === null ? html`<p class="muted" aria-busy="true">${t('loading')}</p>`
      : html`<${Charts} loaded=${shown} formatTime=${formatTime} />`}
  </section>`;
}

function Charts({ loaded, formatTime }: { loaded: Loaded; formatTime: (s: number) => string }) {
  if (loaded.models.every((m) => m.total === 0)) {
    return html`<p class="empty-state">${t('empty', { product: loaded.product })}</p>`;
  }
  const bucket = t(BUCKET_KEYS[loaded.window.bucketSeconds] ?? 'bucket1m');
  return html`<div class="chart-grid">
    ${loaded.models.map((m) => {
      const labels = m.lines.map((l) => t(ROLE_KEYS[l.build.role], { version: l.build.version }));
      const group = t(GROUP_KEYS[m.group]);
      const totals = m.lines.map((l, i) => t('total', { build: labels[i]!, count: l.total })).join(' · ');
      return html`<${ReportChart} key=${m.group} id=${`chart-${m.group}`} title=${group} model=${m} labels=${labels}
        summary=${t('summary', { totals })} emptyText=${t('groupEmpty')}
        tableCaption=${t('tableCaption', { group, bucket })} timeHeader=${t('time')} failedText=${t('chartLoadFailed')}
        formatTime=${formatTime} />`;
    })}
  </div>`;
}
