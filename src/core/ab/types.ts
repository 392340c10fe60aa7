// What an A/B run is asked to do and what it writes to .perf/ab/<timestamp>.json.
import type { MachineFingerprint, Metric, Unit } from '../model';
import type { Pair, PairedVerdict } from '../stats/paired';

/** Per-round central value taken from a round's samples (falls back to the tool's summary). */
export type RoundStatistic = 'median' | 'p10' | 'min';

export interface AbOptions {
  /** Workspace folder holding perf-lens.config.json (HEAD side: the working tree as it is). */
  workspace: string;
  /** Git ref whose merge base with HEAD is the base side; default the upstream default branch. */
  baseRef?: string;
  /** Regression suite to run; default the only one in the config. */
  suite?: string;
  /** Series ids to judge; default every duration/throughput series the suite reports. */
  ids?: string[];
  /** Most pairs (rounds per side); default DEFAULT_AB_ROUNDS (60), looked at every LOOK_EVERY. */
  rounds?: number;
  /** Stop after this many seconds (at a whole pair); default none. */
  maxTimeSec?: number;
  /** Stop early at the Bonferroni looks when every benchmark is decided (default true). */
  earlyStop?: boolean;
  /** Practical threshold as a fraction (default: DEFAULT_PAIRED_OPTIONS.threshold). */
  threshold?: number;
  statistic?: RoundStatistic;
  /** Progress lines (one per run) and warnings. */
  onProgress?: (line: string) => void;
  /** A signal asked us to stop: finish as soon as the running child has ended. */
  signal?: AbortSignal;
}

export interface AbBenchmark {
  id: string;
  name?: string;
  metric: Metric;
  unit: Unit;
  /** Median of each side's per-round central values (for tables). */
  baseMedian?: number;
  headMedian?: number;
  verdict: PairedVerdict;
  /** Raw pairs in run order: the central value of round i on each side. */
  pairs: Pair[];
}

export type StopReason = 'rounds' | 'decided' | 'time' | 'signal' | 'error';

export interface AbResult {
  format: 'perf-lens-ab';
  version: 1;
  startedAt: string;
  finishedAt: string;
  workspace: string;
  suite: string;
  /** Command each side ran (narrowed to one benchmark when possible). */
  command: string;
  base: { ref: string; sha: string };
  /** dirtyFiles: the tracked files with uncommitted changes (from the repository root), when dirty. */
  head: { sha: string; dirty: boolean; dirtyFiles?: string[] };
  machine: MachineFingerprint;
  /** Order of runs within each pair of pairs: A B B A. */
  order: 'ABBA';
  statistic: RoundStatistic;
  threshold: number;
  rounds: { planned: number; done: number; looks: number[] };
  stoppedBy: StopReason;
  benchmarks: AbBenchmark[];
  /** Run failures (which side, which round, what it said). */
  errors: string[];
  notes: string[];
  /** Where the result was written (absent until written). */
  file?: string;
}
