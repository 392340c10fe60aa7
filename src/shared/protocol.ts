// The typed message protocol between the extension and the Perf Lens panel.
// Compiled into both bundles. Discriminated unions each way; the webview says
// `ready` before the host posts anything, and requests carry a sequence number
// that the reply echoes. Views carry chart-ready columns (the host thins long
// series, see panelData.ts) so the webview never parses tool formats.

/** What the panel is looking at; also what the serializer restores after a reload. */
export interface PanelFocus {
  /** Workspace-relative file the user came from (a lens), if any. */
  file?: string;
  /** Zero-based line of that lens. */
  line?: number;
  /** Label of the item (test, benchmark or handler id). */
  label?: string;
  /** A run to open (load/memory charts or the benchmark table). */
  runId?: string;
  /** A series whose history to chart. */
  seriesId?: string;
}

export interface PanelState {
  focus?: PanelFocus;
  /** The view shown when the state was saved (restored after a reload). */
  view?: ViewQuery;
}

export type SuiteKindName = 'regression' | 'memory' | 'load' | 'frontend';

/** One stored run as the run picker lists it. */
export interface RunMeta {
  id: string;
  tool: string;
  suite?: string;
  kind?: SuiteKindName;
  startedAt: string;
  commit?: string;
  branch?: string;
  seriesCount: number;
  /** Machine class the run was measured on (env/fingerprint machineClass), when known. */
  machineClass?: string;
}

export interface PanelContent {
  focus?: PanelFocus;
  /** Workspace folder names the panel summarises. */
  workspaces: string[];
  /** Number of stored runs known for the workspace. */
  runCount: number;
  /** A short sentence for the header, e.g. "No runs yet — run a suite to see charts". */
  headline: string;
  /** Newest first, at most a few hundred. */
  runs: RunMeta[];
  /** The view the host suggests opening first (from the focus), if any. */
  initialView?: ViewQuery;
}

/** Which view to build. `compareId` overlays a second load (or memory) run. */
export type ViewQuery =
  /** The view that suits the run (the host decides from its kind and series). */
  | { view: 'run'; runId: string }
  | { view: 'load'; runId: string; compareId?: string }
  | { view: 'memory'; runId: string; compareId?: string }
  | { view: 'benchmarks'; runId: string }
  | { view: 'history'; seriesId: string; limit?: number }
  | { view: 'frontend'; runId: string };

/** Load-test timeline as columns; x is seconds since the run's first point. Missing values are null. */
export interface TimelineColumns {
  /** Epoch seconds of the first point (x = 0). */
  t0: number;
  x: number[];
  rps: number[];
  errors: number[];
  users: (number | null)[];
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  /** Raw points behind the columns, when they were thinned for drawing. */
  rawPoints: number;
}

export interface RequestRow {
  name: string;
  method?: string;
  count: number;
  failures: number;
  /** Seconds. */
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  rps?: number;
  /** Budget status when a budget of the project config applies to the request. */
  budget?: 'ok' | 'over';
  /** The budget checks behind `budget`, one per line, e.g. "p95 0.21 s > budget 0.2 s (+5.0%)" (additive). */
  budgetDetail?: string;
  aggregate: boolean;
}

export interface LoadView {
  view: 'load';
  run: RunMeta;
  /** Id of the series whose timeline is charted (the aggregate row when there is one). */
  timelineSeries?: string;
  timeline?: TimelineColumns;
  requests: RequestRow[];
  compare?: { run: RunMeta; timeline?: TimelineColumns };
  notes: string[];
  /** Server-side metrics scraped during the run (a prometheus run of the same suite), when there are any (additive). */
  server?: ServerMetricsColumns;
}

/**
 * Server-side metrics of a load test from the service's Prometheus endpoint, one value per scrape
 * interval; x is seconds since the client timeline's t0 so both chart on one axis. Missing: null.
 */
export interface ServerMetricsColumns {
  run: RunMeta;
  x: number[];
  rps: (number | null)[];
  /** 5xx share of responses, 0–1. */
  errorRate: (number | null)[];
  /** % of one core. */
  cpu: (number | null)[];
  /** Resident memory, bytes. */
  rss: (number | null)[];
  /** p95 latency per route (the busiest routes), seconds: interpolated in histogram buckets, approximate. */
  routes: { id: string; p95: (number | null)[] }[];
  /** Alert findings of the run. */
  findings: string[];
  note: string;
}

export interface MemoryView {
  view: 'memory';
  run: RunMeta;
  seriesName: string;
  /** Seconds since the first sample. */
  x: number[];
  rss: number[];
  heap: (number | null)[];
  t0: number;
  rawPoints: number;
  /** Theil–Sen fit of RSS against x, bytes per second, with its confidence band. */
  trend?: { slope: number; intercept: number; lo: number; hi: number; confidence: number; xMid: number; yMid: number };
  /** Seconds since the first sample. */
  loadWindow?: [number, number];
  verdict: { status: 'leak' | 'no leak' | 'inconclusive'; rules: { rule: string; passed: boolean; detail: string }[] };
  notes: string[];
  /** A second memory run overlaid by elapsed seconds (additive). */
  compare?: { run: RunMeta; seriesName: string; x: number[]; rss: number[]; verdict: 'leak' | 'no leak' | 'inconclusive' };
}

export type VerdictName = 'regression' | 'improvement' | 'unchanged' | 'inconclusive' | 'new' | 'missing';

export interface BenchmarkRow {
  id: string;
  name: string;
  group?: string;
  metric: string;
  unit: string;
  value?: number;
  /** Spread in the same unit: interquartile range, else standard deviation. */
  spread?: number;
  spreadKind?: 'iqr' | 'stddev';
  n?: number;
  verdict: VerdictName;
  reason: string;
  /** current / baseline of the central value (additive). */
  ratio?: number;
  /** How sure, e.g. "95% CI +28…+41%, p<0.01" (additive). */
  sure?: string;
  /** The test in words, e.g. "Mann–Whitney on 30/30 rounds, …" (additive). */
  method?: string;
  /** Inconclusive: about how many more rounds would decide (additive). */
  moreRounds?: number;
  /** What is approximate about the source (Locust's rounding, summaries only, …) (additive). */
  approximations?: string[];
}

export interface BenchmarksView {
  view: 'benchmarks';
  run: RunMeta;
  rows: BenchmarkRow[];
  /** What the verdicts compare against, e.g. "baselines.json" or "previous run 2026…". */
  comparedWith: string;
}

export interface HistoryPoint {
  runId: string;
  startedAt: string;
  commit?: string;
  value: number;
  /** Spread band around value (quartiles, else ±stddev) in the same unit. */
  lo?: number;
  hi?: number;
  verdict: VerdictName;
  /** Machine class of the run (env/fingerprint machineClass); additive. */
  machineClass?: string;
}

export interface HistoryView {
  view: 'history';
  seriesId: string;
  name: string;
  unit: string;
  metric: string;
  points: HistoryPoint[];
  baseline?: { value: number; lo?: number; hi?: number; commit?: string };
  /** Level shifts found in `points` (index of the first point at the new level); additive. */
  shifts?: HistoryShift[];
  /**
   * Machine class of this machine: the chart shows its runs by default, others behind a switch;
   * additive (absent: the class of the newest point).
   */
  machineClass?: string;
}

export interface HistoryShift {
  index: number;
  commit?: string;
  /** after / before − 1 of the median levels. */
  shift: number;
  confidence: number;
  /** "shifted at commit abc1234 (+14%)". */
  label: string;
  /** Machine class whose runs the shift was found in (shifts are searched per class); additive. */
  machineClass?: string;
}

/** One Lighthouse metric of a page: its value per run, verdict and budgets (frontend view). */
export interface FrontendMetricRow {
  id: string;
  /** fcp, lcp, tbt, speed-index, tti, cls, js-heap */
  key: string;
  unit: string;
  samples: number[];
  median?: number;
  verdict: VerdictName;
  reason: string;
  budgets: { limit: number; ok: boolean; message: string }[];
}

export interface FrontendView {
  view: 'frontend';
  run: RunMeta;
  pages: { path: string; url?: string; metrics: FrontendMetricRow[] }[];
  comparedWith: string;
  notes: string[];
}

export type ViewData = LoadView | MemoryView | BenchmarksView | HistoryView | FrontendView;

export type HostMessage =
  | { type: 'show'; content: PanelContent }
  /** Live load test: points to append to the shown load view when it shows `runId`. */
  | { type: 'timeline'; runId: string; seriesId: string; points: LiveTimelinePoint[]; done?: boolean }
  /** Live load test: the server metrics scraped so far, replacing the shown load view's `server` (additive). */
  | { type: 'server'; runId: string; server: ServerMetricsColumns }
  | { type: 'reply'; requestSeq: number; ok: true; result: ReplyResult }
  | { type: 'reply'; requestSeq: number; ok: false; error: string };

/** A TimelinePoint of the model, structurally (the webview does not import the core model). */
export interface LiveTimelinePoint {
  t: number;
  requests: number;
  failures: number;
  users?: number;
  percentiles?: Record<string, number>;
}

export type ReplyResult =
  | { kind: 'openedFile' }
  | { kind: 'ranCommand' }
  | { kind: 'view'; data: ViewData }
  | { kind: 'saved'; path?: string };

export type WebviewRequest =
  | { kind: 'openFile'; file: string; line?: number }
  | { kind: 'runCommand'; command: 'perfLens.showLog' | 'perfLens.openConfig' }
  | { kind: 'view'; query: ViewQuery }
  /** PNG data are base64 (no data: prefix); CSV is text. The host asks where to save. */
  | { kind: 'save'; format: 'png' | 'csv'; suggestedName: string; data: string };

export type WebviewMessage =
  | { type: 'ready'; state?: PanelState }
  | { type: 'state'; state: PanelState }
  | { type: 'request'; seq: number; request: WebviewRequest };

const hostTypes = new Set(['show', 'timeline', 'server', 'reply']);
const webviewTypes = new Set(['ready', 'state', 'request']);

function hasType(value: unknown, allowed: Set<string>): value is { type: string } {
  return typeof value === 'object' && value !== null && allowed.has(String((value as { type?: unknown }).type));
}

/** Narrow an untrusted message coming from the webview. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  return hasType(value, webviewTypes);
}

/** Narrow an untrusted message coming from the host. */
export function isHostMessage(value: unknown): value is HostMessage {
  return hasType(value, hostTypes);
}
