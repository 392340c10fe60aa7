// A memory check: launch a command (or attach to a pid), sample its whole process tree, optionally
// drive a load scenario against it from a child process running the load engine, keep sampling
// after the load to see whether memory is released, and judge with the core leak analysis.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs/promises';
import * as os from 'os';
import { existsSync } from 'fs';
import * as path from 'path';
import { detectFingerprint } from '../../core/env/fingerprint';
import { analyzeLeak, type LeakVerdict } from '../../core/leak';
import type { MemorySample, Run, Series } from '../../core/model';
import { median } from '../../core/stats/descriptive';
import { probeTarget } from '../load/guard';
import { parseScenario } from '../load/scenario';
import { HeapPoller, inspectEnv } from './heap';
import { processTree } from './procTree';
import { TreeSampler, type TreeSample } from './sampler';
import { tieGroupToLife, type Lifeline } from '../../core/env/lifeline';
import { LOAD_ENGINE_NODE_FLAGS } from '../../core/config/suiteCommand';

export interface MemoryLoad {
  scenarioFile: string;
  /** Baseline sampling before the load starts (default 2 s). */
  startAfterSec?: number;
  /** Sampling after the load ends, to see memory released (default 5 s). */
  settleSec?: number;
  /** Override of the scenario's durationSec. */
  durationSec?: number;
  /** Override of the scenario's target (the load suite's `target`). */
  target?: string;
  /** The load engine entry (default: loadMain.js beside this engine). */
  loadMainJs?: string;
}

export interface MemoryOptions {
  /** Command to launch (argv, no shell); or `pid` to attach to. */
  command?: string[];
  pid?: number;
  cwd?: string;
  intervalMs?: number;
  /** Upper bound of the whole check; without load the check ends here or when the process exits. */
  durationSec?: number;
  load?: MemoryLoad;
  /**
   * Also sample the V8 heap of the launched command's Node processes (inspector protocol); the
   * leak verdict is then judged on heap used when most samples have it.
   */
  heap?: boolean;
  /** Where the launched command's stdout/stderr go (default: our stderr, so stdout stays JSON). */
  childOutput?: 'stderr' | 'ignore';
  signal?: AbortSignal;
  onSample?: (s: TreeSample) => void;
  onEvent?: (e: { type: string; [k: string]: unknown }) => void;
  /** Warm-up dropped by the leak analysis, seconds from its first sample (default: leak.ts's 10%). */
  warmupSec?: number;
  suite?: string;
}

export interface MemoryResult {
  run: Run;
  verdict: LeakVerdict;
  /** Why sampling ended: duration reached, target exited, load finished, or stopped by signal. */
  endedBy: 'duration' | 'exited' | 'load-done' | 'signal';
}

export class MemoryRunError extends Error {
  override name = 'MemoryRunError';
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>(res => {
    const t = setTimeout(res, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); res(); }, { once: true });
  });

export async function runMemory(o: MemoryOptions): Promise<MemoryResult> {
  if (Boolean(o.command?.length) === (o.pid !== undefined)) throw new MemoryRunError('give either a command to launch or a pid to attach to');
  const intervalMs = o.intervalMs ?? 250;
  if (!(intervalMs >= 10)) throw new MemoryRunError(`interval must be at least 10 ms, got ${intervalMs}`);
  if (!o.load && o.durationSec === undefined && o.pid !== undefined) throw new MemoryRunError('attaching to a pid needs a duration (or a load scenario) so sampling ends');
  const scenario = o.load ? parseScenario(await fs.readFile(o.load.scenarioFile, 'utf8'), o.load.scenarioFile, { target: o.load.target, durationSec: o.load.durationSec }) : undefined;

  let child: ChildProcess | undefined;
  let lifeline: Lifeline | undefined;
  let root: number;
  let childExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  if (o.heap && !o.command) throw new MemoryRunError('heap sampling needs a launched command (its node processes start with an inspector)');
  const heap = o.heap ? new HeapPoller() : undefined;
  if (o.command) {
    const out = o.childOutput === 'ignore' ? 'ignore' : process.stderr;
    // With heap sampling its stderr passes through us: the inspectors announce their URLs there.
    // detached + lifeline: the service under test ends with this run even if the run is killed
    // with SIGKILL (it would keep its port and fail the next run); Ctrl+C reaches it through us.
    child = spawn(o.command[0], o.command.slice(1), { cwd: o.cwd, stdio: ['ignore', out, heap ? 'pipe' : out], env: heap ? inspectEnv(process.env) : process.env, detached: true });
    if (child.pid !== undefined) lifeline = tieGroupToLife(child.pid);
    child.stderr?.on('data', (d: Buffer) => {
      const rest = heap!.scan(d.toString());
      if (rest && o.childOutput !== 'ignore') process.stderr.write(rest.endsWith('\n') ? rest : `${rest}\n`);
    });
    const spawned = await new Promise<Error | undefined>(res => {
      child!.once('spawn', () => res(undefined));
      child!.once('error', e => res(e));
    });
    if (spawned) throw new MemoryRunError(`cannot start ${o.command[0]}: ${(spawned as NodeJS.ErrnoException).code ?? spawned.message}`);
    child.once('exit', (code, signal) => (childExit = { code, signal }));
    root = child.pid!;
  } else {
    root = o.pid!;
    try {
      process.kill(root, 0);
    } catch {
      throw new MemoryRunError(`no process with pid ${root}`);
    }
  }

  const startedAt = new Date();
  const sampler = new TreeSampler(root, intervalMs, o.onSample);
  sampler.heap = heap;
  sampler.start();
  let endedBy: MemoryResult['endedBy'] = 'duration';
  let loadStart: number | undefined;
  let loadEnd: number | undefined;
  let loadSummary: Record<string, number> = {};
  const notes: string[] = [];
  const exited = sampler.ended.then(() => 'exited' as const);
  const aborted = new Promise<'signal'>(res => o.signal?.addEventListener('abort', () => res('signal'), { once: true }));
  const deadline = o.durationSec !== undefined ? sleep(o.durationSec * 1000, o.signal).then(() => 'duration' as const) : new Promise<never>(() => undefined);

  try {
    if (scenario && o.load) {
      const first = await Promise.race([sleep((o.load.startAfterSec ?? 2) * 1000, o.signal).then(() => 'go' as const), exited, aborted]);
      if (first !== 'go') {
        endedBy = first;
      } else {
        await waitForTarget(scenario.target, 15_000, o.signal);
        o.onEvent?.({ type: 'load-start' });
        const spawnedAt = Date.now() / 1000;
        const load = await runLoadChild(o.load, o.signal);
        // The engine's own start and duration: the child's startup is not load.
        loadStart = load.startedAt ?? spawnedAt;
        loadEnd = load.durationSec !== undefined ? loadStart + load.durationSec : Date.now() / 1000;
        loadSummary = load.summary;
        if (load.code !== 0) notes.push(`load engine exited with ${load.code}: ${load.stderr.trim().split('\n').at(-1) ?? ''}`);
        o.onEvent?.({ type: 'load-end', ...load.summary });
        const after = await Promise.race([sleep((o.load.settleSec ?? 5) * 1000, o.signal).then(() => 'load-done' as const), exited, aborted]);
        endedBy = after;
      }
    } else {
      endedBy = await Promise.race([deadline, exited, aborted]);
    }
  } finally {
    await sampler.stop();
    heap?.close();
    if (child && !childExit) await stopTree(child);
    lifeline?.release();
  }
  if (endedBy === 'signal') notes.push('partial: stopped by signal');
  if (endedBy === 'exited') notes.push(`the target process exited${childExit ? ` (code ${childExit.code ?? childExit.signal})` : ''}`);

  const samples = sampler.samples;
  // Judge the load window and what follows it; the idle baseline before it is not the trend.
  const judged: MemorySample[] = (loadStart !== undefined ? samples.filter(s => s.t >= loadStart!) : samples).map(({ t, rss, cpu, heapUsed }) => ({ t, rss, cpu, heapUsed }));
  const rssVerdict = analyzeLeak(judged, { loadEnd, warmupSeconds: o.warmupSec });
  // Heap used is judged when nearly every sample has it (a Node service), counted from its first figure; RSS stays beside it.
  const withHeap = judged.filter(s => s.heapUsed !== undefined).length;
  const heapVerdict = withHeap > 0 ? analyzeLeak(judged.filter(s => s.heapUsed !== undefined), { field: 'heapUsed', loadEnd, warmupSeconds: o.warmupSec }) : undefined;
  // Coverage counts from the first heap figure: before it, Node was still starting (behind sh/npm).
  const sinceFirstHeap = judged.length - judged.findIndex(s => s.heapUsed !== undefined);
  const verdict = heapVerdict && withHeap >= 0.8 * sinceFirstHeap ? heapVerdict : rssVerdict;
  const other = verdict === rssVerdict ? heapVerdict : rssVerdict;
  if (o.heap && !withHeap) notes.push('heap: no Node inspector answered (is the command a Node program?); verdict on RSS');

  // A suite's memory series is keyed by the suite (stable as a baseline id when its command
  // changes); an ad-hoc run by what it sampled.
  const label = o.suite ? `memory:${o.suite}` : o.command ? o.command.map(a => path.basename(a)).join(' ') : `pid ${root}`;
  const rss = samples.map(s => s.rss);
  const extra: Record<string, number | string> = {
    intervalMs, verdict: verdict.status, slopeMBPerMin: round(verdict.slopeMBPerMin), slopeLo: round(verdict.slopeCI[0]), slopeHi: round(verdict.slopeCI[1]),
    pValue: verdict.pValue, growthMB: round(verdict.growthMB), peakMB: round(verdict.peakMB),
    maxProcesses: Math.max(0, ...samples.map(s => s.processes)), endedBy,
  };
  if (other) {
    // The second opinion (RSS when the heap was judged, or a partial heap series), by its field.
    const f = other.field === 'rss' ? 'rss' : 'heap';
    Object.assign(extra, { [`${f}.verdict`]: other.status, [`${f}.slopeMBPerMin`]: round(other.slopeMBPerMin), [`${f}.growthMB`]: round(other.growthMB), [`${f}.peakMB`]: round(other.peakMB) });
  }
  // NaN (an inconclusive verdict without a slope) would serialize as null: leave those out.
  for (const [k, v] of Object.entries(extra)) if (typeof v === 'number' && !Number.isFinite(v)) delete extra[k];
  for (const r of verdict.rules) extra[`rule.${r.name}`] = `${r.ok ? 'ok' : 'FAILED'}: ${r.message}`;
  extra.verdictOn = verdict.field;
  if (loadStart !== undefined) extra.loadStart = loadStart;
  if (loadEnd !== undefined) extra.loadEnd = loadEnd;
  for (const [k, v] of Object.entries(loadSummary)) extra[`load.${k}`] = v;
  const series: Series = {
    id: label,
    name: o.command ? o.command.map(a => path.basename(a)).join(' ') : `pid ${root}`,
    metric: 'memory',
    unit: 'bytes',
    summary: rss.length ? { n: rss.length, min: Math.min(...rss), max: Math.max(...rss), median: median(rss), mean: rss.reduce((a, b) => a + b, 0) / rss.length } : { n: 0 },
    memory: samples.map(({ t, rss: r, cpu, heapUsed }) => ({ t, rss: r, ...(heapUsed !== undefined ? { heapUsed } : {}), cpu: Math.round((cpu ?? 0) * 10) / 10 })),
    notes: [
      verdict.reason,
      'rss and cpu summed over the whole process tree (/proc/<pid>/stat on Linux, else pidusage); MB in the verdict is 2^20 bytes',
      ...(withHeap ? [`heapUsed: V8 heap used summed over the tree's Node processes (inspector Runtime.getHeapUsage, ${heap?.targets ?? 0} process(es)); verdict judged on ${verdict.field}`] : []),
    ],
    extra,
  };
  const run: Run = {
    tool: 'perf-lens', kind: 'memory', startedAt: startedAt.toISOString(), durationSec: (Date.now() - startedAt.getTime()) / 1000,
    machine: detectFingerprint(), series: [series],
  };
  if (o.suite) run.suite = o.suite;
  if (notes.length) run.notes = notes;
  return { run, verdict, endedBy };
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : NaN);

async function waitForTarget(target: URL, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probeTarget(target, 1000);
      return;
    } catch (e) {
      if (Date.now() > until || signal?.aborted) throw e;
      await sleep(100, signal);
    }
  }
}

interface LoadChildResult { code: number | null; stderr: string; summary: Record<string, number>; startedAt?: number; durationSec?: number }

/** Runs the load engine in its own process so its CPU and memory never count as the target's. */
async function runLoadChild(load: MemoryLoad, signal?: AbortSignal): Promise<LoadChildResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'perf-lens-mem-load-'));
  const out = path.join(dir, 'load.json');
  // Bundled: dist/memoryMain.js beside dist/loadMain.js; compiled by tsc: out/src/engines/memory/ → ../loadMain.js.
  const js = load.loadMainJs ?? [path.join(__dirname, 'loadMain.js'), path.join(__dirname, '..', 'loadMain.js')].find(f => existsSync(f)) ?? path.join(__dirname, '..', 'loadMain.js');
  const args = [...LOAD_ENGINE_NODE_FLAGS, js, '--scenario', load.scenarioFile, '--out', out, '--progress-json'];
  if (load.durationSec !== undefined) args.push('--duration', String(load.durationSec));
  if (load.target !== undefined) args.push('--target', load.target);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', d => (stderr += d));
  const onAbort = () => child.kill('SIGINT'); // the load engine stops gracefully and still writes
  signal?.addEventListener('abort', onAbort, { once: true });
  const code = await new Promise<number | null>(res => child.once('close', c => res(c)));
  signal?.removeEventListener('abort', onAbort);
  const summary: Record<string, number> = {};
  let startedAt: number | undefined;
  let durationSec: number | undefined;
  try {
    const run = JSON.parse(await fs.readFile(out, 'utf8')) as Run;
    startedAt = Date.parse(run.startedAt) / 1000;
    durationSec = run.durationSec;
    const agg = run.series.find(s => s.id === 'Aggregated');
    if (agg?.endpoint) {
      summary.requests = agg.endpoint.requests;
      summary.failures = agg.endpoint.failures;
      summary.rps = Math.round((agg.endpoint.rps ?? 0) * 10) / 10;
    }
    if (agg?.summary.percentiles?.p99 !== undefined) summary.p99 = agg.summary.percentiles.p99;
  } catch {
    // no result file: the load engine failed before recording (its stderr says why)
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return { code, stderr, summary, startedAt, durationSec };
}

/** SIGTERM the launched tree (children too: a shell wrapper may not forward it), SIGKILL after 3 s. */
async function stopTree(child: ChildProcess): Promise<void> {
  const pids = processTree(child.pid!);
  const closed = new Promise<void>(res => (child.exitCode !== null || child.signalCode !== null ? res() : child.once('exit', () => res())));
  for (const p of pids.reverse()) {
    try { process.kill(p, 'SIGTERM'); } catch { /* already gone */ }
  }
  const t = setTimeout(() => {
    for (const p of processTree(child.pid!)) {
      try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ }
    }
  }, 3000);
  await closed;
  clearTimeout(t);
}

