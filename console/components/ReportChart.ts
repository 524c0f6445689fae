// One chart of report counts over time, drawn by uPlot. uPlot is imported on first use, so its code
// is a chunk of its own that only the charts page downloads. The canvas is hidden from assistive
// technology: the same numbers are in a visually hidden table, and the totals in the summary.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { nonEmptyRows, type BuildRole, type ChartModel } from './reportSeries.js';

/** Stable in blue, gray builds in warm colours, builds no strategy serves in grey. */
const COLORS: Record<BuildRole, readonly string[]> = {
  stable: ['#1d4ed8'],
  gray: ['#c2410c', '#7e22ce', '#047857'],
  other: ['#6b7280'],
};
const HEIGHT = 220;
/** Counts are whole numbers: the y axis steps through these, never 0.2. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

/** The line colour of each line of `model`, in order. */
export function lineColors(model: ChartModel): string[] {
  const seen: Record<BuildRole, number> = { stable: 0, gray: 0, other: 0 };
  return model.lines.map((l) => {
    const palette = COLORS[l.build.role];
    return palette[seen[l.build.role]++ % palette.length]!;
  });
}

export interface ReportChartProps {
  /** Unique on the page: the ids of the caption and table derive from it. */
  id: string;
  title: string;
  model: ChartModel;
  /** The label of each line, in the order of `model.lines`. */
  labels: string[];
  summary: string;
  emptyText: string;
  tableCaption: string;
  timeHeader: string;
  failedText: string;
  formatTime: (epochSeconds: number) => string;
}

export function ReportChart(props: ReportChartProps) {
  const { id, model, labels } = props;
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const colors = lineColors(model);
  const empty = model.total === 0;

  useEffect(() => {
    const el = box.current;
    if (empty || el === null) return undefined;
    let plot: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    let gone = false;
    import('uplot').then(({ default: UPlot }) => {
      if (gone) return;
      const opts: uPlot.Options = {
        width: Math.max(el.clientWidth, 200),
        height: HEIGHT,
        legend: { show: false },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        series: [{}, ...model.lines.map((l, i) => ({ label: labels[i] ?? l.build.version, stroke: colors[i]!, width: 2, points: { show: false } }))],
        axes: [{}, { size: 48, incrs: COUNT_STEPS }],
      };
      plot = new UPlot(opts, [model.x, ...model.lines.map((l) => l.values)], el);
      // uPlot draws at a fixed width: follow the box when the window or the layout changes.
      observer = new ResizeObserver(() => { if (plot) plot.setSize({ width: Math.max(el.clientWidth, 200), height: HEIGHT }); });
      observer.observe(el);
    }, () => { if (!gone) setFailed(true); });
    return () => {
      gone = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [model, labels.join('\n')]);

  return html`<figure class="report-chart" aria-labelledby=${`${id}-title`}>
    <figcaption id=${`${id}-title`} class="report-chart-title">${props.title}</figcaption>
    ${empty ? html`<p class="muted">${props.emptyText}</p>` : html`
      <ul class="chart-legend">
        ${model.lines.map((l, i) => html`<li key=${l.build.resourceId}><span class="chart-swatch" aria-hidden="true" style=${{ backgroundColor: colors[i] }}></span>${labels[i]}</li>`)}
      </ul>
      <p class="chart-summary">${props.summary}</p>
      ${failed ? html`<p class="muted">${props.failedText}</p>` : null}
      <div class="chart-box" ref=${box} aria-hidden="true"></div>
      <table class="visually-hidden">
        <caption>${props.tableCaption}</caption>
        <thead><tr><th scope="col">${props.timeHeader}</th>${labels.map((l) => html`<th scope="col">${l}</th>`)}</tr></thead>
        <tbody>
          ${nonEmptyRows(model).map((r) => html`<tr key=${r.t}><th scope="row">${props.formatTime(r.t)}</th>${r.values.map((v) => html`<td>${v}</td>`)}</tr>`)}
        </tbody>
      </table>`}
  </figure>`;
}
