// .perf/noise.json: how much each benchmark moves on this machine when nothing changed,
// measured by `perf-lens calibrate` (the same code run N times, A/A). Verdicts raise their
// practical threshold to it: a change smaller than the machine's own run-to-run noise is not
// reported as a regression. Per machine class, like baselines; written atomically under a lock,
// read with errors naming the file and field.
import * as path from 'path';
import type { Run } from '../model';
import { mean, quantile, stddev } from '../stats/descriptive';
import { normalPpf } from '../stats/distributions';
import type { RunSpread, Verdict } from '../verdict';
import { updateFileLocked, type LockOptions, readTextIfExists } from './atomic';
import { centralValue } from './central';
import { StoreFormatError, parseJsonLocated } from './errors';
import { orderedRecord, sortedMap, stableJson } from './json';

export const NOISE_SCHEMA_VERSION = 1;
export const NOISE_PATH = path.join('.perf', 'noise.json');
/** A calibrated threshold never goes above this: beyond it the benchmark cannot judge anything. */
export const MAX_CALIBRATED_THRESHOLD = 0.5;

export interface NoiseEntry {
  /** A/A runs behind the figures. */
  runs: number;
  /** 95th percentile of |ln(ratio)| of the central values over all pairs of runs. */
  p95: number;
  /** 99th percentile of the same (with few runs, close to the largest pair). */
  p99: number;
  /** Standard deviation of ln(central value) over the runs: the run-to-run spread verdicts test against. */
  runSd?: number;
  /** Median over runs of the within-run coefficient of variation (stddev / mean of samples). */
  withinRunCv?: number;
  /** The relative change the noise reaches: exp(p95) − 1, capped at MAX_CALIBRATED_THRESHOLD. */
  threshold: number;
  measuredAt: string;
  commit?: string;
  suite?: string;
}

export interface NoiseFile {
  schemaVersion: number;
  /** machine class → series id → entry */
  noise: Record<string, Record<string, NoiseEntry>>;
}

export const emptyNoise = (): NoiseFile => ({ schemaVersion: NOISE_SCHEMA_VERSION, noise: {} });

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function validateEntry(e: unknown, file: string, at: string): NoiseEntry {
  const bad = (field: string, detail: string): never => {
    throw new StoreFormatError(file, detail, { field: `${at}.${field}` });
  };
  if (!isObj(e)) throw new StoreFormatError(file, 'expected an object', { field: at });
  if (!isNum(e.runs) || e.runs < 2 || !Number.isInteger(e.runs)) bad('runs', `expected a whole number ≥ 2, got ${JSON.stringify(e.runs)}`);
  for (const k of ['p95', 'p99', 'threshold'] as const) if (!isNum(e[k]) || (e[k] as number) < 0) bad(k, `expected a number ≥ 0, got ${JSON.stringify(e[k])}`);
  for (const k of ['withinRunCv', 'runSd'] as const) if (e[k] !== undefined && (!isNum(e[k]) || (e[k] as number) < 0)) bad(k, 'expected a number ≥ 0');
  if ((e.threshold as number) >= 1) bad('threshold', `expected a fraction below 1, got ${e.threshold}`);
  if (typeof e.measuredAt !== 'string' || Number.isNaN(Date.parse(e.measuredAt))) bad('measuredAt', 'expected an ISO 8601 date');
  for (const k of ['commit', 'suite'] as const) if (e[k] !== undefined && typeof e[k] !== 'string') bad(k, 'expected a string');
  return e as unknown as NoiseEntry;
}

export function parseNoise(text: string, file: string): NoiseFile {
  const j = parseJsonLocated(text, file);
  if (!isObj(j)) throw new StoreFormatError(file, 'expected a JSON object at the top level');
  if (j.schemaVersion !== NOISE_SCHEMA_VERSION) {
    const newer = isNum(j.schemaVersion) && j.schemaVersion > NOISE_SCHEMA_VERSION;
    throw new StoreFormatError(
      file,
      newer ? `schemaVersion ${j.schemaVersion} was written by a newer Perf Lens (this one reads ${NOISE_SCHEMA_VERSION})` : `expected schemaVersion ${NOISE_SCHEMA_VERSION}, got ${JSON.stringify(j.schemaVersion)}`,
      { field: 'schemaVersion' },
    );
  }
  if (!isObj(j.noise)) throw new StoreFormatError(file, 'expected an object', { field: 'noise' });
  const noise: NoiseFile['noise'] = {};
  for (const [cls, series] of Object.entries(j.noise)) {
    if (!isObj(series)) throw new StoreFormatError(file, 'expected an object of series', { field: `noise[${JSON.stringify(cls)}]` });
    noise[cls] = {};
    for (const [id, e] of Object.entries(series)) noise[cls][id] = validateEntry(e, file, `noise[${JSON.stringify(cls)}][${JSON.stringify(id)}]`);
  }
  return { schemaVersion: NOISE_SCHEMA_VERSION, noise };
}

/** Missing file → no calibration (empty); malformed → StoreFormatError naming file and field. */
export async function loadNoise(file: string): Promise<NoiseFile> {
  const text = await readTextIfExists(file);
  return text === undefined ? emptyNoise() : parseNoise(text, file);
}

const ENTRY_ORDER = ['runs', 'p95', 'p99', 'runSd', 'withinRunCv', 'threshold', 'measuredAt', 'commit', 'suite'] as const;

export function serializeNoise(doc: NoiseFile): string {
  return stableJson({ schemaVersion: NOISE_SCHEMA_VERSION, noise: sortedMap(doc.noise, s => sortedMap(s, e => orderedRecord(e, ENTRY_ORDER))) });
}

const round = (v: number): number => Number(v.toPrecision(4));

/**
 * Noise of every series present in at least two of the A/A runs: the spread of the runs'
 * central values (all pairs' |ln ratio|, 95th/99th percentile) and the typical within-run CV.
 * With N runs there are N(N−1)/2 pairs and they are not independent: an approximation that gets
 * better with more runs (calibrate's default is 5).
 */
export function noiseOfRuns(runs: readonly Run[], at: string): Record<string, NoiseEntry> {
  const central = new Map<string, number[]>();
  const cvs = new Map<string, number[]>();
  for (const run of runs) {
    for (const s of run.series) {
      const c = centralValue(s)?.value;
      if (c === undefined || !(c > 0)) continue;
      central.set(s.id, [...(central.get(s.id) ?? []), c]);
      const xs = s.samples?.filter(Number.isFinite) ?? [];
      const m = xs.length >= 2 ? mean(xs) : s.summary.mean;
      const sd = xs.length >= 2 ? stddev(xs) : s.summary.stddev;
      if (m !== undefined && sd !== undefined && m > 0) cvs.set(s.id, [...(cvs.get(s.id) ?? []), sd / m]);
    }
  }
  const out: Record<string, NoiseEntry> = {};
  const last = runs[runs.length - 1];
  for (const [id, values] of central) {
    if (values.length < 2) continue;
    const diffs: number[] = [];
    for (let i = 0; i < values.length; i++) for (let k = i + 1; k < values.length; k++) diffs.push(Math.abs(Math.log(values[i] / values[k])));
    const p95 = quantile(diffs, 0.95);
    const cv = cvs.get(id);
    out[id] = {
      runs: values.length,
      p95: round(p95),
      p99: round(quantile(diffs, 0.99)),
      runSd: round(stddev(values.map(Math.log))),
      withinRunCv: cv?.length ? round(quantile(cv, 0.5)) : undefined,
      threshold: round(Math.min(MAX_CALIBRATED_THRESHOLD, Math.exp(p95) - 1)),
      measuredAt: at,
      commit: last?.git?.commit,
      suite: last?.suite,
    };
  }
  return out;
}

/** Merges calibrated entries for one machine class into the file (other classes and ids kept). */
export async function recordNoise(file: string, cls: string, entries: Record<string, NoiseEntry>, opts: LockOptions = {}): Promise<NoiseFile> {
  return updateFileLocked(
    file,
    current => {
      const doc = current === undefined ? emptyNoise() : parseNoise(current, file);
      doc.noise[cls] = { ...(doc.noise[cls] ?? {}), ...entries };
      return { text: serializeNoise(doc), result: doc };
    },
    opts,
  );
}

export interface EffectiveThreshold {
  threshold: number;
  /** The calibrated run-to-run spread of the series, for the verdict's `runSpread` option. */
  runSpread?: RunSpread;
  /** Present when this machine's calibrated noise raised the threshold above the configured one. */
  calibrated?: NoiseEntry;
}

/** max(configured threshold, calibrated noise of the series on this machine class). */
export function thresholdFor(noise: NoiseFile | undefined, cls: string, id: string, configured: number): EffectiveThreshold {
  const e = noise?.noise[cls]?.[id];
  const spread = e ? { runSpread: runSpreadOf(e) } : {};
  return e && e.threshold > configured ? { threshold: e.threshold, calibrated: e, ...spread } : { threshold: configured, ...spread };
}

/**
 * The calibrated run-to-run spread for the verdict (option `runSpread`): `runSd` on runs − 1 df;
 * files written before it existed give p95 of |ln ratio| over pairs, ≈ 1.96·√2·sd for normal noise.
 */
export function runSpreadOf(e: NoiseEntry): RunSpread {
  return { sd: e.runSd ?? e.p95 / (normalPpf(0.975) * Math.SQRT2), df: e.runs - 1 };
}

/** "threshold 7% (calibrated noise on this machine)". */
export function noiseNote(t: EffectiveThreshold): string | undefined {
  return t.calibrated ? `threshold ${+(t.threshold * 100).toFixed(1)}% (calibrated noise on this machine)` : undefined;
}

/** The verdict with the calibrated threshold said in its reason, when calibration raised it. */
export function withNoiseNote<V extends Verdict | undefined>(v: V, t: EffectiveThreshold): V {
  const note = noiseNote(t);
  return v && note && v.ratio !== null ? ({ ...v, reason: `${v.reason} · ${note}` } as V) : v;
}
