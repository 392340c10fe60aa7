// Per-series histories from .perf/history, ordered by time, one point per commit, and the level
// shifts found in them ("shifted at commit abc1234 (+14%)"). Built once when the history is
// read (or changes), so hovers and charts only look them up.
import { machineClass } from '../env/fingerprint';
import type { Run } from '../model';
import { centralValue } from '../store/central';
import { HistoryStore } from '../store/history';
import { median } from '../stats/descriptive';
import { detectChangePoints, type ChangePointOptions } from '../stats/changePoints';

export interface CommitPoint {
  /** Commit of the runs behind the point; undefined for runs without git facts. */
  commit?: string;
  /** Start of the first run of the point (ISO 8601). */
  startedAt: string;
  /** Median of the runs' central values at this commit. */
  value: number;
  runIds: string[];
}

export interface SeriesHistory {
  seriesId: string;
  /** Histories never mix machine classes: another machine is a level shift of its own. */
  machineClass: string;
  points: CommitPoint[];
}

export interface Shift {
  seriesId: string;
  machineClass: string;
  /** Index in the history's points of the first point at the new level. */
  index: number;
  commit?: string;
  /** Commit of the point before (the last at the old level). */
  previousCommit?: string;
  startedAt: string;
  /** after / before − 1 of the median levels. */
  shift: number;
  confidence: number;
  pValue: number;
  /** Points in the history searched. */
  points: number;
}

type StoredRun = Run & { id: string };

const time = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

/**
 * Histories of every series by (series id, machine class), oldest → newest by start time.
 * Consecutive runs at the same commit become one point (the median of their central values):
 * the question is which commit moved the level, and re-runs of one commit are not new evidence
 * of a change. Runs without a commit stay one point each.
 */
export function buildHistories(runs: Iterable<StoredRun>): SeriesHistory[] {
  const ordered = [...runs].sort((a, b) => time(a.startedAt) - time(b.startedAt));
  const byKey = new Map<string, SeriesHistory & { values: number[][] }>();
  for (const run of ordered) {
    const cls = run.machine ? machineClass(run.machine) : 'unknown-machine';
    for (const s of run.series) {
      const c = centralValue(s);
      if (!c || !(c.value > 0)) continue;
      const key = `${cls}\u0000${s.id}`;
      let h = byKey.get(key);
      if (!h) byKey.set(key, (h = { seriesId: s.id, machineClass: cls, points: [], values: [] }));
      const last = h.points[h.points.length - 1];
      const commit = run.git?.commit;
      if (last && commit && last.commit === commit) {
        last.runIds.push(run.id);
        h.values[h.values.length - 1].push(c.value);
        last.value = median(h.values[h.values.length - 1]);
      } else {
        h.points.push({ commit, startedAt: run.startedAt, value: c.value, runIds: [run.id] });
        h.values.push([c.value]);
      }
    }
  }
  return [...byKey.values()].map(({ values: _v, ...h }) => h);
}

export interface ShiftOptions extends ChangePointOptions {
  /** Only the newest this-many points of a history are searched (default 200). */
  maxPoints?: number;
}

/** Default smallest shift reported: below ~3 % a shift is within the run-to-run noise of most machines. */
export const DEFAULT_MIN_SHIFT = 0.03;

/** Level shifts of one history, newest last. */
export function detectShifts(h: SeriesHistory, options: ShiftOptions = {}): Shift[] {
  const pts = h.points.slice(Math.max(0, h.points.length - (options.maxPoints ?? 200)));
  if (pts.length < 2 * (options.minSegment ?? 3)) return [];
  const cps = detectChangePoints(pts.map(p => p.value), { minShift: DEFAULT_MIN_SHIFT, seed: h.seriesId, ...options });
  return cps.map(cp => ({
    seriesId: h.seriesId,
    machineClass: h.machineClass,
    index: cp.index,
    commit: pts[cp.index].commit,
    previousCommit: pts[cp.index - 1]?.commit,
    startedAt: pts[cp.index].startedAt,
    shift: cp.shift,
    confidence: cp.confidence,
    pValue: cp.pValue,
    points: pts.length,
  }));
}

/** "shifted at commit abc1234 (+14%)", or "shifted at the run of 2026-11-20 (−8%)" without a commit. */
export function describeShift(s: Pick<Shift, 'commit' | 'startedAt' | 'shift'>): string {
  const pct = `${s.shift >= 0 ? '+' : '−'}${Math.abs(s.shift * 100).toFixed(Math.abs(s.shift) < 0.1 ? 1 : 0)}%`;
  return s.commit ? `shifted at commit ${s.commit.slice(0, 7)} (${pct})` : `shifted at the run of ${s.startedAt.slice(0, 10)} (${pct})`;
}

/**
 * Shifts of every series of a workspace's history, computed once per load. `forSeries(id)` is a
 * map lookup: the shifts on the machine class with the most recent run of that series.
 */
export class ShiftIndex {
  private shifts = new Map<string, Shift[]>();
  private generation = 0;

  constructor(private readonly options: ShiftOptions = {}) {}

  /** The history per series id to search: the one on the machine class with the most recent run. */
  private static newest(runs: Iterable<StoredRun>): SeriesHistory[] {
    const latest = new Map<string, { t: number; h: SeriesHistory }>();
    for (const h of buildHistories(runs)) {
      const t = time(h.points[h.points.length - 1]?.startedAt ?? '');
      const prev = latest.get(h.seriesId);
      if (!prev || t > prev.t) latest.set(h.seriesId, { t, h });
    }
    return [...latest.values()].map(v => v.h);
  }

  private replace(found: [string, Shift[]][]): void {
    this.shifts = new Map(found.filter(([, v]) => v.length));
    this.generation++;
  }

  /** Replaces the index with the shifts of these runs (pure computation, no I/O). */
  build(runs: Iterable<StoredRun>): void {
    this.replace(ShiftIndex.newest(runs).map(h => [h.seriesId, detectShifts(h, this.options)]));
  }

  /**
   * As build, but gives the event loop a turn every `sliceMs` (an editor host must stay
   * responsive while hundreds of series are searched).
   */
  async buildAsync(runs: Iterable<StoredRun>, sliceMs = 15): Promise<void> {
    const found: [string, Shift[]][] = [];
    let t0 = Date.now();
    for (const h of ShiftIndex.newest(runs)) {
      found.push([h.seriesId, detectShifts(h, this.options)]);
      if (Date.now() - t0 > sliceMs) {
        await new Promise(r => setImmediate(r));
        t0 = Date.now();
      }
    }
    this.replace(found);
  }

  /** Reads the whole history folder and rebuilds. Bad lines are skipped by the store (warnings). */
  async load(historyDir: string): Promise<void> {
    const store = new HistoryStore(historyDir);
    const runs: StoredRun[] = [];
    for await (const r of store.records()) runs.push(r.run);
    await this.buildAsync(runs);
  }

  forSeries(id: string): readonly Shift[] {
    return this.shifts.get(id) ?? [];
  }

  /** Bumped on every rebuild (views re-render when it changes). */
  get version(): number {
    return this.generation;
  }

  get size(): number {
    return this.shifts.size;
  }
}

/** A shift as a chart marks it: index into the charted points. */
export interface ChartShift {
  index: number;
  commit?: string;
  shift: number;
  confidence: number;
  /** "shifted at commit abc1234 (+14%)". */
  label: string;
  /** Class of the runs it was found in, when the points carry one. */
  machineClass?: string;
}

type ChartPoint = { value: number; commit?: string; startedAt: string; machineClass?: string };

/**
 * Shifts of the points a history chart shows (one per run, oldest → newest), for its markers.
 * Searched per machine class when points carry one (another machine is a level change of its
 * own, not a commit's); indices refer to the whole `points` list. Computed when the view is
 * built, not per frame; a class with a short or non-positive series gets none.
 */
export function chartShifts(points: readonly ChartPoint[], options: ShiftOptions = {}): ChartShift[] {
  const groups = new Map<string | undefined, number[]>();
  points.forEach((p, i) => groups.set(p.machineClass, [...(groups.get(p.machineClass) ?? []), i]));
  const out: ChartShift[] = [];
  for (const [cls, idx] of groups) {
    const pts = idx.map(i => points[i]);
    if (pts.length < 2 * (options.minSegment ?? 3) || pts.some(p => !(p.value > 0) || !Number.isFinite(p.value))) continue;
    for (const cp of detectChangePoints(pts.map(p => p.value), { minShift: DEFAULT_MIN_SHIFT, ...options })) {
      const p = pts[cp.index];
      const label = describeShift({ commit: p.commit, startedAt: p.startedAt, shift: cp.shift });
      out.push({ index: idx[cp.index], commit: p.commit, shift: cp.shift, confidence: cp.confidence, label, ...(cls !== undefined ? { machineClass: cls } : {}) });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}
