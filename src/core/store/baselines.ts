// .perf/baselines.json: the accepted reference value of each series, per machine class.
// Committed and reviewed in PRs, so the file is written deterministically (see
// docs/baselines-format.md) and always atomically, read-modify-write under a lock.
import * as fsp from 'fs/promises';
import * as path from 'path';
import { machineClass, runtimeDifferences } from '../env/fingerprint';
import { GitError, readFileAtRef } from '../env/git';
import { lowerIsBetter } from '../model';
import type { MachineFingerprint, Metric, Run, Series, Summary, ToolId, Unit } from '../model';
import { updateFileLocked, type LockOptions } from './atomic';
import { centralValue } from './central';
import { StoreFormatError, parseJsonLocated } from './errors';
import { orderedRecord, sortedMap, stableJson } from './json';

export const BASELINES_SCHEMA_VERSION = 1;
/** Where baselines live, relative to the workspace folder. */
export const BASELINES_PATH = path.join('.perf', 'baselines.json');
/** Samples kept per baseline: enough for rank statistics, small enough to review. */
export const MAX_BASELINE_SAMPLES = 200;

export interface BaselineEntry {
  metric: Metric;
  unit: Unit;
  summary: Summary;
  /** At most MAX_BASELINE_SAMPLES values, ascending; thinned from `sampleCount` when the run had more. */
  samples?: number[];
  /** Number of samples the run had, present only when `samples` was thinned. */
  sampleCount?: number;
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

function validateEntry(e: unknown, file: string, at: string): BaselineEntry {
  const bad = (field: string, detail: string): never => {
    throw new StoreFormatError(file, detail, { field: `${at}.${field}` });
  };
  if (!isObj(e)) throw new StoreFormatError(file, 'expected an object', { field: at });
  if (!METRICS.includes(e.metric as Metric)) bad('metric', `expected one of ${METRICS.join(', ')}, got ${JSON.stringify(e.metric)}`);
  if (!UNITS.includes(e.unit as Unit)) bad('unit', `expected one of ${UNITS.join(', ')}, got ${JSON.stringify(e.unit)}`);
  if (!isObj(e.summary)) bad('summary', 'expected an object');
  const s = e.summary as Record<string, unknown>;
  for (const k of SUMMARY_NUMBERS) if (s[k] !== undefined && !isNum(s[k])) bad(`summary.${k}`, 'expected a finite number');
  if (s.percentiles !== undefined) {
    if (!isObj(s.percentiles)) bad('summary.percentiles', 'expected an object');
    for (const [k, v] of Object.entries(s.percentiles as object)) if (!isNum(v)) bad(`summary.percentiles.${k}`, 'expected a finite number');
  }
  if (e.samples !== undefined && !(Array.isArray(e.samples) && e.samples.every(isNum))) bad('samples', 'expected an array of finite numbers');
  if (e.sampleCount !== undefined && !isNum(e.sampleCount)) bad('sampleCount', 'expected a number');
  if (typeof e.acceptedAt !== 'string' || Number.isNaN(Date.parse(e.acceptedAt))) bad('acceptedAt', 'expected an ISO 8601 date');
  if (typeof e.acceptedBy !== 'string' || !/^(user|tool):./.test(e.acceptedBy)) bad('acceptedBy', 'expected "user:<name>" or "tool:<name>"');
  for (const k of ['commit', 'branch', 'reason', 'runId', 'tool', 'suite'] as const) {
    if (e[k] !== undefined && typeof e[k] !== 'string') bad(k, 'expected a string');
  }
  if (e.dirty !== undefined && typeof e.dirty !== 'boolean') bad('dirty', 'expected true or false');
  const m = e.machine;
  if (!isObj(m)) return bad('machine', 'expected an object');
  for (const k of ['cpuModel', 'os', 'arch'] as const) if (typeof m[k] !== 'string') bad(`machine.${k}`, 'expected a string');
  if (!isNum(m.cores)) bad('machine.cores', 'expected a number');
  if (!isObj(m.runtimes) || !Object.values(m.runtimes).every(v => typeof v === 'string')) bad('machine.runtimes', 'expected an object of version strings');
  return e as unknown as BaselineEntry;
}

/** Parses and validates baselines text; `file` names the source in errors (a path or "REF:path"). */
export function parseBaselines(text: string, file: string): BaselinesFile {
  const j = parseJsonLocated(text, file);
  if (!isObj(j)) throw new StoreFormatError(file, 'expected a JSON object at the top level');
  if (j.schemaVersion !== BASELINES_SCHEMA_VERSION) {
    const newer = isNum(j.schemaVersion) && j.schemaVersion > BASELINES_SCHEMA_VERSION;
    throw new StoreFormatError(
      file,
      newer
        ? `schemaVersion ${j.schemaVersion} was written by a newer Perf Lens (this one reads ${BASELINES_SCHEMA_VERSION}); update the extension`
        : `expected schemaVersion ${BASELINES_SCHEMA_VERSION}, got ${JSON.stringify(j.schemaVersion)}`,
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
  return { ...j, schemaVersion: BASELINES_SCHEMA_VERSION, baselines };
}

/** Loads baselines; a missing file is an empty set, a malformed one a StoreFormatError (the file is left as is). */
export async function loadBaselines(file: string): Promise<BaselinesFile> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyBaselines();
    throw e;
  }
  return parseBaselines(text, file);
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
  'metric', 'unit', 'summary', 'samples', 'sampleCount', 'commit', 'branch', 'dirty',
  'acceptedAt', 'acceptedBy', 'reason', 'runId', 'tool', 'suite', 'machine',
] as const;
const SUMMARY_ORDER = ['n', 'mean', 'median', 'stddev', 'min', 'max', 'iqr', 'percentiles'] as const;
const MACHINE_ORDER = ['cpuModel', 'cores', 'os', 'arch', 'runtimes'] as const;

function canonicalEntry(e: BaselineEntry): Record<string, unknown> {
  return orderedRecord(
    {
      ...e,
      summary: orderedRecord({ ...e.summary, percentiles: e.summary.percentiles && sortedMap(e.summary.percentiles, v => v) }, SUMMARY_ORDER),
      machine: orderedRecord({ ...e.machine, runtimes: sortedMap(e.machine.runtimes, v => v) }, MACHINE_ORDER),
    },
    ENTRY_ORDER,
  );
}

/** The exact text written to disk: same content → same bytes, on every machine. */
export function serializeBaselines(doc: BaselinesFile): string {
  const { schemaVersion, baselines, ...rest } = doc;
  return stableJson({
    schemaVersion,
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

function entryFromSeries(run: Run, s: Series, machine: MachineFingerprint, by: string, at: string, reason?: string): BaselineEntry {
  const samples = s.samples && s.samples.length > 0 ? boundSamples(s.samples) : undefined;
  const finite = s.samples?.filter(Number.isFinite).length ?? 0;
  return {
    metric: s.metric,
    unit: s.unit,
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
    tool: run.tool,
    suite: run.suite,
    machine,
  };
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
}

export interface AcceptResult {
  machineClass: string;
  accepted: string[];
  /** Requested ids the run does not contain. */
  missing: string[];
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
      if (chosen.length === 0) return { result: { machineClass: cls, accepted: [], missing } };
      const bucket = (doc.baselines[cls] ??= {});
      for (const s of chosen) bucket[s.id] = entryFromSeries(run, s, machine, opts.by, at);
      return { text: serializeBaselines(doc), result: { machineClass: cls, accepted: chosen.map(s => s.id), missing } };
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
}

export interface AutoUpdateDecision {
  id: string;
  updated: boolean;
  reason: string;
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

/** The pure part of the rule: would `s` replace `base`? */
export function improvementDecision(s: Series, base: BaselineEntry | undefined, minImprovement: number, acceptMissing: boolean): AutoUpdateDecision {
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
  return gain > minImprovement
    ? { id: s.id, updated: true, reason: `auto-update: improved by more than ${fmt(minImprovement * 100)} %: ${change}` }
    : { id: s.id, updated: false, reason: `not improved by more than ${fmt(minImprovement * 100)} %: ${change}` };
}

/**
 * Optional rule (default off): a series that improves on its same-class baseline by more
 * than `minImprovement` becomes the new baseline, with the reason recorded in the entry.
 * Note: a plain ratio of central values; significance checks will come from the verdict module.
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
        const d = improvementDecision(s, bucket[s.id], minImprovement, opts.acceptMissing ?? false);
        try {
          if (d.updated) checkSeries(s);
        } catch (e) {
          return { id: s.id, updated: false, reason: (e as Error).message };
        }
        return d;
      });
      if (!decisions.some(d => d.updated)) return { result: decisions };
      doc.baselines[cls] = bucket;
      for (const [i, d] of decisions.entries()) {
        if (d.updated) bucket[d.id] = entryFromSeries(run, run.series[i], machine, by, at, d.reason);
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
