// Load test: throughput and errors/s (users on a second axis), latency percentiles, the
// per-request table, and a second run overlaid by elapsed time.
import uPlot from 'uplot';
import type { LiveTimelinePoint, LoadView, RequestRow, RunMeta, TimelineColumns } from '../../../src/shared/protocol';
import type { DrawnChart, LineSpec } from '../charts';
import { el, fmtNumber, fmtSeconds } from '../dom';
import { dataTable } from '../table';
import { chartBox, notesList, runLabel, type Rendered } from './common';
import { serverMetricsSection } from './serverMetrics';

export interface LoadHandlers {
  compareWith(runId: string | undefined): void;
  status(text: string, error?: boolean): void;
}

/** Aligns the compared run's columns to ours by elapsed seconds (uPlot.join leaves gaps as null). */
function aligned(a: TimelineColumns, b: TimelineColumns | undefined): { x: number[]; a: (k: keyof TimelineColumns) => (number | null)[]; b: (k: keyof TimelineColumns) => (number | null)[] } {
  const keys: (keyof TimelineColumns)[] = ['rps', 'errors', 'users', 'p50', 'p95', 'p99'];
  if (!b) return { x: a.x, a: k => a[k] as (number | null)[], b: () => [] };
  const table = (c: TimelineColumns) => [c.x, ...keys.map(k => c[k] as (number | null)[])] as unknown as uPlot.AlignedData;
  const joined = uPlot.join([table(a), table(b)]);
  const col = (offset: number) => (k: keyof TimelineColumns) => joined[1 + offset + keys.indexOf(k)] as (number | null)[];
  return { x: joined[0] as number[], a: col(0), b: col(keys.length) };
}

export function renderLoad(v: LoadView, runs: RunMeta[], h: LoadHandlers): Rendered {
  const root = el('div', undefined, 'view view-load');
  const charts: DrawnChart[] = [];
  const head = el('div', undefined, 'view-head');
  head.append(el('h2', `Load test · ${runLabel(v.run)}`));
  const others = runs.filter(r => r.id !== v.run.id && r.kind === 'load');
  const pick = el('select');
  pick.setAttribute('aria-label', 'Compare with run');
  pick.append(new Option('Compare with… (none)', ''));
  for (const r of others) pick.append(new Option(runLabel(r), r.id, false, r.id === v.compare?.run.id));
  pick.disabled = others.length === 0;
  pick.addEventListener('change', () => h.compareWith(pick.value || undefined));
  head.append(pick);
  root.append(head);
  const notes = notesList(v.notes);
  if (notes) root.append(notes);

  const chartsHost = el('div', undefined, 'charts');
  root.append(chartsHost);
  const tl = v.timeline;
  if (!tl || tl.x.length === 0) {
    chartsHost.append(el('p', 'This run has no timeline (Locust needs --csv-full-history; autocannon and k6 summaries have none). The table below has the totals.', 'muted'));
  }
  // Server metrics (scraped during the run) below the client charts, on the same time axis.
  const server = v.server && serverMetricsSection(root, v.server, h.status);
  const draw = () => {
    drawClient();
    // After the client charts: appendLive updates charts[0] and charts[1].
    if (server) charts.push(...server.draw());
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
        { title: 'Budget', text: r => (r.budget === 'over' ? 'over budget' : r.budget === 'ok' ? 'within' : '–'), className: r => (r.budget === 'over' ? 'bad' : undefined) },
      ],
    }),
  );
  return { element: root, charts, draw };
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
