// .perf/baselines.json: the accepted reference of each series, per machine class.
// Committed and reviewed in PRs, so the file is written deterministically (see
// docs/baselines-format.md) and always atomically, read-modify-write under a lock.
//
// Sturdy baselines (schema 2): an entry keeps the last N accepted runs (`runs`, oldest first,
// samples thinned to an equal share of MAX_BASELINE_SAMPLES each) and the effective baseline is
// derived from all of them: the POOLED samples when every run has samples, else the run with the
// median central value. Pooling puts the run-to-run spread (whole sample sets shift by a few % on
// a busy machine) into the reference, so one lucky quiet run moves it by 1/N at most; the median
// run is the summary-only fallback because summaries of different runs cannot be pooled.
// Schema 1 files load (each entry becomes a pool of one run) and are written as schema 2.
import * as path from 'path';
import { machineClass, runtimeDifferences } from '../env/fingerprint';
import { GitError, readFileAtRef } from '../env/git';
import { lowerIsBetter } from '../model';
import type { MachineFingerprint, Metric, Run, Series, Summary, ToolId, Unit } from '../model';
import { updateFileLocked, type LockOptions, readTextIfExists } from './atomic';
import { centralValue } from './central';
import { mean, median, quantile, stddev } from '../stats/descriptive';
import { mannWhitneyU } from '../stats/mannWhitney';
import { compare, DEFAULT_VERDICT_OPTIONS, pct, runLevelTest, type VerdictOptions } from '../verdict';
import { StoreFormatError, parseJsonLocated } from './errors';
import { orderedRecord, sortedMap, stableJson } from './json';

export const BASELINES_SCHEMA_VERSION = 2;
/** Older schema versions this reader still loads (and migrates on the next write). */
const READABLE_VERSIONS: readonly number[] = [1, 2];
/** Where baselines live, relative to the workspace folder. */
export const BASELINES_PATH = path.join('.perf', 'baselines.json');
/** Samples kept per baseline: enough for rank statistics, small enough to review. */
export const MAX_BASELINE_SAMPLES = 200;
/** Accepted runs pooled into a baseline unless perf-lens.config.json says `verdict.baselineRuns`. */
export const DEFAULT_BASELINE_RUNS = 5;

/** One accepted run of a series, as kept in the pool behind a baseline. */
export interface BaselineRun {
  summary: Summary;
  /** At most MAX_BASELINE_SAMPLES / N values, ascending (an equal share of the pool per run). */
  samples?: number[];
  /** Samples the run had, present only when `samples` was thinned. */
  sampleCount?: number;
  commit?: string;
  branch?: string;
  dirty?: boolean;
  acceptedAt: string;
  acceptedBy: string;
  reason?: string;
  runId?: string;
}

export interface BaselineEntry {
  metric: Metric;
  unit: Unit;
  /** The effective baseline's summary (pooled, or the median run's; see `pooling`). */
  summary: Summary;
  /**
   * The effective baseline's samples, at most MAX_BASELINE_SAMPLES, ascending: the pooled samples
   * of `runs` (derived on load, not written in schema 2), or the median run's.
   */
  samples?: number[];
  /** Number of samples behind `samples`, present only when they were thinned. */
  sampleCount?: number;
  /** How the effective baseline derives from `runs`: absent for a pool of one run. */
  pooling?: 'pooled-samples' | 'median-run';
  /** The accepted runs behind the baseline, oldest first (at most `verdict.baselineRuns`). */
  runs?: BaselineRun[];
  /* Fields below describe the NEWEST accepted run. */
  commit?: string;
  branch?: string;
  dirty?: boolean;
  acceptedAt: string;
  /** "user:<name>" for a person, "tool:<name>" for automation (e.g. "tool:perf-lens auto-update"). */
  acceptedBy: string;
  /** Why it was accepted, when a rule did it (auto-update). */
  reason?: string;
  runId?: string;
  tool?: ToolId;
  suite?: string;
  machine: MachineFingerprint;
}

export interface BaselinesFile {
  schemaVersion: number;
  /** machine class → series id → entry */
  baselines: Record<string, Record<string, BaselineEntry>>;
}

export const emptyBaselines = (): BaselinesFile => ({ schemaVersion: BASELINES_SCHEMA_VERSION, baselines: {} });

// ---------------------------------------------------------------- reading and validation

const METRICS: readonly Metric[] = ['duration', 'throughput', 'memory', 'errorRate', 'count'];
const UNITS: readonly Unit[] = ['s', '1/s', 'bytes', 'ratio', 'count'];
const SUMMARY_NUMBERS = ['n', 'mean', 'median', 'stddev', 'min', 'max', 'iqr'] as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

type Bad = (field: string, detail: string) => never;

function validateSummary(v: unknown, bad: Bad, at: string): void {
  if (!isObj(v)) bad(at, 'expected an object');
  const s = v as Record<string, unknown>;
  for (const k of SUMMARY_NUMBERS) if (s[k] !== undefined && !isNum(s[k])) bad(`${at}.${k}`, 'expected a finite number');
  if (s.percentiles !== undefined) {
    if (!isObj(s.percentiles)) bad(`${at}.percentiles`, 'expected an object');
    for (const [k, x] of Object.entries(s.percentiles as object)) if (!isNum(x)) bad(`${at}.percentiles.${k}`, 'expected a finite number');
  }
}

/** The fields an entry and each of its runs share: samples, acceptance and git facts. */
function validateAccepted(e: Record<string, unknown>, bad: Bad, at: string): void {
  const f = (k: string) => (at ? `${at}.${k}` : k);
  if (e.samples !== undefined && !(Array.isArray(e.samples) && e.samples.every(isNum))) bad(f('samples'), 'expected an array of finite numbers');
  if (e.sampleCount !== undefined && !isNum(e.sampleCount)) bad(f('sampleCount'), 'expected a number');
  if (typeof e.acceptedAt !== 'string' || Number.isNaN(Date.parse(e.acceptedAt))) bad(f('acceptedAt'), 'expected an ISO 8601 date');
  if (typeof e.acceptedBy !== 'string' || !/^(user|tool):./.test(e.acceptedBy)) bad(f('acceptedBy'), 'expected "user:<name>" or "tool:<name>"');
  for (const k of ['commit', 'branch', 'reason', 'runId'] as const) {
    if (e[k] !== undefined && typeof e[k] !== 'string') bad(f(k), 'expected a string');
  }
  if (e.dirty !== undefined && typeof e.dirty !== 'boolean') bad(f('dirty'), 'expected true or false');
}

function validateEntry(e: unknown, file: string, at: string): BaselineEntry {
  const bad: Bad = (field, detail) => {
    throw new StoreFormatError(file, detail, { field: `${at}.${field}` });
  };
  if (!isObj(e)) throw new StoreFormatError(file, 'expected an object', { field: at });
  if (!METRICS.includes(e.metric as Metric)) bad('metric', `expected one of ${METRICS.join(', ')}, got ${JSON.stringify(e.metric)}`);
  if (!UNITS.includes(e.unit as Unit)) bad('unit', `expected one of ${UNITS.join(', ')}, got ${JSON.stringify(e.unit)}`);
  validateSummary(e.summary, bad, 'summary');
  validateAccepted(e, bad, '');
  for (const k of ['tool', 'suite'] as const) {
    if (e[k] !== undefined && typeof e[k] !== 'string') bad(k, 'expected a string');
  }
  if (e.pooling !== undefined && e.pooling !== 'pooled-samples' && e.pooling !== 'median-run') bad('pooling', 'expected "pooled-samples" or "median-run"');
  if (e.runs !== undefined) {
    if (!Array.isArray(e.runs) || e.runs.length === 0) bad('runs', 'expected a non-empty array of accepted runs');
    (e.runs as unknown[]).forEach((r, i) => {
      if (!isObj(r)) bad(`runs[${i}]`, 'expected an object');
      validateSummary((r as Record<string, unknown>).summary, bad, `runs[${i}].summary`);
      validateAccepted(r as Record<string, unknown>, bad, `runs[${i}]`);
    });
  }
  const m = e.machine;
  if (!isObj(m)) return bad('machine', 'expected an object');
  for (const k of ['cpuModel', 'os', 'arch'] as const) if (typeof m[k] !== 'string') bad(`machine.${k}`, 'expected a string');
  if (!isNum(m.cores)) bad('machine.cores', 'expected a number');
  if (!isObj(m.runtimes) || !Object.values(m.runtimes).every(v => typeof v === 'string')) bad('machine.runtimes', 'expected an object of version strings');
  return withEffective(e as unknown as BaselineEntry);
}

/** A schema-1 entry as a pool of one run (what it was: one accepted run). */
function runOfEntry(e: BaselineEntry): BaselineRun {
  return {
    summary: e.summary,
    samples: e.samples,
    sampleCount: e.sampleCount,
    commit: e.commit,
    branch: e.branch,
    dirty: e.dirty,
    acceptedAt: e.acceptedAt,
    acceptedBy: e.acceptedBy,
    reason: e.reason,
    runId: e.runId,
  };
}

const finiteOf = (xs: readonly number[] | undefined): number[] => (xs ?? []).filter(Number.isFinite);

/** Summary of pooled samples; percentile keys are those the newest run reported. */
function pooledSummary(pooled: number[], total: number, keys: readonly string[]): Summary {
  const q = (p: number) => quantile(pooled, p, true);
  const percentiles: Record<string, number> = {};
  for (const k of keys) {
    const p = Number(k.slice(1)) / 100;
    if (/^p\d+(\.\d+)?$/.test(k) && p >= 0 && p <= 1) percentiles[k] = q(p);
  }
  return {
    n: total,
    mean: mean(pooled),
    median: median(pooled, true),
    stddev: pooled.length > 1 ? stddev(pooled) : 0,
    min: pooled[0],
    max: pooled[pooled.length - 1],
    iqr: q(0.75) - q(0.25),
    percentiles: Object.keys(percentiles).length ? percentiles : undefined,
  };
}

/**
 * The effective baseline of a pool (pure): one run → that run as it is; every run with ≥ 2
 * samples → their pooled samples (each run already holds an equal share); otherwise the run
 * whose central value is the median (the lower median for an even count: no invented values).
 */
export function effectiveOfRuns(runs: readonly BaselineRun[]): Pick<BaselineEntry, 'summary' | 'samples' | 'sampleCount' | 'pooling'> {
  const newest = runs[runs.length - 1];
  if (runs.length === 1) return { summary: newest.summary, samples: newest.samples, sampleCount: newest.sampleCount, pooling: undefined };
  if (runs.every(r => finiteOf(r.samples).length >= 2)) {
    const all = runs.flatMap(r => finiteOf(r.samples));
    const pooled = boundSamples(all);
    const total = runs.reduce((n, r) => n + (r.sampleCount ?? finiteOf(r.samples).length), 0);
    const summary = pooledSummary(pooled, total, Object.keys(newest.summary.percentiles ?? {}));
    return { summary, samples: pooled, sampleCount: total > pooled.length ? total : undefined, pooling: 'pooled-samples' };
  }
  const ranked = runs.map(r => ({ r, c: centralValue(r)?.value })).filter((x): x is { r: BaselineRun; c: number } => x.c !== undefined);
  const pick = ranked.length ? ranked.sort((a, b) => a.c - b.c)[(ranked.length - 1) >> 1].r : newest;
  return { summary: pick.summary, samples: pick.samples, sampleCount: pick.sampleCount, pooling: 'median-run' };
}

/** Entry with `runs` (a schema-1 entry becomes a pool of one) and the effective values derived from them. */
function withEffective(e: BaselineEntry): BaselineEntry {
  const runs = e.runs ?? [runOfEntry(e)];
  return { ...e, runs, ...effectiveOfRuns(runs) };
}

/** Parses and validates baselines text; `file` names the source in errors (a path or "REF:path"). */
export function parseBaselines(text: string, file: string): BaselinesFile {
  const j = parseJsonLocated(text, file);
  if (!isObj(j)) throw new StoreFormatError(file, 'expected a JSON object at the top level');
  if (!READABLE_VERSIONS.includes(j.schemaVersion as number)) {
    const newer = isNum(j.schemaVersion) && j.schemaVersion > BASELINES_SCHEMA_VERSION;
    throw new StoreFormatError(
      file,
      newer
        ? `schemaVersion ${j.schemaVersion} was written by a newer Perf Lens (this one reads ${READABLE_VERSIONS.join(' and ')}); update the extension`
        : `expected schemaVersion ${READABLE_VERSIONS.join(' or ')}, got ${JSON.stringify(j.schemaVersion)}`,
      { field: 'schemaVersion' },
    );
  }
  if (!isObj(j.baselines)) throw new StoreFormatError(file, 'expected an object', { field: 'baselines' });
  const baselines: BaselinesFile['baselines'] = {};
  for (const [cls, series] of Object.entries(j.baselines)) {
    if (!isObj(series)) throw new StoreFormatError(file, 'expected an object of series', { field: `baselines[${JSON.stringify(cls)}]` });
    baselines[cls] = {};
    for (const [id, e] of Object.entries(series)) {
      baselines[cls][id] = validateEntry(e, file, `baselines[${JSON.stringify(cls)}][${JSON.stringify(id)}]`);
    }
  }
  // Migrated on write: the next writer serialises schema 2.
  return { ...j, schemaVersion: BASELINES_SCHEMA_VERSION, baselines };
}

/** Loads baselines; a missing file is an empty set, a malformed one a StoreFormatError (the file is left as is). */
export async function loadBaselines(file: string): Promise<BaselinesFile> {
  const text = await readTextIfExists(file);
  return text === undefined ? emptyBaselines() : parseBaselines(text, file);
}

/**
 * Baselines as committed at a git ref (e.g. "main" to compare a branch with main). Missing
 * at that ref → empty set; unknown ref / not a repository → GitError; malformed → StoreFormatError.
 */
export async function readBaselinesAtRef(repoDir: string, ref: string, file: string = BASELINES_PATH): Promise<BaselinesFile> {
  let text: string;
  try {
    text = await readFileAtRef(repoDir, ref, file);
  } catch (e) {
    if (e instanceof GitError && e.kind === 'missing-file') return emptyBaselines();
    throw e;
  }
  return parseBaselines(text, `${ref}:${file.split(path.sep).join('/')}`);
}

// ---------------------------------------------------------------- writing

const ENTRY_ORDER = [
  'metric', 'unit', 'summary', 'samples', 'sampleCount', 'pooling', 'runs', 'commit', 'branch', 'dirty',
  'acceptedAt', 'acceptedBy', 'reason', 'runId', 'tool', 'suite', 'machine',
] as const;
const RUN_ORDER = ['summary', 'samples', 'sampleCount', 'commit', 'branch', 'dirty', 'acceptedAt', 'acceptedBy', 'reason', 'runId'] as const;
const SUMMARY_ORDER = ['n', 'mean', 'median', 'stddev', 'min', 'max', 'iqr', 'percentiles'] as const;
const MACHINE_ORDER = ['cpuModel', 'cores', 'os', 'arch', 'runtimes'] as const;

const canonicalSummary = (s: Summary) => orderedRecord({ ...s, percentiles: s.percentiles && sortedMap(s.percentiles, v => v) }, SUMMARY_ORDER);

function canonicalEntry(e: BaselineEntry): Record<string, unknown> {
  const runs = e.runs?.map(r => orderedRecord({ ...r, summary: canonicalSummary(r.summary) }, RUN_ORDER));
  return orderedRecord(
    {
      ...e,
      summary: canonicalSummary(e.summary),
      // With runs, the effective samples are derived from them on load: written once, not twice.
      samples: runs ? undefined : e.samples,
      sampleCount: runs ? undefined : e.sampleCount,
      runs,
      machine: orderedRecord({ ...e.machine, runtimes: sortedMap(e.machine.runtimes, v => v) }, MACHINE_ORDER),
    },
    ENTRY_ORDER,
  );
}

/** The exact text written to disk: same content → same bytes, on every machine. */
export function serializeBaselines(doc: BaselinesFile): string {
  const { schemaVersion: _read, baselines, ...rest } = doc;
  return stableJson({
    schemaVersion: BASELINES_SCHEMA_VERSION,
    baselines: sortedMap(baselines, series => sortedMap(series, canonicalEntry)),
    ...sortedMap(rest, v => v),
  });
}

/** Ascending, thinned to at most `max` values by taking evenly spaced order statistics (keeps the distribution's shape). */
export function boundSamples(samples: readonly number[], max = MAX_BASELINE_SAMPLES): number[] {
  const s = samples.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length <= max) return s;
  if (max === 1) return [s[Math.floor((s.length - 1) / 2)]];
  return Array.from({ length: max }, (_, i) => s[Math.round((i * (s.length - 1)) / (max - 1))]);
}

/** Refuses a series whose numbers cannot be a baseline (NaN, Infinity), naming it. */
function checkSeries(s: Series): void {
  const bad = (field: string): never => {
    throw new Error(`series ${s.id}: ${field} is not a finite number; not accepted as a baseline`);
  };
  for (const k of SUMMARY_NUMBERS) if (s.summary[k] !== undefined && !isNum(s.summary[k])) bad(`summary.${k}`);
  for (const [k, v] of Object.entries(s.summary.percentiles ?? {})) if (!isNum(v)) bad(`summary.percentiles.${k}`);
}

/** Samples each run keeps in a pool of `poolSize` runs: an equal share of MAX_BASELINE_SAMPLES. */
export function samplesPerRun(poolSize: number): number {
  return Math.max(1, Math.floor(MAX_BASELINE_SAMPLES / Math.max(1, poolSize)));
}

function runFromSeries(run: Run, s: Series, by: string, at: string, reason?: string): BaselineRun {
  const samples = s.samples && s.samples.length > 0 ? boundSamples(s.samples) : undefined;
  const finite = s.samples?.filter(Number.isFinite).length ?? 0;
  return {
    summary: s.summary,
    samples,
    sampleCount: samples && finite > samples.length ? finite : undefined,
    commit: run.git?.commit,
    branch: run.git?.branch,
    dirty: run.git?.dirty || undefined, // only written when true: clean is the norm
    acceptedAt: at,
    acceptedBy: by,
    reason,
    runId: run.id,
  };
}

/** A pool run's samples thinned to its share (sampleCount keeps what the run really had). */
function thinRun(r: BaselineRun, max: number): BaselineRun {
  if (!r.samples || r.samples.length <= max) return r;
  return { ...r, samples: boundSamples(r.samples, max), sampleCount: r.sampleCount ?? r.samples.length };
}

/** How a newly accepted run joins the pool: appended, or a new pool (level changed, not comparable). */
export type PoolMode = 'append' | 'restart';

/**
 * The entry after accepting `s` (pure). `mode` 'append' keeps the last `poolSize` runs; the
 * effective baseline is re-derived. A different metric/unit always starts a new pool.
 */
export function addToPool(prev: BaselineEntry | undefined, run: Run, s: Series, machine: MachineFingerprint, added: BaselineRun, poolSize: number, mode: PoolMode): BaselineEntry {
  const comparable = prev && prev.metric === s.metric && prev.unit === s.unit;
  const kept = comparable && mode === 'append' ? [...(prev.runs ?? [runOfEntry(prev)]), added] : [added];
  const last = kept.slice(Math.max(0, kept.length - Math.max(1, poolSize)));
  // Equal shares of the sample budget among the runs now in the pool (a pool of one keeps 200).
  const runs = last.map(r => thinRun(r, samplesPerRun(last.length)));
  return withEffective({
    metric: s.metric,
    unit: s.unit,
    summary: s.summary,
    runs,
    commit: added.commit,
    branch: added.branch,
    dirty: added.dirty,
    acceptedAt: added.acceptedAt,
    acceptedBy: added.acceptedBy,
    reason: added.reason,
    runId: added.runId,
    tool: run.tool,
    suite: run.suite,
    machine,
  });
}

/**
 * A level change between the pool and a run: with samples on both sides, the verdict's rule
 * without its bootstrap CI (Mann–Whitney p < α and a median ratio beyond the threshold), cheap
 * enough for accepting hundreds of series at once; with summaries, the verdict itself.
 */
export function levelChanged(s: Series, prev: BaselineEntry | undefined, verdict: VerdictOptions = {}): string | undefined {
  if (!prev || prev.metric !== s.metric || prev.unit !== s.unit) return undefined;
  const cur = finiteOf(s.samples);
  const base = finiteOf(prev.samples);
  const threshold = verdict.threshold ?? DEFAULT_VERDICT_OPTIONS.threshold;
  const alpha = verdict.alpha ?? DEFAULT_VERDICT_OPTIONS.alpha;
  if (cur.length >= 2 && base.length >= 2) {
    const mb = median(base);
    if (!(mb > 0)) return undefined;
    const ratio = median(cur) / mb;
    const p = mannWhitneyU(cur, base).pValue;
    // Runs as the unit too: a run that moved no more than the pool's runs move among themselves
    // joins the pool (restarting on run-to-run drift would throw the spread away).
    const rl = runLevelTest(s, prev);
    if (p < alpha && Math.abs(ratio - 1) > threshold && (!rl || rl.pValue < alpha)) {
      return `${pct(ratio)} median vs the pool (${p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`}, Mann–Whitney${rl ? `; run-to-run t over ${rl.baselineRuns} runs p=${rl.pValue.toFixed(3)}` : ''})`;
    }
    return undefined;
  }
  const v = compare(s, prev, { seed: s.id, ...verdict });
  return v.status === 'regression' || v.status === 'improvement' ? v.reason : undefined;
}

export interface AcceptOptions extends LockOptions {
  /** Series to accept; all of the run's series when absent. */
  ids?: readonly string[];
  /** "user:<name>" or "tool:<name>". */
  by: string;
  /** Used when the run carries no fingerprint (e.g. detectFingerprint() for a run measured here). */
  machine?: MachineFingerprint;
  /** Clock, for tests. */
  now?: () => Date;
  /** Accepted runs pooled per series (perf-lens.config.json `verdict.baselineRuns`, default 5). */
  baselineRuns?: number;
  /** Verdict options deciding whether the accepted run changed level (threshold, alpha). */
  verdict?: VerdictOptions;
}

export interface AcceptResult {
  machineClass: string;
  accepted: string[];
  /** Requested ids the run does not contain. */
  missing: string[];
  /** Accepted ids whose pool restarted because the run differs significantly from it (a new level). */
  restarted?: string[];
}

function runMachine(run: Run, fallback: MachineFingerprint | undefined, file: string): MachineFingerprint {
  const m = run.machine ?? fallback;
  if (!m) throw new Error(`${file}: cannot accept run ${run.id ?? run.startedAt} as a baseline: it has no machine fingerprint`);
  return m;
}

function checkBy(by: string): void {
  if (!/^(user|tool):./.test(by)) throw new Error(`acceptedBy must be "user:<name>" or "tool:<name>", got ${JSON.stringify(by)}`);
}

/** Makes all (or `ids`) of the run's series the baseline for the run's machine class. */
export async function acceptRun(file: string, run: Run, opts: AcceptOptions): Promise<AcceptResult> {
  checkBy(opts.by);
  const machine = runMachine(run, opts.machine, file);
  const cls = machineClass(machine);
  const want = opts.ids ? new Set(opts.ids) : undefined;
  const chosen = run.series.filter(s => !want || want.has(s.id));
  chosen.forEach(checkSeries);
  const missing = want ? [...want].filter(id => !run.series.some(s => s.id === id)) : [];
  const at = (opts.now?.() ?? new Date()).toISOString();
  return updateFileLocked(
    file,
    current => {
      // Malformed → parseBaselines throws and nothing is written.
      const doc = current === undefined ? emptyBaselines() : parseBaselines(current, file);
      if (chosen.length === 0) return { result: { machineClass: cls, accepted: [] as string[], missing } as AcceptResult };
      const bucket = (doc.baselines[cls] ??= {});
      const restarted: string[] = [];
      for (const s of chosen) {
        // A person accepting a run that differs significantly from the pool declares a new
        // level (an intended slowdown, a faster algorithm): pooling it with the old level would
        // keep flagging what was just accepted, so the pool restarts with this run.
        const changed = levelChanged(s, bucket[s.id], opts.verdict);
        if (changed) restarted.push(s.id);
        const reason = changed ? `new level, pool restarted: ${changed}` : undefined;
        bucket[s.id] = addToPool(bucket[s.id], run, s, machine, runFromSeries(run, s, opts.by, at, reason), opts.baselineRuns ?? DEFAULT_BASELINE_RUNS, changed ? 'restart' : 'append');
      }
      const result: AcceptResult = { machineClass: cls, accepted: chosen.map(s => s.id), missing };
      if (restarted.length) result.restarted = restarted;
      return { text: serializeBaselines(doc), result };
    },
    opts,
  );
}

export interface AutoUpdateOptions extends LockOptions {
  /** Off by default: baselines normally change only by an explicit, reviewed acceptance. */
  enabled?: boolean;
  /** Relative improvement of the central value needed, 0.10 = 10 % (the seed workflow's rule). */
  minImprovement?: number;
  /** Also create a baseline for series that have none in this machine class (the seed did). Default false. */
  acceptMissing?: boolean;
  /** Accept from a dirty working tree. Default false: an uncommitted change is not reproducible. */
  allowDirty?: boolean;
  by?: string;
  machine?: MachineFingerprint;
  now?: () => Date;
  /** Accepted runs pooled per series (`verdict.baselineRuns`, default 5). */
  baselineRuns?: number;
  /** Options of the significance check (threshold, alpha): the project's verdict settings. */
  verdict?: VerdictOptions;
}

export interface AutoUpdateDecision {
  id: string;
  updated: boolean;
  reason: string;
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

/**
 * The pure part of the rule: does `s` join `base`'s pool as an improvement? Both a significant
 * verdict ('improvement': rank test, CI of the ratio and practical threshold, see verdict.ts)
 * and a gain of more than `minImprovement` are required: a ratio alone lets one lucky quiet
 * run through on a noisy machine.
 */
export function improvementDecision(
  s: Series,
  base: BaselineEntry | undefined,
  minImprovement: number,
  acceptMissing: boolean,
  verdict: VerdictOptions = {},
): AutoUpdateDecision {
  if (!base) {
    return acceptMissing
      ? { id: s.id, updated: true, reason: 'first baseline for this series on this machine class (auto-update, acceptMissing)' }
      : { id: s.id, updated: false, reason: 'no baseline on this machine class' };
  }
  if (base.metric !== s.metric || base.unit !== s.unit) {
    return { id: s.id, updated: false, reason: `not comparable: baseline is ${base.metric} in ${base.unit}, run is ${s.metric} in ${s.unit}` };
  }
  const cur = centralValue(s);
  const old = centralValue(base);
  if (!cur || !old) return { id: s.id, updated: false, reason: 'no central value (no samples, median or mean)' };
  if (old.value === 0) return { id: s.id, updated: false, reason: 'baseline central value is 0: no ratio' };
  const lower = lowerIsBetter(s.metric);
  const gain = lower ? (old.value - cur.value) / Math.abs(old.value) : (cur.value - old.value) / Math.abs(old.value);
  const change = `${fmt(old.value)} → ${fmt(cur.value)} ${s.unit} (${lower ? 'lower' : 'higher'} is better; ${fmt(gain * 100)} % better, ${cur.basis} vs ${old.basis})`;
  if (!(gain > minImprovement)) return { id: s.id, updated: false, reason: `not improved by more than ${fmt(minImprovement * 100)} %: ${change}` };
  const v = compare(s, base, { seed: s.id, ...verdict });
  if (v.status !== 'improvement') {
    return { id: s.id, updated: false, reason: `improved by more than ${fmt(minImprovement * 100)} % but not significantly (verdict ${v.status}: ${v.reason}): ${change}` };
  }
  return { id: s.id, updated: true, reason: `auto-update: improved by more than ${fmt(minImprovement * 100)} %: ${change}; ${v.reason}` };
}

/**
 * Optional rule (default off): a series that improves significantly (verdict 'improvement')
 * and by more than `minImprovement` on its same-class baseline joins the baseline's pool, with
 * the reason recorded. Joining (not replacing) is deliberate: a run that looks better because
 * the machine was quiet moves the pooled baseline by 1/N at most; a real improvement takes
 * over as further improved runs are added.
 */
export async function autoUpdateOnImprovement(file: string, run: Run, opts: AutoUpdateOptions = {}): Promise<AutoUpdateDecision[]> {
  if (!opts.enabled) return [];
  const by = opts.by ?? 'tool:perf-lens auto-update';
  checkBy(by);
  const minImprovement = opts.minImprovement ?? 0.1;
  if (run.git?.dirty && !opts.allowDirty) {
    return run.series.map(s => ({ id: s.id, updated: false, reason: 'working tree is dirty: not auto-updating' }));
  }
  const machine = runMachine(run, opts.machine, file);
  const cls = machineClass(machine);
  const at = (opts.now?.() ?? new Date()).toISOString();
  return updateFileLocked(
    file,
    current => {
      const doc = current === undefined ? emptyBaselines() : parseBaselines(current, file);
      const bucket = doc.baselines[cls] ?? {};
      const decisions = run.series.map(s => {
        const d = improvementDecision(s, bucket[s.id], minImprovement, opts.acceptMissing ?? false, opts.verdict);
        try {
          if (d.updated) checkSeries(s);
        } catch (e) {
          return { id: s.id, updated: false, reason: (e as Error).message };
        }
        return d;
      });
      if (!decisions.some(d => d.updated)) return { result: decisions };
      doc.baselines[cls] = bucket;
      const poolSize = opts.baselineRuns ?? DEFAULT_BASELINE_RUNS;
      for (const [i, d] of decisions.entries()) {
        const s = run.series[i];
        if (d.updated) bucket[d.id] = addToPool(bucket[d.id], run, s, machine, runFromSeries(run, s, by, at, d.reason), poolSize, 'append');
      }
      return { text: serializeBaselines(doc), result: decisions };
    },
    opts,
  );
}

// ---------------------------------------------------------------- lookup

export type BaselineLookup =
  | {
      entry: BaselineEntry;
      machineClass: string;
      sameMachineClass: true;
      /** Runtime/OS differences within the class ("node 20.1.0 → 20.20.2"), when a fingerprint was given. */
      differences: string[];
    }
  /** Only another machine class has it: show it, flagged, never compare silently. */
  | { entry: BaselineEntry; machineClass: string; sameMachineClass: false; warning: string };

/**
 * The baseline for `seriesId` on a machine (its fingerprint, or its class key); when that
 * class has none, the most recently accepted one from another class, flagged with a
 * warning. Undefined when no class has it.
 */
export function lookupBaseline(doc: BaselinesFile, seriesId: string, machine: MachineFingerprint | string): BaselineLookup | undefined {
  const cls = typeof machine === 'string' ? machine : machineClass(machine);
  const own = doc.baselines[cls]?.[seriesId];
  if (own) {
    const differences = typeof machine === 'string' ? [] : runtimeDifferences(own.machine, machine);
    return { entry: own, machineClass: cls, sameMachineClass: true, differences };
  }
  let best: { entry: BaselineEntry; machineClass: string } | undefined;
  for (const [other, series] of Object.entries(doc.baselines)) {
    const e = series[seriesId];
    if (e && (!best || Date.parse(e.acceptedAt) > Date.parse(best.entry.acceptedAt))) best = { entry: e, machineClass: other };
  }
  if (!best) return undefined;
  return {
    ...best,
    sameMachineClass: false,
    warning: `baseline for ${seriesId} comes from another machine (${best.machineClass}, not ${cls}): timings are not comparable across machines; accept a baseline on this machine`,
  };
}
