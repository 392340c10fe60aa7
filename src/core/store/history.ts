// .perf/history/: every ingested run, append-only, git-ignored by default.
//
// Retention (retention.ts, perf-lens.config.json `history`): by default the newest 500 runs of
// each suite are kept. Appends trigger a prune once a suite passes keepRuns by 5% (so the month
// files are rewritten every ~25 ingests, not every one), or daily with keepDays; runs a
// baseline pools are never removed. A prune rewrites only the month files that lose records,
// each atomically (temp file + rename) under the history lock, so a reader sees the old or the
// new file, never a half; a kill mid-prune leaves every file whole.
//
// Layout: one JSONL file per month of the run's start time (UTC), `YYYY-MM.jsonl`, one
// record per line: {"schemaVersion":1,"recordedAt":"…","run":{…}}. Appends happen under a
// lock as a single write followed by fsync. A kill -9 mid-append can only leave a torn LAST
// line: readers skip it with a warning, and the next append first terminates it with a
// newline so it never swallows a good record. Earlier lines are never rewritten.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as path from 'path';
import * as readline from 'readline';
import { machineClass } from '../env/fingerprint';
import type { GitInfo, Metric, Run, SuiteKind, ToolId, Unit } from '../model';
import { fsyncDir, withLock, writeFileAtomic, type LockOptions } from './atomic';
import { redactRun } from '../redact';
import { centralValue } from './central';
import { StoreWriteError } from './errors';
import { baselineRunIds, DEFAULT_RETENTION, retentionGroup, retentionProblem, runsToPrune, type HistoryRetention, type RunRef } from './retention';

export const HISTORY_SCHEMA_VERSION = 1;
export const HISTORY_DIR = path.join('.perf', 'history');

export interface HistoryRecord {
  schemaVersion: number;
  recordedAt: string;
  run: Run & { id: string };
}

export interface HistoryWarning {
  file: string;
  line: number;
  message: string;
}

export interface RunSummary {
  id: string;
  tool: ToolId;
  suite?: string;
  kind?: SuiteKind;
  startedAt: string;
  git?: GitInfo;
  machineClass?: string;
  seriesCount: number;
}

export interface RunFilter {
  suite?: string;
  tool?: ToolId;
  kind?: SuiteKind;
  machineClass?: string;
}

export interface SeriesPoint {
  runId: string;
  startedAt: string;
  value: number;
  /** How `value` was derived: "median of samples", "summary median" or "summary mean". */
  basis: string;
  metric: Metric;
  unit: Unit;
  commit?: string;
  machineClass?: string;
}

export interface HistoryOptions extends LockOptions {
  /** Called for each skipped line (torn write, corruption, newer schema). Default: kept in `warnings`. */
  onWarning?: (w: HistoryWarning) => void;
  /** Write `.gitignore` ("*") into the history folder on first append. Default true. */
  gitignore?: boolean;
  /**
   * What appends keep (perf-lens.config.json `history`); default DEFAULT_RETENTION (500 runs per suite).
   * A function is read at each prune, for owners whose config reloads after the store is made.
   */
  retention?: HistoryRetention | (() => HistoryRetention | undefined);
  /** Baselines whose pooled runs are never pruned; default `<dir>/../baselines.json`; false: none. */
  baselinesFile?: string | false;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface PruneResult {
  removed: string[];
  /** Month files rewritten or (emptied) deleted. */
  files: string[];
}

/** "20261126T233845.123Z-1a2b3c": ISO 8601 basic format (file-name safe) + random suffix. */
export function newRunId(startedAt?: string): string {
  const t = startedAt && !Number.isNaN(Date.parse(startedAt)) ? new Date(startedAt) : new Date();
  return `${t.toISOString().replace(/[-:]/g, '')}-${randomBytes(3).toString('hex')}`;
}

function monthOf(iso: string): string {
  const t = Number.isNaN(Date.parse(iso)) ? new Date() : new Date(iso);
  return t.toISOString().slice(0, 7);
}

const MONTH_FILE = /^\d{4}-\d{2}\.jsonl$/;
const time = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

/** The run a history line holds (id, group, start), or undefined for a line that is not a readable record. */
function refOf(text: string): RunRef | undefined {
  if (text.trim() === '') return undefined;
  try {
    const r = JSON.parse(text) as Partial<HistoryRecord>;
    if (typeof r.schemaVersion !== 'number' || r.schemaVersion > HISTORY_SCHEMA_VERSION) return undefined;
    const run = r.run;
    if (!run || typeof run.id !== 'string' || typeof run.startedAt !== 'string') return undefined;
    return { id: run.id, group: retentionGroup(run), startedAt: run.startedAt };
  } catch {
    return undefined;
  }
}

function matches(run: Run, f: RunFilter): boolean {
  return (
    (f.suite === undefined || run.suite === f.suite) &&
    (f.tool === undefined || run.tool === f.tool) &&
    (f.kind === undefined || run.kind === f.kind) &&
    (f.machineClass === undefined || (run.machine !== undefined && machineClass(run.machine) === f.machineClass))
  );
}

export class HistoryStore {
  /** Warnings seen by readers when no onWarning was given (most recent 100). */
  readonly warnings: HistoryWarning[] = [];
  /** Runs per retention group as of this instance's last prune plus its appends since. */
  private counts?: Map<string, number>;
  /** Per group: runs kept beyond keepRuns because a baseline needs them. */
  private pinned = new Map<string, number>();
  private lastPrune = 0;

  constructor(
    readonly dir: string,
    private readonly opts: HistoryOptions = {},
  ) {}

  private warn(w: HistoryWarning): void {
    if (this.opts.onWarning) return this.opts.onWarning(w);
    this.warnings.push(w);
    if (this.warnings.length > 100) this.warnings.shift();
  }

  /** Appends a run (id assigned when missing) and returns it as stored. */
  async append(input: Run): Promise<Run & { id: string }> {
    // Redacted: tools echo URLs and command lines that may carry credentials (core/redact).
    const run = redactRun({ ...input, id: input.id ?? newRunId(input.startedAt) });
    const record: HistoryRecord = { schemaVersion: HISTORY_SCHEMA_VERSION, recordedAt: new Date().toISOString(), run };
    const line = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    const file = path.join(this.dir, `${monthOf(run.startedAt)}.jsonl`);
    await fsp.mkdir(this.dir, { recursive: true });
    if (this.opts.gitignore !== false) {
      const gi = path.join(this.dir, '.gitignore');
      if (!fs.existsSync(gi)) await writeFileAtomic(gi, '# Perf Lens run history: local, not committed\n*\n');
    }
    await withLock(
      path.join(this.dir, '.lock'),
      async () => {
        let created = false;
        let h: fsp.FileHandle;
        try {
          h = await fsp.open(file, 'a+');
        } catch (e) {
          throw new StoreWriteError(file, e, 'cannot append to history');
        }
        let size = 0;
        try {
          size = (await h.stat()).size;
          created = size === 0;
          let buf = line;
          if (size > 0) {
            // A torn last line (killed writer) has no newline: end it so our record starts clean.
            const last = Buffer.alloc(1);
            await h.read(last, 0, 1, size - 1);
            if (last[0] !== 0x0a) buf = Buffer.concat([Buffer.from('\n'), line]);
          }
          let off = 0;
          while (off < buf.length) off += (await h.write(buf, off, buf.length - off)).bytesWritten;
          await h.sync();
        } catch (e) {
          // Disk full mid-append: cut the partial record off so the file is as it was.
          await h.truncate(size).catch(() => undefined);
          throw new StoreWriteError(file, e, 'cannot append to history');
        } finally {
          await h.close();
        }
        if (created) await fsyncDir(this.dir); // make the new month file's name durable too
      },
      this.opts,
    );
    await this.pruneAfterAppend(run);
    return run;
  }

  private retention(): HistoryRetention {
    // Keys the config leaves out keep their defaults (keepDays alone still caps runs at 500).
    const configured = typeof this.opts.retention === 'function' ? this.opts.retention() : this.opts.retention;
    const r = { ...DEFAULT_RETENTION, ...configured };
    const problem = retentionProblem(r);
    if (problem) throw new RangeError(`history retention: ${problem}`);
    return r;
  }

  /** Prunes when a group has grown 5% past keepRuns, or daily with keepDays; never fails the append. */
  private async pruneAfterAppend(run: Run): Promise<void> {
    const r = this.retention();
    const group = retentionGroup(run);
    if (this.counts) this.counts.set(group, (this.counts.get(group) ?? 0) + 1);
    const now = (this.opts.now?.() ?? new Date()).getTime();
    const limit = r.keepRuns === undefined ? Infinity : r.keepRuns + Math.max(1, Math.floor(r.keepRuns / 20)) + (this.pinned.get(group) ?? 0);
    const due = !this.counts || (this.counts.get(group) ?? 0) > limit || (r.keepDays !== undefined && now - this.lastPrune > 86_400_000);
    if (!due) return;
    try {
      await this.prune();
    } catch (e) {
      this.warn({ file: this.dir, line: 0, message: `history not pruned: ${(e as Error).message}` });
    }
  }

  /**
   * Applies the retention now: reads every month file, removes what runsToPrune says (never a
   * run a baseline pools), rewriting each affected file atomically under the history lock.
   */
  async prune(): Promise<PruneResult> {
    const retention = this.retention();
    const bf = this.opts.baselinesFile ?? path.join(this.dir, '..', 'baselines.json');
    // Read before taking the lock: a malformed baselines file throws here and nothing is pruned.
    const pinnedIds = bf === false ? new Set<string>() : await baselineRunIds(bf);
    const now = this.opts.now?.() ?? new Date();
    return withLock(
      path.join(this.dir, '.lock'),
      async () => {
        const files = await this.files();
        const lines = new Map<string, { text: string; ref?: RunRef }[]>();
        for (const f of files) lines.set(f, (await fsp.readFile(f, 'utf8')).split('\n').map(text => ({ text, ref: refOf(text) })));
        const refs = [...lines.values()].flatMap(ls => ls.flatMap(l => (l.ref ? [l.ref] : [])));
        const remove = runsToPrune(refs, retention, pinnedIds, now);
        const changed: string[] = [];
        for (const [f, ls] of lines) {
          if (!ls.some(l => l.ref && remove.has(l.ref.id))) continue;
          // Lines we cannot read (torn, newer schema) are kept as they are.
          const kept = ls.filter(l => l.text.trim() !== '' && !(l.ref && remove.has(l.ref.id)));
          if (kept.length === 0) await fsp.unlink(f);
          else await writeFileAtomic(f, kept.map(l => l.text).join('\n') + '\n');
          changed.push(f);
        }
        if (changed.length) await fsyncDir(this.dir);
        this.counts = new Map();
        this.pinned = new Map();
        const byGroup = new Map<string, RunRef[]>();
        for (const ref of refs) if (!remove.has(ref.id)) byGroup.set(ref.group, [...(byGroup.get(ref.group) ?? []), ref]);
        for (const [g, kept] of byGroup) {
          this.counts.set(g, kept.length);
          if (retention.keepRuns !== undefined) this.pinned.set(g, Math.max(0, kept.length - retention.keepRuns));
        }
        this.lastPrune = now.getTime();
        return { removed: [...remove], files: changed };
      },
      this.opts,
    );
  }

  /** Month files, newest first. */
  async files(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names.filter(n => MONTH_FILE.test(n)).sort().reverse().map(n => path.join(this.dir, n));
  }

  /** Streams the valid records of one file in append order; bad lines become warnings. */
  async *readFile(file: string): AsyncGenerator<HistoryRecord> {
    let stream: fs.ReadStream;
    try {
      await fsp.access(file);
      stream = fs.createReadStream(file, { encoding: 'utf8' });
    } catch {
      return;
    }
    const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
    let n = 0;
    try {
      for await (const text of rl) {
        n++;
        if (text.trim() === '') continue;
        let rec: unknown;
        try {
          rec = JSON.parse(text);
        } catch {
          this.warn({ file, line: n, message: 'skipped an incomplete or corrupt line (an interrupted write?)' });
          continue;
        }
        const r = rec as Partial<HistoryRecord>;
        if (typeof r.schemaVersion !== 'number' || r.schemaVersion > HISTORY_SCHEMA_VERSION) {
          this.warn({ file, line: n, message: `skipped a record with schemaVersion ${JSON.stringify(r.schemaVersion)} (this Perf Lens reads ${HISTORY_SCHEMA_VERSION})` });
          continue;
        }
        if (!r.run || typeof r.run.id !== 'string' || !Array.isArray(r.run.series) || typeof r.run.startedAt !== 'string') {
          this.warn({ file, line: n, message: 'skipped a record without a run (id, startedAt, series)' });
          continue;
        }
        yield r as HistoryRecord;
      }
    } finally {
      rl.close();
      stream.destroy();
    }
  }

  /** Every valid record, newest month first, append order within a month. */
  async *records(): AsyncGenerator<HistoryRecord> {
    for (const f of await this.files()) yield* this.readFile(f);
  }

  /**
   * Runs newest first (by startedAt). With `limit`, stops reading older month files once
   * enough runs are found: months partition startedAt, so older files cannot be newer.
   */
  async list(filter: RunFilter & { limit?: number } = {}): Promise<RunSummary[]> {
    const out: RunSummary[] = [];
    for (const f of await this.files()) {
      if (filter.limit !== undefined && out.length >= filter.limit) break;
      for await (const { run } of this.readFile(f)) {
        if (!matches(run, filter)) continue;
        out.push({
          id: run.id,
          tool: run.tool,
          suite: run.suite,
          kind: run.kind,
          startedAt: run.startedAt,
          git: run.git,
          machineClass: run.machine && machineClass(run.machine),
          seriesCount: run.series.length,
        });
      }
    }
    // Stable sort: equal times keep file order reversed below, so later appends come first.
    out.reverse();
    out.sort((a, b) => time(b.startedAt) - time(a.startedAt));
    return filter.limit !== undefined ? out.slice(0, filter.limit) : out;
  }

  /** The run with this id (the month in the id is tried first), or undefined. */
  async get(id: string): Promise<(Run & { id: string }) | undefined> {
    const files = await this.files();
    const m = /^(\d{4})(\d{2})\d{2}T/.exec(id);
    const guess = m ? path.join(this.dir, `${m[1]}-${m[2]}.jsonl`) : undefined;
    const order = guess && files.includes(guess) ? [guess, ...files.filter(f => f !== guess)] : files;
    for (const f of order) {
      let found: (Run & { id: string }) | undefined;
      for await (const { run } of this.readFile(f)) if (run.id === id) found = run;
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The last `n` central values of one series (oldest → newest), for lenses and charts.
   * Reads month files newest first and stops once `n` points are found.
   */
  async seriesValues(seriesId: string, n: number, filter: RunFilter = {}): Promise<SeriesPoint[]> {
    const out: SeriesPoint[] = [];
    for (const f of await this.files()) {
      if (out.length >= n) break;
      for await (const { run } of this.readFile(f)) {
        if (!matches(run, filter)) continue;
        const s = run.series.find(x => x.id === seriesId);
        const c = s && centralValue(s);
        if (!s || !c) continue;
        out.push({
          runId: run.id,
          startedAt: run.startedAt,
          value: c.value,
          basis: c.basis,
          metric: s.metric,
          unit: s.unit,
          commit: run.git?.commit,
          machineClass: run.machine && machineClass(run.machine),
        });
      }
    }
    out.sort((a, b) => time(a.startedAt) - time(b.startedAt));
    return out.slice(Math.max(0, out.length - n));
  }
}
