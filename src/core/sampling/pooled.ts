// Keep-sampling verdicts that survive a reload. The extra rounds are ordinary runs in
// .perf/history already; what is kept in .perf/sampling/pooled.json is only which runs were
// pooled, at which look, under which design and against which baseline — the verdict itself is
// RECOMPUTED from the stored runs on load, so it can never disagree with the data it stands on.
// A record stops applying when a newer run of the series arrives, the baseline changes, or one
// of its runs is gone from history (pruned); the caller checks the first, recomputePooled the rest.
import * as path from 'path';
import type { Measurement } from '../verdict';
import type { Run, Series } from '../model';
import type { Spending } from '../stats/sequential';
import { updateFileLocked, readTextIfExists } from '../store/atomic';
import { StoreFormatError, parseJsonLocated } from '../store/errors';
import { judgeLook, type Look, type LookDesign } from './keepSampling';

export const POOLED_PATH = path.join('.perf', 'sampling', 'pooled.json');
export const POOLED_VERSION = 1;

export interface PooledRecord {
  seriesId: string;
  /** Runs pooled, oldest first: the initial run, then each extra round's run. */
  runIds: string[];
  /** The look the verdict was reached at. */
  look: number;
  design: Omit<LookDesign, 'seed'>;
  /** baselineKey() of the baseline judged against. */
  baseline: string;
  savedAt: string;
}

export interface PooledFile {
  format: 'perf-lens-pooled';
  version: number;
  /** machine class → series id → record */
  records: Record<string, Record<string, PooledRecord>>;
}

const empty = (): PooledFile => ({ format: 'perf-lens-pooled', version: POOLED_VERSION, records: {} });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SPENDINGS: Spending[] = ['pocock', 'obrien-fleming', 'bonferroni'];

/** A fingerprint of the baseline's figures: a changed baseline invalidates a pooled verdict. */
export function baselineKey(m: Measurement): string {
  return JSON.stringify([m.metric, m.unit, m.samples ?? [], m.summary]);
}

function validate(rec: unknown, file: string, at: string): PooledRecord {
  const bad = (field: string, detail: string): never => {
    throw new StoreFormatError(file, detail, { field: `${at}.${field}` });
  };
  if (!isObj(rec)) throw new StoreFormatError(file, 'expected an object', { field: at });
  if (typeof rec.seriesId !== 'string') bad('seriesId', 'expected a string');
  if (!Array.isArray(rec.runIds) || !rec.runIds.length || rec.runIds.some((r) => typeof r !== 'string')) bad('runIds', 'expected a non-empty list of run ids');
  const d = rec.design;
  if (!isObj(d)) return bad('design', 'expected an object');
  if (!(Number.isInteger(rec.look) && (rec.look as number) >= 1)) bad('look', 'expected a whole number ≥ 1');
  if (!(Number.isInteger(d.maxLooks) && (d.maxLooks as number) >= (rec.look as number))) bad('design.maxLooks', 'expected a whole number ≥ look');
  for (const k of ['alpha', 'threshold'] as const) if (!(typeof d[k] === 'number' && (d[k] as number) > 0 && (d[k] as number) < 1)) bad(`design.${k}`, 'expected a number in (0, 1)');
  if (!SPENDINGS.includes(d.spending as Spending)) bad('design.spending', `expected one of ${SPENDINGS.join(', ')}`);
  if (typeof rec.baseline !== 'string') bad('baseline', 'expected a string');
  return rec as unknown as PooledRecord;
}

export function parsePooled(text: string, file: string): PooledFile {
  const j = parseJsonLocated(text, file);
  if (!isObj(j) || j.format !== 'perf-lens-pooled') throw new StoreFormatError(file, 'expected {"format": "perf-lens-pooled", …}', { field: 'format' });
  if (j.version !== POOLED_VERSION) throw new StoreFormatError(file, `expected version ${POOLED_VERSION}, got ${JSON.stringify(j.version)}`, { field: 'version' });
  if (!isObj(j.records)) throw new StoreFormatError(file, 'expected an object', { field: 'records' });
  const out = empty();
  for (const [cls, bySeries] of Object.entries(j.records)) {
    if (!isObj(bySeries)) throw new StoreFormatError(file, 'expected an object of series', { field: `records[${JSON.stringify(cls)}]` });
    out.records[cls] = {};
    for (const [id, rec] of Object.entries(bySeries)) out.records[cls][id] = validate(rec, file, `records[${JSON.stringify(cls)}][${JSON.stringify(id)}]`);
  }
  return out;
}

/** The workspace's pooled records (an empty set when the file does not exist). */
export async function readPooled(folder: string): Promise<PooledFile> {
  const file = path.join(folder, POOLED_PATH);
  const text = await readTextIfExists(file);
  return text === undefined ? empty() : parsePooled(text, file);
}

/** Stores (replaces) the record of one series on one machine class, atomically under the file's lock. */
export async function savePooled(folder: string, machineClass: string, rec: PooledRecord): Promise<void> {
  const file = path.join(folder, POOLED_PATH);
  await updateFileLocked(file, (current) => {
    const f = current === undefined ? empty() : parsePooled(current, file);
    f.records[machineClass] = { ...(f.records[machineClass] ?? {}), [rec.seriesId]: rec };
    return { text: `${JSON.stringify(f, null, 1)}\n`, result: undefined };
  });
}

/**
 * The look a record stands for, recomputed from the stored runs, or undefined when it no longer
 * applies (a run is missing, the series is gone from one, or the baseline changed).
 */
export function recomputePooled(rec: PooledRecord, runs: ReadonlyMap<string, Run>, baseline: Measurement): Look | undefined {
  if (baselineKey(baseline) !== rec.baseline) return undefined;
  const series: Series[] = [];
  for (const id of rec.runIds) {
    const s = runs.get(id)?.series.find((x) => x.id === rec.seriesId);
    if (!s) return undefined;
    series.push(s);
  }
  const samples = series.flatMap((s) => (s.samples ?? []).filter(Number.isFinite));
  if (samples.length < 2) return undefined;
  return judgeLook(series[0], samples, baseline, rec.look, { ...rec.design, seed: rec.seriesId });
}
