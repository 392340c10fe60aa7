// run [suite…]: each suite of perf-lens.config.json headless, as the editor's tasks run them
// (a shell command in the suite's cwd, then its result files ingested), or — for load and
// memory suites on the builtin engine — our engines in a child process, invoked exactly as the
// tasks invoke them (core/config/suiteCommand engineInvocation). Then the verdicts.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { globToRegExp } from '../../core/budget';
import type { SuiteConfig } from '../../core/config/projectConfig';
import { defaultResultFile, engineInvocation, resultFolders, serveLogFile } from '../../core/config/suiteCommand';
import { signalGroup, tieGroupToLife } from '../../core/env/lifeline';
import { describeService, ServeError, startService, type RunningService } from '../../core/env/serve';
import { serverRunFile } from '../../core/metrics/session';
import { prepareFrontend } from '../../core/ingest/lighthouseRun';
import { dbResultFile, PgCapture } from '../../core/db/pgSnapshot';
import { ensureLiveDir } from '../../workspace/liveRuns';
import type { ResultsStore } from '../../workspace/resultsStore';
import { UsageError, type Args } from '../args';
import { openWorkspace, type Ctx } from '../context';
import { evaluateLatest } from '../evaluate';
import { applyAutoUpdate } from './autoUpdate';
import { baselinesFor } from './evaluation';
import { textTable } from '../render/text';
import { onStopSignal } from '../../core/env/stopSignals';

const SKIP_DIRS = new Set(['node_modules', '.git', '.perf', '__pycache__', '.venv']);

/** Files under `folder` matching a workspace-relative path or glob. */
export async function expandResults(folder: string, pattern: string): Promise<string[]> {
  const posix = pattern.split(path.sep).join('/');
  if (!/[*?]/.test(posix)) {
    const f = path.join(folder, pattern);
    return fs.existsSync(f) ? [f] : [];
  }
  // Walk only below the pattern's literal prefix.
  const segs = posix.split('/');
  const literal = segs.slice(0, segs.findIndex(s => /[*?]/.test(s))).join('/');
  const re = globToRegExp(posix);
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(path.join(folder, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walk(r);
      else if (e.isFile() && re.test(r)) out.push(path.join(folder, r));
    }
  };
  await walk(literal);
  return out.sort();
}

/** Set when a signal asked us to stop: the current suite finishes writing, no further suite starts. */
let interrupted: NodeJS.Signals | undefined;
let current: ChildProcess | undefined;

/**
 * Ctrl-C or a CI cancel: the signal is passed on so the running suite (our engines in
 * particular) stops gracefully and writes partial results, which are still ingested and
 * labelled partial. A second signal ends at once (and the lifeline then ends the suite).
 * The suite runs in a process group of its own and gets the signal once, from us, as a whole
 * group: a shell command's children (a Lighthouse loop, a test runner under `sh -c`) stop too,
 * not only the shell, and a terminal's Ctrl+C is not delivered twice (our engines end at once on
 * a second signal, losing the partial results).
 */
function onSignal(sig: NodeJS.Signals): void {
  if (interrupted) process.exit(130);
  interrupted = sig;
  if (current?.pid) signalGroup(current.pid, sig);
}

interface ChildResult {
  code: number | null;
  tail: string[];
}

/** Runs a child, relaying its output: plain prefixed lines off a TTY, the last line as progress on one. */
function runChild(ctx: Ctx, label: string, cmd: string, argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; json?: boolean }): Promise<ChildResult> {
  return new Promise(resolve => {
    const t0 = Date.now();
    const tail: string[] = [];
    const child = spawn(cmd, argv, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    const line = child.pid !== undefined ? tieGroupToLife(child.pid) : undefined;
    current = child;
    const onLine = (line: string): void => {
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      let shown = line;
      if (opts.json && line.startsWith('{')) {
        try {
          const j = JSON.parse(line) as Record<string, unknown>;
          shown = Object.entries(j).filter(([k, v]) => k !== 'type' && typeof v !== 'object').map(([k, v]) => `${k} ${typeof v === 'number' ? +v.toPrecision(4) : v}`).join('  ');
        } catch {
          /* not JSON after all: show as is */
        }
      }
      ctx.out.progress(ctx.out.tty ? `${label} · ${Math.round((Date.now() - t0) / 1000)} s · ${shown}` : `[${label}] ${shown}`);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => {
        buf += d;
        const lines = buf.split(/\r?\n|\r/);
        buf = lines.pop() ?? '';
        lines.forEach(onLine);
      });
      stream.on('end', () => buf && onLine(buf));
    }
    child.on('error', e => {
      tail.push(`cannot start ${cmd}: ${e.message}`);
      resolve({ code: 127, tail });
    });
    child.on('close', code => {
      line?.release();
      current = undefined;
      ctx.out.done();
      resolve({ code, tail });
    });
  });
}

/** argv re-invoking this CLI (tsc output or the dist bundle alike) for an engine command. */
function selfArgv(args: string[], nodeFlags: readonly string[] = []): [string, string[]] {
  // execArgv is not forwarded: an --inspect port would clash with the parent's.
  return [process.execPath, [...nodeFlags, process.argv[1], ...args]];
}

/**
 * Runs one suite and ingests what it wrote; returns the run ids ingested, or an error sentence.
 * A suite with `serve` gets its service started first (before any database snapshot, so the
 * service's start-up queries are not counted) and stopped after, however the suite ends.
 */
export async function runSuite(ctx: Ctx, store: ResultsStore, suite: SuiteConfig): Promise<{ runIds: string[]; error?: string }> {
  if (!suite.serve) return runServed(ctx, store, suite);
  const t0 = Date.now();
  ctx.out.progress(`${suite.name}: starting \`${suite.serve.command}\``);
  let svc: RunningService;
  try {
    svc = await startService(suite.serve, { cwd: path.join(ctx.cwd, suite.cwd), env: { ...process.env, ...suite.env }, logFile: path.join(ctx.cwd, serveLogFile(suite.name)) });
  } catch (e) {
    ctx.out.done();
    if (!(e instanceof ServeError)) throw e;
    return { runIds: [], error: `serve: ${e.message}` };
  }
  ctx.out.err(`${suite.name}: ${describeService(suite.serve, svc, t0, serveLogFile(suite.name))}`);
  try {
    if (interrupted) return { runIds: [], error: `not run (stopped by ${interrupted} while its service started)` };
    return await runServed(ctx, store, suite);
  } finally {
    await svc.stop();
  }
}

async function runServed(ctx: Ctx, store: ResultsStore, suite: SuiteConfig): Promise<{ runIds: string[]; error?: string }> {
  const started = Date.now();
  const cwd = path.join(ctx.cwd, suite.cwd);
  const env = { ...process.env, ...suite.env };
  // Tools such as pytest-benchmark will not create the folder they write into.
  for (const dir of resultFolders(suite)) fs.mkdirSync(path.join(ctx.cwd, dir), { recursive: true });
  // The same engine invocation as the editor's tasks (workspace-relative paths, run from the folder),
  // progress file included: an editor open on this folder shows a run started here live too.
  const engine = engineInvocation(suite, store.config, { progressJson: true, progressFile: true });
  // A frontend suite without its own command runs our generated Lighthouse script.
  const command = suite.kind === 'frontend' && !suite.command ? prepareFrontend(ctx.cwd, suite) : suite.command;
  // pg_stat_statements snapshots around the suite (docs/database.md). A database that cannot be
  // reached is an error of this suite, but the suite still runs.
  const dbErrors: string[] = [];
  const db = suite.database ? await PgCapture.begin(suite.database, { cwd, env }).catch((e: Error) => void dbErrors.push(e.message)) : undefined;
  let files: string[];
  let res: ChildResult;
  if (engine) {
    const out = path.join(ctx.cwd, engine.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (engine.args.includes('--progress-file')) {
      try {
        ensureLiveDir(ctx.cwd);
      } catch (e) {
        ctx.out.err(`warning: ${suite.name}: no live progress (${(e as Error).message})`);
      }
    }
    const [cmd, argv] = selfArgv([engine.script === 'loadMain.js' ? 'load' : 'memory', ...engine.args], engine.nodeFlags);
    ctx.out.progress(`${suite.name}: ${suite.kind} engine`);
    res = await runChild(ctx, suite.name, cmd, argv, { cwd: ctx.cwd, env, json: true });
    // With a metrics endpoint the engine also writes the server run (tool prometheus) beside it.
    files = [out, serverRunFile(out)].filter(f => fs.existsSync(f));
    // The memory engine exits 1 for a leak with results written: that is a verdict, not a failed run.
    if (suite.kind === 'memory' && res.code === 1 && files.length) res.code = 0;
  } else if (command) {
    ctx.out.progress(`${suite.name}: ${suite.kind === 'frontend' && !suite.command ? `lighthouse × ${suite.runs} runs × ${suite.urls.length} URL(s)` : command}`);
    res = await runChild(ctx, suite.name, '/bin/sh', ['-c', command], { cwd, env });
    files = (await Promise.all(suite.results.map(r => expandResults(ctx.cwd, r)))).flat();
  } else {
    return { runIds: [], error: `nothing to run headless: give the ${suite.kind} suite a "command"` };
  }
  if (db) await db.finish(path.join(ctx.cwd, dbResultFile(suite.name)), suite.name).then(f => void (files.includes(f) || files.push(f)), (e: Error) => dbErrors.push(e.message));
  const fresh: string[] = [];
  for (const f of files) {
    // A result file older than this run is a previous run's: never ingest it as this one.
    if (fs.statSync(f).mtimeMs >= started - 1000) fresh.push(f);
    else ctx.out.err(`warning: ${suite.name}: ${path.relative(ctx.cwd, f)} was not rewritten by this run; not ingested`);
  }
  const runIds: string[] = [];
  const errors: string[] = [];
  for (const f of fresh) {
    try {
      const run = await store.ingest(f, { suite: suite.name });
      runIds.push(run.id);
      ctx.out.err(`${suite.name}: ingested ${path.relative(ctx.cwd, f)} (${run.series.length} series)`);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (res.code !== 0) errors.unshift(`exited with code ${res.code}${res.tail.length ? `; last output: ${res.tail.slice(-3).join(' | ')}` : ''}`);
  errors.push(...dbErrors);
  if (!fresh.length && !errors.length) errors.push(`wrote no result file (expected ${suite.results.join(', ') || defaultResultFile(suite)})`);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  ctx.out.err(`${suite.name}: ${errors.length ? 'FAILED' : 'done'} in ${secs} s`);
  return { runIds, error: errors.length ? errors.join('; ') : undefined };
}

export async function runCommand(args: Args, ctx: Ctx): Promise<number> {
  const store = await openWorkspace(ctx, { requireConfig: true });
  const suites = store.config.suites;
  if (!suites.length) throw new UsageError(`${path.basename(store.config.file)} declares no suites`);
  const unknown = args.positional.filter(n => !suites.some(s => s.name === n));
  if (unknown.length) throw new UsageError(`no suite ${unknown.map(u => JSON.stringify(u)).join(', ')} (suites: ${suites.map(s => s.name).join(', ')})`);
  // In the order given (each once), else the config's order.
  const chosen = args.positional.length ? [...new Set(args.positional)].map(n => suites.find(s => s.name === n) as SuiteConfig) : suites;
  // Read the baselines first: a mistyped --baseline-ref should not cost a whole run.
  const baselines = await baselinesFor(ctx, args.values.get('--baseline-ref'));
  const runIds = new Set<string>();
  const failures: string[] = [];
  const offSignals = onStopSignal(onSignal);
  try {
    for (const suite of chosen) {
      if (interrupted) {
        failures.push(`${suite.name}: not run (stopped by ${interrupted})`);
        continue;
      }
      const r = await runSuite(ctx, store, suite);
      r.runIds.forEach(id => runIds.add(id));
      if (r.error) failures.push(`${suite.name}: ${r.error}`);
    }
  } finally {
    offSignals();
  }
  // Verdicts below compare with the baselines as they were before this run.
  if (!interrupted) await applyAutoUpdate(ctx, store, runIds);
  const ev = await evaluateLatest(store, baselines);
  for (const l of textTable({ ...ev, rows: ev.rows.filter(r => runIds.has(r.runId)) })) ctx.out.out(l);
  for (const f of failures) ctx.out.err(`error: suite ${f}`);
  if (interrupted) return 130;
  return failures.length ? 1 : 0;
}
