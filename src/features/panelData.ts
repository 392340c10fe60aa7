// Where the panel's data come from, and how runs become chart-ready views.
// No `vscode` import: the view builders are plain functions, unit-tested in Node.
// The integrator implements PanelDataSource over the workspace results store; here it
// is implemented over the history store (.perf/history/*.jsonl) and over a list of runs.
import * as fs from 'fs';
import * as path from 'path';
import type { Run, Series, TimelinePoint } from '../core/model';
import { centralValue } from '../core/store/central';
import { HistoryStore, type RunSummary } from '../core/store/history';
import { loadBaselines, BASELINES_PATH, type BaselineEntry } from '../core/store/baselines';
import { detectFingerprint, machineClass } from '../core/env/fingerprint';
import { chartShifts } from '../core/history/shifts';
import { analyzeLeak } from '../core/leak';
import { checkBudgets, type Budget } from '../core/budget';
import { loadProjectConfig } from '../core/config/projectConfig';
import { PAGE_METRICS } from '../core/ingest/lighthouse';
import { isServerRunOf, serverColumns } from '../core/metrics/columns';
import type { MetricsPoint } from '../core/metrics/derive';
import { SERVER_NOTE } from '../core/metrics/session';
import { theilSen } from '../core/stats/theilSen';
import { ciText, compare, shortP, verdictMethod, type Measurement } from '../core/verdict';
import type { ResultsStore } from '../workspace/resultsStore';
import type {
  BenchmarkRow,
  BenchmarksView,
  FrontendView,
  HistoryPoint,
  HistoryView,
  LoadView,
  MemoryView,
  RequestRow,
  RunMeta,
  ServerMetricsColumns,
  TimelineColumns,
  ViewData,
  ViewQuery,
} from '../shared/protocol';

export type StoredRun = Run & { id: string };

export interface Disposable {
  dispose(): void;
}

/** One run's value of a series, with the run it came from (oldest → newest in lists). */
export interface SeriesAtRun {
  run: RunMeta;
  series: Series;
}

export interface PanelDataSource {
  /** Newest first. */
  listRuns(limit?: number): Promise<RunMeta[]>;
  getRun(id: string): Promise<StoredRun | undefined>;
  /** The last `limit` runs holding series `id`, oldest → newest. */
  seriesHistory(id: string, limit: number): Promise<SeriesAtRun[]>;
  /** The accepted baseline of a series, if any. */
  baseline?(id: string, machineClass?: string): Promise<Measurement & { commit?: string } | undefined>;
  /** The project's budgets (perf-lens.config.json), for views that show them. */
  budgets?(): Promise<Budget[]>;
  /** Fires when runs were added or removed. */
  onDidChange(listener: () => void): Disposable;
}

/** Series longer than this are thinned (min/max per bucket) before they are posted: see bench/panel.ts. */
export const MAX_CHART_POINTS = 4000;

export function runMeta(run: StoredRun | RunSummary): RunMeta {
  return {
    id: run.id,
    tool: run.tool,
    suite: run.suite,
    kind: run.kind,
    startedAt: run.startedAt,
    commit: run.git?.commit,
    branch: run.git?.branch,
    seriesCount: 'series' in run ? run.series.length : run.seriesCount,
    machineClass: 'series' in run ? run.machine && machineClass(run.machine) : run.machineClass,
  };
}

/** The kind of view a run opens in: its declared kind, else what its series hold. */
export function viewFor(run: StoredRun): ViewQuery {
  if (run.kind === 'frontend' || run.tool === 'lighthouse') return { view: 'frontend', runId: run.id };
  if (run.kind === 'load' || (!run.kind && run.series.some(s => s.timeline || s.endpoint))) return { view: 'load', runId: run.id };
  if (run.kind === 'memory' || (!run.kind && run.series.some(s => s.memory))) return { view: 'memory', runId: run.id };
  return { view: 'benchmarks', runId: run.id };
}

export async function buildView(source: PanelDataSource, query: ViewQuery): Promise<ViewData> {
  switch (query.view) {
    case 'run': {
      const run = await mustGet(source, query.runId);
      const q = viewFor(run);
      return q.view === 'run' ? benchmarksView(source, run) : buildView(source, q);
    }
    case 'load': {
      const run = await mustGet(source, query.runId);
      const other = query.compareId ? await mustGet(source, query.compareId) : undefined;
      const b = await projectBudgets(source);
      const view = loadView(run, other, b.budgets);
      if (b.error) view.notes.push(b.error);
      // Server metrics scraped during the run are a prometheus run of their own (or this one).
      const serverMeta = run.tool === 'prometheus' ? runMeta(run) : (await source.listRuns(100)).find(m => isServerRunOf(m, run));
      const server = serverMeta && (serverMeta.id === run.id ? run : await source.getRun(serverMeta.id));
      if (server && serverMeta) view.server = serverColumns(server, serverMeta, view.timeline?.t0 ?? Date.parse(run.startedAt) / 1000);
      return view;
    }
    case 'memory': {
      const view = memoryView(await mustGet(source, query.runId));
      if (query.compareId) {
        const other = memoryView(await mustGet(source, query.compareId));
        view.compare = { run: other.run, seriesName: other.seriesName, x: other.x, rss: other.rss, verdict: other.verdict.status };
      }
      return view;
    }
    case 'benchmarks':
      return benchmarksView(source, await mustGet(source, query.runId));
    case 'history':
      return historyView(source, query.seriesId, query.limit ?? 50);
    case 'frontend':
      return frontendView(source, await mustGet(source, query.runId));
  }
}

/** The source's budgets; a config that cannot be read becomes a note naming the error, not a failed view. */
async function projectBudgets(source: PanelDataSource): Promise<{ budgets: Budget[]; error?: string }> {
  try {
    return { budgets: source.budgets ? await source.budgets() : [] };
  } catch (e) {
    return { budgets: [], error: `budgets not checked: ${(e as Error).message}` };
  }
}

async function mustGet(source: PanelDataSource, id: string): Promise<StoredRun> {
  const run = await source.getRun(id);
  if (!run) throw new Error(`run ${id} is not in the history (deleted, or the history file was moved?)`);
  return run;
}

// ---- load tests ----------------------------------------------------------------

function timelineSeries(run: Run): Series | undefined {
  const withTimeline = run.series.filter(s => s.timeline && s.timeline.length > 0);
  return withTimeline.find(s => s.group === 'Aggregated' || /aggregated/i.test(s.id)) ?? withTimeline[0];
}

/** Indexes to keep so that every bucket's first, min, max and last point survive (peaks stay visible). */
export function thinIndexes(values: ArrayLike<number>, max: number): number[] {
  const n = values.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(max / 4));
  const keep = new Set<number>();
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * n) / buckets);
    const hi = Math.floor(((b + 1) * n) / buckets);
    if (hi <= lo) continue;
    let iMin = lo;
    let iMax = lo;
    for (let i = lo; i < hi; i++) {
      if (values[i] < values[iMin]) iMin = i;
      if (values[i] > values[iMax]) iMax = i;
    }
    keep.add(lo).add(iMin).add(iMax).add(hi - 1);
  }
  return [...keep].sort((a, b) => a - b);
}

const pct = (p: TimelinePoint, key: string): number | null => {
  const v = p.percentiles?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

export function timelineColumns(points: readonly TimelinePoint[], max = MAX_CHART_POINTS): TimelineColumns {
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const t0 = sorted[0]?.t ?? 0;
  const idx = thinIndexes(sorted.map(p => p.requests), max);
  const pick = idx.map(i => sorted[i]);
  return {
    t0,
    x: pick.map(p => p.t - t0),
    rps: pick.map(p => p.requests),
    errors: pick.map(p => p.failures),
    users: pick.map(p => (typeof p.users === 'number' ? p.users : null)),
    p50: pick.map(p => pct(p, 'p50')),
    p95: pick.map(p => pct(p, 'p95')),
    p99: pick.map(p => pct(p, 'p99')),
    rawPoints: sorted.length,
  };
}

function requestRow(s: Series, budgets: readonly Budget[]): RequestRow {
  const p = s.summary.percentiles ?? {};
  const checks = budgets.length ? checkBudgets([s], budgets) : [];
  return {
    ...(checks.length ? { budget: checks.every(c => c.ok) ? 'ok' : 'over', budgetDetail: checks.map(c => c.message).join('\n') } : {}),
    name: s.endpoint?.route ?? s.name ?? s.id,
    method: s.endpoint?.method,
    count: s.endpoint?.requests ?? s.summary.n ?? 0,
    failures: s.endpoint?.failures ?? 0,
    p50: p.p50 ?? s.summary.median,
    p95: p.p95,
    p99: p.p99,
    max: s.summary.max,
    rps: s.endpoint?.rps,
    aggregate: s.group === 'Aggregated',
  };
}

/** `budgets`: the project's (perf-lens.config.json), checked per request row. */
export function loadView(run: StoredRun, other?: StoredRun, budgets: readonly Budget[] = []): LoadView {
  const ts = timelineSeries(run);
  const ots = other && timelineSeries(other);
  const rows = run.series.filter(s => s.endpoint).map(s => requestRow(s, budgets));
  rows.sort((a, b) => Number(a.aggregate) - Number(b.aggregate) || a.name.localeCompare(b.name));
  return {
    view: 'load',
    run: runMeta(run),
    timelineSeries: ts?.id,
    timeline: ts?.timeline ? timelineColumns(ts.timeline) : undefined,
    requests: rows,
    compare: other ? { run: runMeta(other), timeline: ots?.timeline ? timelineColumns(ots.timeline) : undefined } : undefined,
    notes: [...(run.notes ?? []), ...(ts?.notes ?? [])],
  };
}

/** Busiest routes charted by p95 (as for a stored server run). */
const LIVE_ROUTES = 6;

/** Does a live event (untrusted JSON from a progress file) carry a scrape interval we can chart? */
export function isMetricsPoint(e: unknown): e is MetricsPoint {
  const p = e as Partial<MetricsPoint> | undefined;
  return !!p && typeof p === 'object' && typeof p.t === 'number' && Number.isFinite(p.t) && (p.routes === undefined || Array.isArray(p.routes));
}

/**
 * Server metrics of a running load test (the engine's `metrics` events, one per scrape interval)
 * as the columns a stored server run gives (core/metrics/columns.ts), x aligned to `t0`.
 */
export function liveServerColumns(points: readonly MetricsPoint[], findings: readonly string[], meta: RunMeta, t0: number): ServerMetricsColumns {
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const load = new Map<string, number>();
  for (const p of sorted) for (const r of p.routes ?? []) if (typeof r.id === 'string') load.set(r.id, (load.get(r.id) ?? 0) + (num(r.rps) ?? 0));
  const busiest = [...load].sort((a, b) => b[1] - a[1]).slice(0, LIVE_ROUTES).map(([id]) => id);
  return {
    run: meta,
    x: sorted.map(p => Math.round((p.t - t0) * 1000) / 1000),
    rps: sorted.map(p => num(p.rps)),
    errorRate: sorted.map(p => num(p.errorRate)),
    cpu: sorted.map(p => num(p.cpuPercent)),
    rss: sorted.map(p => num(p.rssBytes)),
    routes: busiest.map(id => ({ id, p95: sorted.map(p => num(p.routes?.find(r => r.id === id)?.percentiles?.p95)) })),
    findings: [...findings],
    note: `${SERVER_NOTE}, live`,
  };
}

// ---- memory ----------------------------------------------------------------------

const FIT_POINTS = 300; // Theil–Sen is O(n²): fit on an evenly thinned copy

export function memoryView(run: StoredRun): MemoryView {
  const s = run.series.find(x => x.memory && x.memory.length > 0);
  const notes = [...(run.notes ?? [])];
  if (!s || !s.memory) {
    return {
      view: 'memory', run: runMeta(run), seriesName: '(none)', x: [], rss: [], heap: [], t0: 0, rawPoints: 0,
      verdict: { status: 'inconclusive', rules: [{ rule: 'memory samples present', passed: false, detail: 'this run has no memory samples' }] },
      notes,
    };
  }
  const samples = [...s.memory].sort((a, b) => a.t - b.t);
  const t0 = samples[0].t;
  const idx = thinIndexes(samples.map(m => m.rss), MAX_CHART_POINTS);
  const pick = idx.map(i => samples[i]);
  const view: MemoryView = {
    view: 'memory',
    run: runMeta(run),
    seriesName: s.name ?? s.id,
    x: pick.map(m => m.t - t0),
    rss: pick.map(m => m.rss),
    heap: pick.map(m => (typeof m.heapUsed === 'number' ? m.heapUsed : null)),
    t0,
    rawPoints: samples.length,
    verdict: { status: 'inconclusive', rules: [] },
    notes: [...notes, ...(s.notes ?? [])],
  };
  const ls = s.extra?.loadStart;
  const le = s.extra?.loadEnd;
  if (typeof ls === 'number' && typeof le === 'number' && le > ls) view.loadWindow = [ls - t0, le - t0];
  // The verdict is the core leak analysis (src/core/leak.ts: warm-up dropped, Theil–Sen +
  // Mann–Kendall, practical floor, the seed's growth/peak/release rules); the panel only draws it.
  const leak = analyzeLeak(samples, { loadEnd: typeof le === 'number' ? le : undefined });
  view.verdict.status = leak.status === 'stable' ? 'no leak' : leak.status;
  view.verdict.rules.push({ rule: 'trend', passed: leak.status !== 'leak', detail: leak.reason });
  for (const r of leak.rules) view.verdict.rules.push({ rule: r.name, passed: r.ok, detail: r.message });
  if (samples.length < 3) return view;
  // The drawn trend line: Theil–Sen over all samples (thinned evenly; it is O(n²)).
  const step = Math.max(1, Math.ceil(samples.length / FIT_POINTS));
  const fit = samples.filter((_, i) => i % step === 0);
  const fx = fit.map(m => m.t - t0);
  const r = theilSen(fx, fit.map(m => m.rss), 0.95);
  const xMid = (fx[0] + fx[fx.length - 1]) / 2;
  view.trend = { slope: r.slope, intercept: r.intercept, lo: r.lo, hi: r.hi, confidence: r.confidence, xMid, yMid: r.intercept + r.slope * xMid };
  return view;
}

export function fmtBytes(b: number): string {
  if (!Number.isFinite(b)) return 'n/a';
  const a = Math.abs(b);
  if (a >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (a >= 2 ** 20) return `${(b / 2 ** 20).toFixed(2)} MiB`;
  if (a >= 2 ** 10) return `${(b / 2 ** 10).toFixed(1)} KiB`;
  return `${b.toFixed(0)} B`;
}

// ---- benchmarks and history -------------------------------------------------------

function spreadOf(s: Series): { lo?: number; hi?: number; spread?: number; kind?: 'iqr' | 'stddev' } {
  const q1 = s.summary.percentiles?.p25;
  const q3 = s.summary.percentiles?.p75;
  if (typeof q1 === 'number' && typeof q3 === 'number') return { lo: q1, hi: q3, spread: q3 - q1, kind: 'iqr' };
  const c = centralValue(s)?.value;
  if (typeof s.summary.iqr === 'number' && c !== undefined) return { lo: c - s.summary.iqr / 2, hi: c + s.summary.iqr / 2, spread: s.summary.iqr, kind: 'iqr' };
  if (typeof s.summary.stddev === 'number' && c !== undefined) return { lo: c - s.summary.stddev, hi: c + s.summary.stddev, spread: s.summary.stddev, kind: 'stddev' };
  return {};
}

export async function benchmarksView(source: PanelDataSource, run: StoredRun): Promise<BenchmarksView> {
  const mc = run.machine && machineClass(run.machine);
  const rows: BenchmarkRow[] = [];
  let usedBaseline = false;
  let usedPrevious = false;
  for (const s of run.series) {
    let base: Measurement | undefined = source.baseline ? await source.baseline(s.id, mc) : undefined;
    if (base) usedBaseline = true;
    else {
      const hist = await source.seriesHistory(s.id, 50);
      const i = hist.findIndex(h => h.run.id === run.id);
      const prev = i > 0 ? hist[i - 1] : i === -1 && hist.length ? hist[hist.length - 1] : undefined;
      if (prev) {
        base = prev.series;
        usedPrevious = true;
      }
    }
    const v = compare(s, base);
    const sp = spreadOf(s);
    rows.push({
      id: s.id,
      name: s.name ?? s.id,
      group: s.group,
      metric: s.metric,
      unit: s.unit,
      value: centralValue(s)?.value,
      spread: sp.spread,
      spreadKind: sp.kind,
      n: s.summary.n ?? s.samples?.length,
      verdict: v.status,
      reason: v.reason,
      ...(v.ratio !== null ? { ratio: v.ratio } : {}),
      sure: [ciText(v), v.pValue !== undefined ? shortP(v.pValue) : '', v.test === 'threshold' ? 'threshold only' : ''].filter(Boolean).join(', ') || undefined,
      method: verdictMethod(v) || undefined,
      ...(v.moreRounds !== undefined ? { moreRounds: v.moreRounds } : {}),
      approximations: [...(s.notes ?? []), ...(v.method === 'summary' ? ['The verdict rests on summaries, not per-round samples.'] : [])],
    });
  }
  const comparedWith = usedBaseline && usedPrevious ? 'baselines, else the previous run' : usedBaseline ? 'accepted baselines' : usedPrevious ? 'the previous run with each benchmark' : 'nothing yet (first run)';
  return { view: 'benchmarks', run: runMeta(run), rows, comparedWith };
}

/** A Lighthouse run by page: every metric's value per run, against its baseline (else the previous run) and budgets. */
export async function frontendView(source: PanelDataSource, run: StoredRun): Promise<FrontendView> {
  const pb = await projectBudgets(source);
  const budgets = checkBudgets(run.series, pb.budgets);
  const pages = new Map<string, FrontendView['pages'][number]>();
  let compared = 0;
  for (const s of run.series) {
    const key = PAGE_METRICS.find(m => s.id.endsWith(`#${m.key}`))?.key;
    if (!key || !s.group) continue;
    let base: Measurement | undefined = source.baseline ? await source.baseline(s.id) : undefined;
    if (!base) base = (await source.seriesHistory(s.id, 50)).filter(h => h.run.id !== run.id && h.run.startedAt < run.startedAt).pop()?.series;
    if (base) compared++;
    const v = compare(s, base);
    const page = pages.get(s.group) ?? { path: s.group, url: typeof s.extra?.url === 'string' ? s.extra.url : undefined, metrics: [] };
    pages.set(s.group, page);
    page.metrics.push({
      id: s.id, key, unit: s.unit, samples: s.samples ?? [], median: s.summary.median, verdict: v.status, reason: v.reason,
      budgets: budgets.filter(b => b.id === s.id).map(b => ({ limit: b.limit, ok: b.ok, message: b.message })),
    });
  }
  return { view: 'frontend', run: runMeta(run), pages: [...pages.values()], comparedWith: compared ? 'baselines, else the previous run' : 'nothing yet (first run)', notes: [...(run.notes ?? []), ...(pb.error ? [pb.error] : [])] };
}

export async function historyView(source: PanelDataSource, seriesId: string, limit: number): Promise<HistoryView> {
  const hist = await source.seriesHistory(seriesId, limit);
  const last = hist[hist.length - 1]?.series;
  const base = source.baseline ? await source.baseline(seriesId) : undefined;
  const points: HistoryPoint[] = [];
  for (let i = 0; i < hist.length; i++) {
    const { run, series } = hist[i];
    const c = centralValue(series);
    if (!c) continue;
    const sp = spreadOf(series);
    const ref: Measurement | undefined = base ?? (i > 0 ? hist[i - 1].series : undefined);
    points.push({ runId: run.id, startedAt: run.startedAt, commit: run.commit, value: c.value, lo: sp.lo, hi: sp.hi, verdict: compare(series, ref).status, machineClass: run.machineClass });
  }
  let baseline: HistoryView['baseline'];
  if (base) {
    const c = centralValue(base);
    const sp = spreadOf({ ...base, id: seriesId } as Series);
    if (c) baseline = { value: c.value, lo: sp.lo, hi: sp.hi, commit: base.commit };
  }
  const shifts = chartShifts(points, { seed: seriesId });
  // The chart shows this machine's class by default, runs from other machines behind a switch; with
  // no run from this machine it shows the newest run's class (the webview's fallback), never nothing.
  const here = machineClass(detectFingerprint());
  const shown = points.some(p => p.machineClass === here) ? { machineClass: here } : {};
  return { view: 'history', seriesId, name: last?.name ?? seriesId, unit: last?.unit ?? base?.unit ?? '', metric: last?.metric ?? base?.metric ?? '', points, baseline, shifts, ...shown };
}

// ---- sources --------------------------------------------------------------------

/** Over a list of runs in memory (a fixture folder, tests); `add` drives onDidChange. */
export class RunListSource implements PanelDataSource {
  private readonly listeners = new Set<() => void>();
  constructor(
    private readonly runs: StoredRun[] = [],
    private readonly baselines: Record<string, BaselineEntry> = {},
    private readonly budgetList: Budget[] = [],
  ) {}

  async budgets(): Promise<Budget[]> {
    return this.budgetList;
  }

  /** Reads every `*.json` run file of a folder (one Run per file). Bad files raise an error naming the file. */
  static fromFolder(dir: string): RunListSource {
    const runs: StoredRun[] = [];
    for (const f of fs.readdirSync(dir).filter(n => n.endsWith('.json')).sort()) {
      const file = path.join(dir, f);
      let run: Run;
      try {
        run = JSON.parse(fs.readFileSync(file, 'utf8')) as Run;
      } catch (e) {
        throw new Error(`${file}: not a JSON run (${(e as Error).message})`);
      }
      if (!Array.isArray(run.series) || typeof run.startedAt !== 'string') throw new Error(`${file}: a run needs "startedAt" and "series"`);
      runs.push({ ...run, id: run.id ?? path.basename(f, '.json') });
    }
    return new RunListSource(runs);
  }

  add(run: StoredRun): void {
    this.runs.push(run);
    for (const l of this.listeners) l();
  }

  private newestFirst(): StoredRun[] {
    return [...this.runs].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  }

  async listRuns(limit = 500): Promise<RunMeta[]> {
    return this.newestFirst().slice(0, limit).map(runMeta);
  }

  async getRun(id: string): Promise<StoredRun | undefined> {
    return this.runs.find(r => r.id === id);
  }

  async seriesHistory(id: string, limit: number): Promise<SeriesAtRun[]> {
    const out: SeriesAtRun[] = [];
    for (const run of this.newestFirst()) {
      const series = run.series.find(s => s.id === id);
      if (series) out.push({ run: runMeta(run), series });
      if (out.length >= limit) break;
    }
    return out.reverse();
  }

  async baseline(id: string): Promise<(Measurement & { commit?: string }) | undefined> {
    return this.baselines[id];
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/**
 * Over the workspace's .perf/history store and .perf/baselines.json. `onDidChange` is fired by
 * the caller (`notify()`), e.g. from a file watcher the host owns.
 */
export class HistoryDataSource implements PanelDataSource {
  private readonly listeners = new Set<() => void>();
  readonly store: HistoryStore;

  constructor(private readonly workspaceDir: string) {
    this.store = new HistoryStore(path.join(workspaceDir, '.perf', 'history'));
  }

  notify(): void {
    for (const l of this.listeners) l();
  }

  async listRuns(limit = 500): Promise<RunMeta[]> {
    return (await this.store.list({ limit })).map(runMeta);
  }

  getRun(id: string): Promise<StoredRun | undefined> {
    return this.store.get(id);
  }

  async seriesHistory(id: string, limit: number): Promise<SeriesAtRun[]> {
    const out: SeriesAtRun[] = [];
    for await (const { run } of this.store.records()) {
      const series = run.series.find(s => s.id === id);
      if (series) out.push({ run: runMeta(run), series });
    }
    out.sort((a, b) => Date.parse(a.run.startedAt) - Date.parse(b.run.startedAt));
    return out.slice(Math.max(0, out.length - limit));
  }

  async budgets(): Promise<Budget[]> {
    return (await loadProjectConfig(this.workspaceDir))?.budgets ?? [];
  }

  async baseline(id: string, mc?: string): Promise<(Measurement & { commit?: string }) | undefined> {
    const file = path.join(this.workspaceDir, BASELINES_PATH);
    if (!fs.existsSync(file)) return undefined;
    const doc = await loadBaselines(file);
    const classes = mc && doc.baselines[mc] ? [mc] : Object.keys(doc.baselines);
    for (const c of classes) {
      const e = doc.baselines[c]?.[id];
      if (e) return e;
    }
    return undefined;
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/**
 * Over the workspace's ResultsStore, the one the lenses read: the panel refreshes when the store
 * reloads (not on a watcher of its own) and takes the budgets from the store's config in memory.
 * Runs and histories come from the same .perf/history files (the store keeps only recent points).
 */
export class ResultsStoreSource implements PanelDataSource {
  private readonly files: HistoryDataSource;

  constructor(private readonly store: Pick<ResultsStore, 'folder' | 'config' | 'loadProblems' | 'onDidChange'>) {
    this.files = new HistoryDataSource(store.folder);
  }

  listRuns(limit?: number): Promise<RunMeta[]> {
    return this.files.listRuns(limit);
  }

  getRun(id: string): Promise<StoredRun | undefined> {
    return this.files.getRun(id);
  }

  seriesHistory(id: string, limit: number): Promise<SeriesAtRun[]> {
    return this.files.seriesHistory(id, limit);
  }

  baseline(id: string, mc?: string): Promise<(Measurement & { commit?: string }) | undefined> {
    return this.files.baseline(id, mc);
  }

  async budgets(): Promise<Budget[]> {
    // A config the store could not read: say so (the view shows it as a note) rather than "no budgets".
    const bad = this.store.loadProblems.find(p => p.includes('perf-lens.config.json'));
    if (bad) throw new Error(bad);
    return this.store.config.budgets;
  }

  onDidChange(listener: () => void): Disposable {
    return this.store.onDidChange(() => listener());
  }
}
