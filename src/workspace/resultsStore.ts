// Per-workspace-folder results state shared by every feature: the latest measurement of
// each series, its verdict against the accepted baseline, budget checks and recent history.
// Built from disk on reload and kept in memory, so lenses, hovers, diagnostics and the
// status bar read memory only. Pure Node: the CLI can use it as well.
import * as path from 'path';
import { checkBudgets, type BudgetResult } from '../core/budget';
import { emptyConfig, loadProjectConfig, type ProjectConfig } from '../core/config/projectConfig';
import { completeFingerprint, detectFingerprint, machineClass } from '../core/env/fingerprint';
import { gitInfo } from '../core/env/git';
import { ingestFile } from '../core/ingest/detect';
import type { MachineFingerprint, Run, Series } from '../core/model';
import { acceptRun, BASELINES_PATH, emptyBaselines, loadBaselines, lookupBaseline, type BaselineLookup, type BaselinesFile } from '../core/store/baselines';
import { centralValue } from '../core/store/central';
import { HISTORY_DIR, HistoryStore, type HistoryWarning } from '../core/store/history';
import { emptyNoise, loadNoise, NOISE_PATH, thresholdFor, withNoiseNote, type NoiseFile } from '../core/store/noise';
import { compare, type Verdict } from '../core/verdict';
import type { Log } from '../util/log';
import { Emitter } from './emitter';

export interface RunMeta {
  id: string;
  tool: Run['tool'];
  suite?: string;
  startedAt: string;
  commit?: string;
  branch?: string;
}

export interface HistoryPoint {
  run: RunMeta;
  value: number;
  verdict?: Verdict['status'];
}

export interface SeriesState {
  id: string;
  series: Series;
  run: RunMeta;
  baseline?: BaselineLookup;
  /** Undefined when the only baseline is from another machine class (never compared silently). */
  verdict?: Verdict;
  budgets: BudgetResult[];
  /** Newest first, the latest run included. */
  recent: HistoryPoint[];
}

export interface StoreOptions {
  log?: Log;
  /** How many stored runs a reload reads (newest first). */
  maxRuns?: number;
  /** Points of recent history kept per series. */
  recentPoints?: number;
  machine?: MachineFingerprint;
}

const DEFAULT_MAX_RUNS = 500;
const DEFAULT_RECENT = 10;

/** Wait before reading a config that did not parse once more (see loadConfigSettled). */
export const TORN_READ_RETRY_MS = 200;

/**
 * The project config, read once more when it does not parse: saves that truncate and then
 * write (editors, `fs.writeFileSync`) can be read in between, as an empty or cut-off file.
 * Seen in CI: the extension's first reload read the config while a test rewrote it, and
 * dropped every suite until the next edit.
 */
async function loadConfigSettled(folder: string): Promise<ProjectConfig | undefined> {
  try {
    return await loadProjectConfig(folder);
  } catch {
    await new Promise(resolve => setTimeout(resolve, TORN_READ_RETRY_MS));
    return loadProjectConfig(folder);
  }
}

function meta(run: Run & { id: string }): RunMeta {
  return { id: run.id, tool: run.tool, suite: run.suite, startedAt: run.startedAt, commit: run.git?.commit, branch: run.git?.branch };
}

export class ResultsStore {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private states = new Map<string, SeriesState>();
  private baselines: BaselinesFile = emptyBaselines();
  private noise: NoiseFile = emptyNoise();
  private configValue: ProjectConfig = emptyConfig();
  private problems: string[] = [];
  private readonly history: HistoryStore;
  private readonly machine: MachineFingerprint;
  private loading: Promise<void> | undefined;
  private again: Promise<void> | undefined;
  /** Verdicts of keep sampling (pooled runs, sequential levels), by series id, while that run is the latest. */
  private readonly pooled = new Map<string, { runId: string; verdict: Verdict }>();

  constructor(
    readonly folder: string,
    private readonly opts: StoreOptions = {},
  ) {
    this.history = new HistoryStore(path.join(folder, HISTORY_DIR), { onWarning: w => this.warn(w), retention: () => this.configValue.history });
    this.machine = opts.machine ?? detectFingerprint();
  }

  get config(): ProjectConfig {
    return this.configValue;
  }

  /** Problems met on the last reload (bad config, bad baselines), as sentences naming the file. */
  get loadProblems(): readonly string[] {
    return this.problems;
  }

  get baselinesFile(): string {
    return path.join(this.folder, BASELINES_PATH);
  }

  get(id: string): SeriesState | undefined {
    return this.states.get(id);
  }

  all(): SeriesState[] {
    return [...this.states.values()];
  }

  private warn(w: HistoryWarning): void {
    this.opts.log?.warn(`${w.file}:${w.line}: ${w.message}`);
  }

  /**
   * Re-reads config, baselines and history. A call during a read cannot share it — the read
   * may have passed the file that just changed (the config edited while a long history loads,
   * and that edit was lost) — so it queues one more read after it; every call meanwhile shares
   * that queued one.
   */
  reload(): Promise<void> {
    if (this.loading) {
      this.again ??= this.loading.then(() => {
        this.again = undefined;
        return this.reload();
      });
      return this.again;
    }
    this.loading = this.read().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async read(): Promise<void> {
    const problems: string[] = [];
    let config = emptyConfig();
    try {
      config = (await loadConfigSettled(this.folder)) ?? config;
    } catch (e) {
      problems.push((e as Error).message);
    }
    let baselines = emptyBaselines();
    try {
      baselines = await loadBaselines(this.baselinesFile);
    } catch (e) {
      problems.push((e as Error).message);
    }
    let noise = emptyNoise();
    try {
      noise = await loadNoise(path.join(this.folder, NOISE_PATH));
    } catch (e) {
      problems.push((e as Error).message);
    }
    const latest = new Map<string, { series: Series; run: Run & { id: string } }>();
    const points = new Map<string, HistoryPoint[]>();
    const keep = this.opts.recentPoints ?? DEFAULT_RECENT;
    const stored: { run: Run & { id: string }; order: number }[] = [];
    for await (const record of this.history.records()) stored.push({ run: record.run, order: stored.length });
    // records() yields newest month first but append order inside a month: order by start time,
    // and among equal start times (the same file ingested again) the one stored last wins.
    stored.sort((a, b) => Date.parse(b.run.startedAt) - Date.parse(a.run.startedAt) || b.order - a.order);
    for (const { run } of stored.slice(0, this.opts.maxRuns ?? DEFAULT_MAX_RUNS)) {
      for (const series of run.series) {
        if (!latest.has(series.id)) latest.set(series.id, { series, run });
        const list = points.get(series.id) ?? [];
        const c = centralValue(series);
        if (c && list.length < keep) list.push({ run: meta(run), value: c.value });
        points.set(series.id, list);
      }
    }
    this.configValue = config;
    this.baselines = baselines;
    this.noise = noise;
    this.problems = problems;
    this.states = new Map([...latest].map(([id, { series, run }]) => [id, this.state(series, run, points.get(id) ?? [])]));
    for (const p of problems) this.opts.log?.error(p);
    this.changed.fire();
  }

  private state(series: Series, run: Run & { id: string }, recent: HistoryPoint[]): SeriesState {
    const cls = machineClass(run.machine ?? this.machine);
    const baseline = lookupBaseline(this.baselines, series.id, cls);
    // This machine's calibrated noise (perf-lens calibrate), when larger, is the practical threshold.
    const t = thresholdFor(this.noise, cls, series.id, this.configValue.verdict.threshold);
    const pooled = this.pooled.get(series.id);
    const verdict = baseline && !baseline.sameMachineClass ? undefined : pooled?.runId === run.id ? pooled.verdict : withNoiseNote(compare(series, baseline?.entry, {
      threshold: t.threshold,
      runSpread: t.runSpread,
      hardLimit: this.configValue.verdict.hardLimit,
      seed: series.id,
    }), t);
    if (recent[0] && recent[0].run.id === run.id && verdict) recent[0] = { ...recent[0], verdict: verdict.status };
    return { id: series.id, series, run: meta(run), baseline, verdict, budgets: checkBudgets([series], this.configValue.budgets), recent };
  }

  /**
   * Reads a result file (format detected from content), stamps git and machine facts the tool
   * did not record, appends it to history and refreshes the in-memory state.
   */
  async ingest(file: string, extra: { suite?: string } = {}): Promise<Run & { id: string }> {
    const run = await ingestFile(file);
    if (extra.suite && !run.suite) run.suite = extra.suite;
    run.machine = run.machine ? completeFingerprint(run.machine, this.machine) : this.machine;
    if (!run.git?.commit) run.git = { ...(await gitInfo(this.folder).catch(() => undefined)), ...run.git };
    const stored = await this.history.append(run);
    this.opts.log?.info(`ingested ${path.relative(this.folder, file) || file}: ${stored.series.length} series (${stored.tool}, run ${stored.id})`);
    await this.reload();
    return stored;
  }

  /** Accepts the latest measurement of each id (all known ids when none given) as the baseline. */
  async accept(ids: readonly string[] | undefined, by: string): Promise<string[]> {
    const chosen = ids ? ids.map(id => this.states.get(id)).filter((s): s is SeriesState => !!s) : this.all();
    const byRun = new Map<string, string[]>();
    for (const s of chosen) byRun.set(s.run.id, [...(byRun.get(s.run.id) ?? []), s.id]);
    const accepted: string[] = [];
    for (const [runId, runIds] of byRun) {
      const run = await this.history.get(runId);
      if (!run) throw new Error(`run ${runId} is no longer in ${HISTORY_DIR}`);
      await acceptRun(this.baselinesFile, run, { ids: runIds, by, machine: this.machine, baselineRuns: this.configValue.verdict.baselineRuns, verdict: { threshold: this.configValue.verdict.threshold } });
      accepted.push(...runIds);
    }
    await this.reload();
    return accepted;
  }

  /**
   * Keep sampling decided (or gave up on) a series over several runs: its pooled verdict stands
   * for the series while `runId` (the last run pooled) is its latest; kept in memory only.
   */
  recordPooled(id: string, runId: string, verdict: Verdict): void {
    this.pooled.set(id, { runId, verdict });
    const s = this.states.get(id);
    if (s && s.run.id === runId && s.verdict) {
      this.states.set(id, { ...s, verdict, recent: s.recent.map((p, i) => (i === 0 && p.run.id === runId ? { ...p, verdict: verdict.status } : p)) });
      this.changed.fire();
    }
  }

  /** Regressions, budget breaches and other counts for the status bar. */
  counts(): { regressions: number; improvements: number; budgetFailures: number; total: number } {
    let regressions = 0;
    let improvements = 0;
    let budgetFailures = 0;
    for (const s of this.states.values()) {
      if (s.verdict?.status === 'regression') regressions++;
      if (s.verdict?.status === 'improvement') improvements++;
      if (s.budgets.some(b => !b.ok)) budgetFailures++;
    }
    return { regressions, improvements, budgetFailures, total: this.states.size };
  }

  dispose(): void {
    this.changed.dispose();
  }
}
