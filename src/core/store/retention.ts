// How much run history to keep: perf-lens.config.json `history: { keepRuns, keepDays }`.
// The decision is pure (runsToPrune); history.ts applies it to the month files atomically.
// A run that an accepted baseline names (its pool in .perf/baselines.json) is never removed:
// it is the evidence behind the reference every verdict is judged against.
import * as fsp from 'fs/promises';
import { parseBaselines } from './baselines';

export interface HistoryRetention {
  /** Newest runs kept per suite (runs without a suite: per tool). */
  keepRuns?: number;
  /** Runs that started more than this many days ago are removed. Off when absent. */
  keepDays?: number;
}

/** The default: the newest 500 runs of each suite, no age limit. */
export const DEFAULT_KEEP_RUNS = 500;
export const DEFAULT_RETENTION: Readonly<HistoryRetention> = { keepRuns: DEFAULT_KEEP_RUNS };

export interface RunRef {
  id: string;
  /** Retention group: the suite, else "(tool)". */
  group: string;
  startedAt: string;
}

export const retentionGroup = (run: { suite?: string; tool: string }): string => run.suite ?? `(${run.tool})`;

const time = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

/**
 * Ids to remove: in each group, runs beyond the newest `keepRuns` (by startedAt) and runs older
 * than `keepDays`, except protected ones. Pure.
 */
export function runsToPrune(runs: readonly RunRef[], retention: HistoryRetention, protectedIds: ReadonlySet<string>, now: Date): Set<string> {
  const out = new Set<string>();
  const cutoff = retention.keepDays !== undefined ? now.getTime() - retention.keepDays * 86_400_000 : undefined;
  const groups = new Map<string, RunRef[]>();
  for (const r of runs) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  for (const list of groups.values()) {
    const newestFirst = [...list].sort((a, b) => time(b.startedAt) - time(a.startedAt));
    newestFirst.forEach((r, i) => {
      if (protectedIds.has(r.id)) return;
      const tooMany = retention.keepRuns !== undefined && i >= retention.keepRuns;
      const tooOld = cutoff !== undefined && time(r.startedAt) < cutoff;
      if (tooMany || tooOld) out.add(r.id);
    });
  }
  return out;
}

/**
 * Run ids an accepted baseline refers to (every pooled run, every machine class). A missing file
 * protects nothing; a malformed one throws (StoreFormatError): then nothing may be pruned.
 */
export async function baselineRunIds(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw e;
  }
  const ids = new Set<string>();
  for (const series of Object.values(parseBaselines(text, file).baselines)) {
    for (const e of Object.values(series)) {
      if (e.runId) ids.add(e.runId);
      for (const r of e.runs ?? []) if (r.runId) ids.add(r.runId);
    }
  }
  return ids;
}

/** Checks a retention setting (config parser and HistoryStore share it). */
export function retentionProblem(r: HistoryRetention): string | undefined {
  if (r.keepRuns !== undefined && !(Number.isInteger(r.keepRuns) && r.keepRuns >= 1)) return `keepRuns: expected a whole number ≥ 1, got ${r.keepRuns}`;
  if (r.keepDays !== undefined && !(Number.isFinite(r.keepDays) && r.keepDays > 0)) return `keepDays: expected a number of days > 0, got ${r.keepDays}`;
  return undefined;
}
