// One evaluation, shared by compare, gate and every report format: each series' latest
// measurement (or run B of two runs) with its baseline, verdict, budgets and leak check.
// Verdicts use the same options and seed as the editor's ResultsStore, so CI and the lenses
// agree on the same data.
import * as path from 'path';
import { checkBudgets, type BudgetResult } from '../core/budget';
import type { ProjectConfig } from '../core/config/projectConfig';
import { detectFingerprint, machineClass } from '../core/env/fingerprint';
import { analyzeLeak } from '../core/leak';
import type { MachineFingerprint, Run, Series } from '../core/model';
import { BASELINES_PATH, loadBaselines, lookupBaseline, readBaselinesAtRef, type BaselinesFile } from '../core/store/baselines';
import { centralValue } from '../core/store/central';
import { HISTORY_DIR, HistoryStore } from '../core/store/history';
import { loadNoise, NOISE_PATH, thresholdFor, withNoiseNote } from '../core/store/noise';
import { compare, type Verdict, type VerdictOptions } from '../core/verdict';
import type { ResultsStore } from '../workspace/resultsStore';

export interface LeakCheck {
  status: 'leak' | 'stable' | 'inconclusive';
  /** False on a leak or a failed memory rule (growth, peak, release). */
  ok: boolean;
  reason: string;
}

export interface Row {
  id: string;
  name: string;
  suite?: string;
  tool: Run['tool'];
  runId: string;
  startedAt: string;
  commit?: string;
  series: Series;
  current?: { value: number; basis: string };
  baseline?: { value?: number; basis?: string; source: string; warning?: string; differences?: string[]; samples?: number[] };
  /** Undefined when the only baseline is from another machine class (shown, never compared). */
  verdict?: Verdict;
  budgets: BudgetResult[];
  leak?: LeakCheck;
}

export interface Evaluation {
  /** Where baselines came from: "working tree", "git ref main", "run <id>". */
  baselineSource: string;
  rows: Row[];
  /** Baseline ids the compared run lacks (two-run mode only). */
  missing: string[];
  generatedAt: string;
  folder: string;
}

const SEVERITY = ['regression', 'inconclusive', undefined, 'improvement', 'new', 'unchanged', 'missing'];

/** What needs attention first: regressions, failed budgets or memory checks, doubts; stable within. */
function bySeverity(rows: Row[]): Row[] {
  const rank = (r: Row): number => {
    const failed = r.budgets.some(b => !b.ok) || (r.leak && !r.leak.ok);
    const s = SEVERITY.indexOf(r.verdict?.status);
    return r.verdict?.status === 'regression' ? 0 : failed ? 1 : 2 + s;
  };
  return rows.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map(x => x.r);
}

export function verdictOptions(config: ProjectConfig, id: string): VerdictOptions {
  return { threshold: config.verdict.threshold, hardLimit: config.verdict.hardLimit, seed: id };
}

/** Leak check of a memory series: the engine's recorded verdict, else analysed here. */
export function leakCheck(s: Series): LeakCheck | undefined {
  const recorded = s.extra?.verdict;
  if (recorded === 'leak' || recorded === 'stable' || recorded === 'inconclusive') {
    const failed = Object.entries(s.extra ?? {}).filter(([k, v]) => k.startsWith('rule.') && typeof v === 'string' && v.startsWith('FAILED'));
    const reason = s.notes?.[0] ?? `memory verdict: ${recorded}`;
    return { status: recorded, ok: recorded !== 'leak' && failed.length === 0, reason };
  }
  if (!s.memory || s.memory.length < 3) return undefined;
  const loadEnd = typeof s.extra?.loadEnd === 'number' ? s.extra.loadEnd : undefined;
  const v = analyzeLeak(s.memory, { loadEnd });
  return { status: v.status, ok: v.status !== 'leak' && v.rules.every(r => r.ok), reason: v.reason };
}

export async function loadBaselineSet(folder: string, ref: string | undefined): Promise<{ doc: BaselinesFile; source: string }> {
  const file = path.join(folder, BASELINES_PATH);
  if (ref) return { doc: await readBaselinesAtRef(folder, ref, file), source: `git ref ${ref}` };
  return { doc: await loadBaselines(file), source: 'working tree' };
}

function rowOf(s: Series, run: Run & { id: string }, config: ProjectConfig): Row {
  return {
    id: s.id,
    name: s.name ?? s.id,
    suite: run.suite,
    tool: run.tool,
    runId: run.id,
    startedAt: run.startedAt,
    commit: run.git?.commit,
    series: s,
    current: centralValue(s),
    budgets: checkBudgets([s], config.budgets),
    leak: leakCheck(s),
  };
}

/** A reader of full runs from the history, each run read once. */
export function runReader(folder: string): (id: string) => Promise<(Run & { id: string }) | undefined> {
  const history = new HistoryStore(path.join(folder, HISTORY_DIR));
  const cache = new Map<string, Promise<(Run & { id: string }) | undefined>>();
  return id => {
    let p = cache.get(id);
    if (!p) cache.set(id, (p = history.get(id)));
    return p;
  };
}

/** The latest measurement of every series in the store against `baselines`. */
export async function evaluateLatest(store: ResultsStore, baselines: { doc: BaselinesFile; source: string }, machine: MachineFingerprint = detectFingerprint()): Promise<Evaluation> {
  const readRun = runReader(store.folder);
  const noise = await loadNoise(path.join(store.folder, NOISE_PATH));
  const rows: Row[] = [];
  const states = store.all().sort((a, b) => (a.run.suite ?? '').localeCompare(b.run.suite ?? '') || a.id.localeCompare(b.id));
  for (const st of states) {
    const run = await readRun(st.run.id);
    if (!run) continue;
    const row = rowOf(st.series, run, store.config);
    const found = lookupBaseline(baselines.doc, st.id, run.machine ?? machine);
    if (found) {
      const c = centralValue(found.entry);
      row.baseline = {
        value: c?.value,
        basis: c?.basis,
        source: baselines.source,
        warning: found.sameMachineClass ? undefined : found.warning,
        differences: found.sameMachineClass && found.differences.length ? found.differences : undefined,
        samples: found.entry.samples,
      };
    }
    // This machine's calibrated noise, when larger, is the practical threshold (perf-lens calibrate).
    const t = thresholdFor(noise, machineClass(run.machine ?? machine), st.id, store.config.verdict.threshold);
    row.verdict = found && !found.sameMachineClass ? undefined : withNoiseNote(compare(st.series, found?.entry, { ...verdictOptions(store.config, st.id), threshold: t.threshold, runSpread: t.runSpread }), t);
    rows.push(row);
  }
  return { baselineSource: baselines.source, rows: bySeverity(rows), missing: [], generatedAt: new Date().toISOString(), folder: store.folder };
}

/** Run `b` against run `a` as its baseline (ids or unique prefixes of ids). */
export async function evaluateRuns(store: ResultsStore, a: Run & { id: string }, b: Run & { id: string }): Promise<Evaluation> {
  const before = new Map(a.series.map(s => [s.id, s]));
  const warn = a.machine && b.machine && machineClass(a.machine) !== machineClass(b.machine)
    ? `run ${a.id} was measured on another machine (${machineClass(a.machine)}, not ${machineClass(b.machine)}): timings are not comparable across machines`
    : undefined;
  const rows = b.series.map(s => {
    const row = rowOf(s, b, store.config);
    const base = before.get(s.id);
    if (base) {
      const c = centralValue(base);
      row.baseline = { value: c?.value, basis: c?.basis, source: `run ${a.id}`, warning: warn, samples: base.samples };
    }
    row.verdict = warn && base ? undefined : compare(s, base, verdictOptions(store.config, s.id));
    return row;
  });
  const missing = a.series.filter(s => !b.series.some(x => x.id === s.id)).map(s => s.id);
  return { baselineSource: `run ${a.id}`, rows: bySeverity(rows), missing, generatedAt: new Date().toISOString(), folder: store.folder };
}
