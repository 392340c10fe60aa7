// Load test: throughput and errors/s (users on a second axis), latency percentiles, the
// per-request table, and a second run overlaid by elapsed time.
import type { LiveTimelinePoint, LoadView, RequestRow, RunMeta, ServerMetricsColumns, TimelineColumns } from '../../../src/shared/protocol';
import type { DrawnChart, LineSpec } from '../charts';
import { el, fmtNumber, fmtSeconds } from '../dom';
import { dataTable } from '../table';
import { chartBox, joinByX, runLabel, viewFrame, type Columns, type Rendered } from './common';
import { serverMetricsSection } from './serverMetrics';

export interface LoadHandlers {
  compareWith(runId: string | undefined): void;
  status(text: string, error?: boolean): void;
}

const KEYS = ['rps', 'errors', 'users', 'p50', 'p95', 'p99'] as const;
type Key = (typeof KEYS)[number];

/** The compared run's columns aligned to ours by elapsed seconds. */
function aligned(a: TimelineColumns, b: TimelineColumns | undefined): { x: number[]; a: (k: Key) => (number | null)[]; b: (k: Key) => (number | null)[] } {
  const cols = (c: TimelineColumns): Columns => [c.x, ...KEYS.map(k => c[k])];
  const j = joinByX(cols(a), b && cols(b));
  return { x: j.x, a: k => j.a[KEYS.indexOf(k)], b: k => j.b[KEYS.indexOf(k)] ?? [] };
}

export function renderLoad(v: LoadView, runs: RunMeta[], h: LoadHandlers): Rendered {
  const root = viewFrame('load', `Load test · ${runLabel(v.run)}`, v.run, v.notes, { runs, kind: 'load', current: v.compare?.run.id, onChange: h.compareWith });
  const charts: DrawnChart[] = [];
  const chartsHost = el('div', undefined, 'charts');
  root.append(chartsHost);
  const tl = v.timeline;
  if (!tl || tl.x.length === 0) {
    chartsHost.append(el('p', 'This run has no timeline (Locust needs --csv-full-history; autocannon and k6 summaries have none). The table below has the totals.', 'muted'));
  }
  // Server metrics (scraped during the run) below the client charts, on the same time axis;
  // replaced as a live run's scrapes arrive.
  const serverSlot = el('div', undefined, 'server-slot');
  root.append(serverSlot);
  let serverCharts: DrawnChart[] = [];
  const drawServer = () => {
    // Redrawn on every scrape: keep the user's zoom.
    const zoom = serverCharts.map(c => c.zoomed()).find(Boolean);
    serverCharts.forEach(c => c.destroy());
    charts.splice(charts.length - serverCharts.length, serverCharts.length);
    serverSlot.replaceChildren();
    // After the client charts: appendLive updates charts[0] and charts[1].
    serverCharts = v.server ? serverMetricsSection(serverSlot, v.server, h.status).draw() : [];
    if (zoom) serverCharts.forEach(c => c.zoomTo(zoom));
    charts.push(...serverCharts);
  };
  const draw = () => {
    drawClient();
    drawServer();
  };
  const drawClient = () => {
    if (!tl || tl.x.length === 0) return;
    const cmp = v.compare?.timeline;
    const al = aligned(tl, cmp);
    const cmpLabel = v.compare ? ' (B)' : '';
    const tp: LineSpec[] = [
      { label: `req/s${cmpLabel ? ' (A)' : ''}`, values: al.a('rps'), colour: 'blue' },
      { label: `errors/s${cmpLabel ? ' (A)' : ''}`, values: al.a('errors'), colour: 'red' },
    ];
    if (tl.users.some(u => u !== null)) tp.push({ label: 'users', values: al.a('users'), colour: 'purple', scale: 'y2', width: 1 });
    if (cmp) tp.push({ label: `req/s${cmpLabel}`, values: al.b('rps'), colour: 'blue', dash: true }, { label: `errors/s${cmpLabel}`, values: al.b('errors'), colour: 'red', dash: true });
    const thinned = tl.rawPoints > tl.x.length ? ` — ${fmtNumber(tl.rawPoints)} points thinned to ${tl.x.length} (peaks kept)` : '';
    charts.push(chartBox(chartsHost, { title: `Throughput and errors${thinned}`, x: al.x, xKind: 'seconds', lines: tp, yFormat: n => `${fmtNumber(n)}/s`, y2Format: n => fmtNumber(n) }, h.status));
    const lat: LineSpec[] = [
      { label: 'p50', values: al.a('p50'), colour: 'green' },
      { label: 'p95', values: al.a('p95'), colour: 'orange' },
      { label: 'p99', values: al.a('p99'), colour: 'red' },
    ];
    if (cmp) lat.push({ label: `p95${cmpLabel}`, values: al.b('p95'), colour: 'orange', dash: true }, { label: `p99${cmpLabel}`, values: al.b('p99'), colour: 'red', dash: true });
    charts.push(chartBox(chartsHost, { title: 'Latency percentiles', x: al.x, xKind: 'seconds', lines: lat, yFormat: fmtSeconds }, h.status));
  };

  root.append(el('h3', 'Requests'));
  root.append(
    dataTable<RequestRow>({
      filterPlaceholder: 'Filter requests',
      rows: v.requests,
      columns: [
        { title: 'Request', text: r => (r.method ? `${r.method} ${r.name}` : r.name), className: r => (r.aggregate ? 'aggregate' : undefined) },
        { title: 'Count', text: r => fmtNumber(r.count), key: r => r.count, numeric: true },
        { title: 'Failures', text: r => fmtNumber(r.failures), key: r => r.failures, numeric: true, className: r => (r.failures > 0 ? 'bad' : undefined) },
        { title: 'p50', text: r => fmtSeconds(r.p50), key: r => r.p50, numeric: true },
        { title: 'p95', text: r => fmtSeconds(r.p95), key: r => r.p95, numeric: true },
        { title: 'p99', text: r => fmtSeconds(r.p99), key: r => r.p99, numeric: true },
        { title: 'Max', text: r => fmtSeconds(r.max), key: r => r.max, numeric: true },
        { title: 'req/s', text: r => fmtNumber(r.rps), key: r => r.rps, numeric: true },
        {
          title: 'Budget',
          text: r => (r.budget === 'over' ? '✘ over' : r.budget === 'ok' ? '✔ within' : '–'),
          key: r => (r.budget === 'over' ? 0 : r.budget === 'ok' ? 1 : undefined),
          className: r => (r.budget ? `budget-${r.budget}` : undefined),
          tip: r => r.budgetDetail ?? (r.budget ? undefined : 'No budget in perf-lens.config.json applies to this request'),
        },
      ],
    }),
  );
  const updateServer = (s: ServerMetricsColumns) => {
    v.server = s;
    drawServer();
  };
  return { element: root, charts, draw, updateServer };
}

/** Live points → the throughput chart's and latency chart's columns (no compare overlay while live). */
export function appendLive(r: Rendered, t0: number, points: LiveTimelinePoint[]): void {
  const [tp, lat] = r.charts;
  if (!tp || !lat) return;
  const x = points.map(p => p.t - t0);
  const hasUsers = tp.plot.series.length > 3;
  const tpCols: (number | null)[][] = [points.map(p => p.requests), points.map(p => p.failures)];
  if (hasUsers) tpCols.push(points.map(p => p.users ?? null));
  tp.append(x, tpCols);
  const q = (k: string) => points.map(p => p.percentiles?.[k] ?? null);
  lat.append(x, [q('p50'), q('p95'), q('p99')]);
}
