// perf-lens ab: the chosen benchmarks of the merge base and of HEAD, run alternately on this
// machine (A B B A A B …: a linear drift hits both sides alike within every four runs), each run
// ingested with the usual parsers, judged on the pairs of per-round central values with the
// paired verdict (Wilcoxon signed-rank + Hodges–Lehmann). Pure Node: the CLI and the editor's
// task both run this. The base is a temporary git worktree, always removed.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { globToRegExp } from '../budget';
import { loadProjectConfig, type RegressionSuite } from '../config/projectConfig';
import { narrowCommand, resultFolders, type Target } from '../config/suiteCommand';
import { detectFingerprint } from '../env/fingerprint';
import { git } from '../env/git';
import { resolveMergeBase, withWorktree } from '../env/worktree';
import { ingestFile } from '../ingest/detect';
import { parsers } from '../ingest/registry';
import type { Run, Series } from '../model';
import { writeFileAtomic } from '../store/atomic';
import { median, quantile } from '../stats/descriptive';
import { DEFAULT_PAIRED_OPTIONS, pairedVerdict, type Pair } from '../stats/paired';
import { decided, lookPlan } from './sequential';
import type { AbBenchmark, AbOptions, AbResult, RoundStatistic, StopReason } from './types';

// At most 60 pairs, looked at every 15 (lookPlan): on a 2-core box at load 13–20,
// bench/ab-verdicts.ts caught ~90% of 5% slowdowns with 30 pairs (looks 15·30) and ≥ 95% with up
// to 60, while most trials (clear ones) still stop at the first look: mean ≈ 20 pairs per
// benchmark, only the noisy ones pay for more. False alarms stay under α (0 of the A/A trials).
export const DEFAULT_AB_ROUNDS = 60;

/** A mistake in what was asked (unknown suite, no regression suite …): the CLI's exit 2. */
export class AbUsageError extends Error {
  override name = 'AbUsageError';
}

/** Central value of one round of a series: a quantile of its samples, else the tool's summary. */
export function roundValue(s: Series, statistic: RoundStatistic): number | undefined {
  const xs = (s.samples ?? []).filter(Number.isFinite);
  if (xs.length) return quantile(xs, statistic === 'median' ? 0.5 : statistic === 'min' ? 0 : 0.1);
  const sum = s.summary;
  if (statistic === 'min' && sum.min !== undefined) return sum.min;
  return sum.median ?? sum.percentiles?.p50 ?? sum.mean ?? sum.min;
}

/** A Target for narrowCommand from a series id (`file::name[param]`, `BenchmarkX/sub`, a title). */
export function targetOf(id: string): Target {
  const parts = id.split('::');
  const last = parts[parts.length - 1];
  const name = last.replace(/\[.*\]$/, '').split('/')[0] || last;
  return { id, name, file: parts.length > 1 ? parts[0] : '' };
}

function pickSuite(suites: RegressionSuite[], name: string | undefined, file: string): RegressionSuite {
  if (name) {
    const s = suites.find((x) => x.name === name);
    if (!s) throw new AbUsageError(`${file}: no regression suite "${name}" (regression suites: ${suites.map((x) => x.name).join(', ') || 'none'})`);
    return s;
  }
  if (suites.length === 1) return suites[0];
  if (!suites.length) throw new AbUsageError(`${file}: declares no regression suite to compare`);
  throw new AbUsageError(`${file}: several regression suites (${suites.map((x) => x.name).join(', ')}); choose one with --suite`);
}

async function expand(folder: string, pattern: string): Promise<string[]> {
  const posix = pattern.split(path.sep).join('/');
  if (!/[*?]/.test(posix)) return fs.existsSync(path.join(folder, posix)) ? [path.join(folder, posix)] : [];
  const segs = posix.split('/');
  const literal = segs.slice(0, segs.findIndex((s) => /[*?]/.test(s))).join('/');
  const re = globToRegExp(posix);
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.promises.readdir(path.join(folder, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !['node_modules', '.git', '.perf', '__pycache__', '.venv'].includes(e.name)) await walk(r);
      else if (e.isFile() && re.test(r)) out.push(path.join(folder, r));
    }
  };
  await walk(literal);
  return out;
}

interface SideRun {
  series: Series[];
  error?: string;
}

/** One run of the suite's command in `folder`; its fresh result files ingested. */
async function runOnce(folder: string, suite: RegressionSuite, command: string, hold: { child?: ChildProcess }): Promise<SideRun> {
  const started = Date.now();
  for (const dir of resultFolders(suite)) fs.mkdirSync(path.join(folder, dir), { recursive: true });
  const tail: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: path.join(folder, suite.cwd), env: { ...process.env, ...suite.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    hold.child = child;
    const keep = (d: Buffer): void => {
      tail.push(...d.toString('utf8').split(/\r?\n/).filter((l) => l.trim()));
      tail.splice(0, Math.max(0, tail.length - 5));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => {
      tail.push(e.message);
      resolve(127);
    });
    child.on('close', (c) => {
      hold.child = undefined;
      resolve(c);
    });
  });
  const files = (await Promise.all(suite.results.map((r) => expand(folder, r)))).flat().filter((f) => fs.statSync(f).mtimeMs >= started - 1000);
  const series: Series[] = [];
  const errors: string[] = [];
  const parser = suite.format === 'auto' ? undefined : parsers.find((p) => p.tool === suite.format);
  for (const f of files) {
    try {
      const run: Run = parser ? await parser.parse(f) : await ingestFile(f);
      series.push(...run.series);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (code !== 0) errors.unshift(`exited with code ${code}${tail.length ? `: ${tail.slice(-3).join(' | ')}` : ''}`);
  if (!files.length && code === 0) errors.push(`wrote no fresh result file (expected ${suite.results.join(', ')})`);
  return { series, error: errors.length ? errors.join('; ') : undefined };
}

/** Folders git does not track but benchmarks need (dependencies), shared into the base checkout. */
const SHARED = ['node_modules', '.venv', 'venv'];

export async function runAb(o: AbOptions): Promise<AbResult> {
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  const progress = o.onProgress ?? ((): void => undefined);
  const config = await loadProjectConfig(o.workspace);
  if (!config) throw new AbUsageError(`no perf-lens.config.json in ${o.workspace}`);
  const suite = pickSuite(config.suites.filter((s): s is RegressionSuite => s.kind === 'regression'), o.suite, config.file);
  const rounds = o.rounds ?? DEFAULT_AB_ROUNDS;
  if (!(Number.isInteger(rounds) && rounds >= 2)) throw new AbUsageError(`rounds must be a whole number ≥ 2, got ${rounds}`);
  const statistic = o.statistic ?? 'p10';
  const threshold = o.threshold ?? DEFAULT_PAIRED_OPTIONS.threshold;
  const plan = lookPlan(rounds, { threshold }, o.earlyStop ?? true);
  const ids = o.ids?.length ? [...new Set(o.ids)] : undefined;
  // One benchmark can be narrowed with the tool's own filter; several run the whole suite.
  const command = (ids?.length === 1 ? narrowCommand(suite, targetOf(ids[0])) : undefined) ?? suite.command;
  const mb = await resolveMergeBase(o.workspace, o.baseRef);
  const notes: string[] = [];
  const dirtyFiles = mb.dirty ? await changedFiles(mb.repoRoot) : [];
  if (mb.dirty) notes.push(`HEAD side ran the working tree as it is, with uncommitted changes: ${describeDirty(dirtyFiles, mb.subdir)}`);
  if (mb.sha === mb.head) notes.push(`HEAD is the merge base itself (${mb.sha.slice(0, 12)}): this is an A/A comparison`);
  progress(`A/B: base ${mb.ref} @ ${mb.sha.slice(0, 12)} (merge base) vs HEAD ${mb.head.slice(0, 12)}${mb.dirty ? ' + uncommitted changes' : ''}; suite ${suite.name}: ${command}`);

  const values = new Map<string, { base: number[]; head: number[]; s: Series }>();
  const errors: string[] = [];
  let stoppedBy = 'rounds' as StopReason; // set inside the worktree callback
  let done = 0;
  const hold: { child?: ChildProcess } = {};
  const onAbort = (): void => void hold.child?.kill('SIGTERM');
  o.signal?.addEventListener('abort', onAbort);

  const share = SHARED.map((rel) => ({ from: path.join(o.workspace, rel), rel: path.posix.join(mb.subdir, rel) }));
  try {
    await withWorktree(
      mb.repoRoot,
      mb.sha,
      async (w) => {
        const sides = { base: path.join(w.dir, mb.subdir), head: o.workspace };
        if (!fs.existsSync(sides.base)) throw new AbUsageError(`${mb.subdir || '.'} does not exist at the merge base ${mb.sha.slice(0, 12)}`);
        for (let i = 0; i < rounds; i++) {
          const order: ('base' | 'head')[] = i % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
          for (const side of order) {
            if (o.signal?.aborted) break;
            const r = await runOnce(sides[side], suite, command, hold);
            progress(`round ${i + 1}/${rounds} ${side}: ${r.error ? `FAILED: ${r.error}` : `${r.series.length} series`}`);
            if (r.error) errors.push(`${side} round ${i + 1}: ${r.error}`);
            for (const s of r.series) {
              if (ids ? !ids.includes(s.id) : s.metric !== 'duration' && s.metric !== 'throughput') continue;
              const v = roundValue(s, statistic);
              if (v === undefined) continue;
              const e = values.get(s.id) ?? { base: [], head: [], s };
              // Pad a side that missed earlier rounds so pair i stays round i.
              while (e[side].length < i) e[side].push(NaN);
              e[side].push(v);
              values.set(s.id, e);
            }
          }
          if (o.signal?.aborted) {
            stoppedBy = 'signal';
            break;
          }
          done = i + 1;
          if (errors.length && values.size === 0) {
            stoppedBy = 'error';
            break;
          }
          const n = i + 1;
          if (plan.at.includes(n) && n < rounds && values.size && [...values.values()].every((e) => decided(pairedVerdict(pairsOf(e), e.s.metric, plan.options)))) {
            stoppedBy = 'decided';
            break;
          }
          if (o.maxTimeSec !== undefined && (Date.now() - t0) / 1000 >= o.maxTimeSec && n < rounds) {
            stoppedBy = 'time';
            break;
          }
        }
      },
      { share },
    );
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (stoppedBy === 'time' || stoppedBy === 'signal') notes.push(`stopped by ${stoppedBy === 'time' ? `the time bound (${o.maxTimeSec} s)` : 'a signal'} after ${done} of ${rounds} rounds; verdicts use the α of the planned looks`);
  if (ids) for (const id of ids) if (!values.has(id)) errors.push(`${id}: no such series in the suite's results`);

  const benchmarks: AbBenchmark[] = [...values.entries()].map(([id, e]) => {
    const pairs = pairsOf(e);
    const ok = pairs.filter((p) => Number.isFinite(p.base) && Number.isFinite(p.head));
    return {
      id,
      ...(e.s.name ? { name: e.s.name } : {}),
      metric: e.s.metric,
      unit: e.s.unit,
      ...(ok.length ? { baseMedian: median(ok.map((p) => p.base)), headMedian: median(ok.map((p) => p.head)) } : {}),
      verdict: pairedVerdict(pairs, e.s.metric, plan.options),
      pairs,
    };
  });
  const result: AbResult = {
    format: 'perf-lens-ab',
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    workspace: o.workspace,
    suite: suite.name,
    command,
    base: { ref: mb.ref, sha: mb.sha },
    head: { sha: mb.head, dirty: mb.dirty, ...(mb.dirty ? { dirtyFiles } : {}) },
    machine: detectFingerprint(),
    order: 'ABBA',
    statistic,
    threshold,
    rounds: { planned: rounds, done, looks: plan.at },
    stoppedBy,
    benchmarks,
    errors,
    notes,
  };
  return result;
}

/** Tracked files with uncommitted changes (paths from the repository root), as resolveMergeBase counts them. */
async function changedFiles(repoRoot: string): Promise<string[]> {
  const st = await git(repoRoot, ['status', '--porcelain', '-z', '--untracked-files=no', '--', ':/', ':(top,exclude,glob)**/.perf/**']);
  if (st.code !== 0) return [];
  // -z: "XY path\0", a rename adds its old path as the next entry (not a line of its own).
  const out: string[] = [];
  const entries = st.stdout.toString('utf8').split('\0');
  for (let i = 0; i < entries.length; i++) {
    if (entries[i].length < 4) continue;
    out.push(entries[i].slice(3));
    if (/^[RC]/.test(entries[i])) i++;
  }
  return out;
}

/**
 * Which changes the HEAD side carries, this folder's first: in a monorepo, edits elsewhere may
 * not touch the benchmark at all (but can, through imports — so they are named, not dropped).
 */
export function describeDirty(files: readonly string[], subdir: string): string {
  const inside = files.filter((f) => !subdir || f === subdir || f.startsWith(`${subdir}/`));
  const list = (xs: readonly string[]): string => `${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ` and ${xs.length - 3} more` : ''}`;
  const here = inside.length ? `${inside.length} file(s) in this folder (${list(inside)})` : 'none in this folder';
  const elsewhere = files.length - inside.length;
  return subdir && elsewhere ? `${here}; ${elsewhere} elsewhere in the repository` : here;
}

/** Pairs of round i; a side missing a round gives NaN there (left out by the verdict). */
function pairsOf(e: { base: number[]; head: number[] }): Pair[] {
  const n = Math.max(e.base.length, e.head.length);
  return Array.from({ length: n }, (_, i) => ({ base: e.base[i] ?? NaN, head: e.head[i] ?? NaN }));
}

/** Writes the result to <workspace>/.perf/ab/<timestamp>.json atomically; returns the path. */
export async function writeAbResult(result: AbResult, dir = path.join(result.workspace, '.perf', 'ab')): Promise<string> {
  const file = path.join(dir, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFileAtomic(file, `${JSON.stringify({ ...result, file: undefined }, null, 1)}\n`);
  return file;
}
