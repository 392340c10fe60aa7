// Locust as a load engine: one `locust --master --headless --expect-workers N --csv PREFIX
// --csv-full-history` and N `locust --worker` processes on this machine (or, with no workers, one
// headless process). We own every process we start: each runs in its own process group and the
// whole group is killed when the run ends, fails or is stopped, so no worker outlives the run —
// nor the run's process itself, even killed with SIGKILL (core/env/lifeline.ts).
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { signalGroup, tieGroupToLife, type Lifeline } from '../../core/env/lifeline';

export interface LocustPlan {
  locustfile: string;
  /** CSV prefix: Locust writes PREFIX_stats.csv, PREFIX_stats_history.csv … */
  csvPrefix: string;
  host?: string;
  durationSec: number;
  /** 0 = one headless process, no master/worker split. */
  workers: number;
  users?: number;
  spawnRate?: number;
  /** Seconds the master waits for its workers before giving up. */
  workersWaitSec: number;
  masterPort: number;
}

// Debian's python3-locust 2.12 reports an empty version, and a master refuses any worker whose
// hello carries an empty version ("An old (pre 2.0) worker tried to connect"). Started through this
// shim, master and workers send a placeholder instead; a real version is left alone.
const VERSION_SHIM = [
  'import sys, locust.runners as r',
  "if not r.__version__: r.__version__ = '0+unknown'",
  'from locust.main import main',
  'sys.exit(main())',
].join('\n');

/**
 * Command prefix running Locust: $PERF_LENS_LOCUST (e.g. "/usr/bin/python3 -m locust"), else
 * `locust` on PATH. When the Python behind it is known (`-m locust`, or the script's #! line) it
 * runs Locust through VERSION_SHIM.
 */
export function locustCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  const cmd = env.PERF_LENS_LOCUST?.trim() ? env.PERF_LENS_LOCUST.trim().split(/\s+/) : ['locust'];
  const n = cmd.length;
  if (n >= 3 && cmd[n - 2] === '-m' && cmd[n - 1] === 'locust') return [...cmd.slice(0, -2), '-c', VERSION_SHIM];
  if (n === 1) {
    const python = shebangPython(cmd[0], env);
    if (python) return [...python, '-c', VERSION_SHIM];
  }
  return cmd;
}

/** The interpreter (and its arguments) on the #! line of a Python script found on PATH. */
function shebangPython(exe: string, env: NodeJS.ProcessEnv): string[] | undefined {
  const dirs = exe.includes('/') ? [''] : (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const file = dir ? path.join(dir, exe) : exe;
    let head: string;
    try {
      const fd = fs.openSync(file, 'r');
      try {
        const buf = Buffer.alloc(256);
        head = buf.toString('utf8', 0, fs.readSync(fd, buf, 0, 256, 0));
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      continue;
    }
    const m = /^#!\s*(\S+)(?:[ \t]+([^\n]*))?/.exec(head);
    if (!m) return undefined;
    const words = [m[1], ...(m[2] ? m[2].trim().split(/\s+/) : [])];
    // `#!/usr/bin/env python3` → python3; anything that is not Python runs unshimmed.
    const interp = path.basename(words[0]) === 'env' ? words.slice(1) : words;
    return interp.length && /^python[\d.]*$/.test(path.basename(interp[0])) ? interp : undefined;
  }
  return undefined;
}

/** Arguments of the master (or single headless process); pure, so tests can read them. */
export function masterArgs(p: LocustPlan): string[] {
  const args = ['-f', p.locustfile, '--headless', '--run-time', `${Math.max(1, Math.round(p.durationSec))}s`, '--csv', p.csvPrefix, '--csv-full-history', '--only-summary',
    // Failed requests are results, not a failed run: they are in the CSVs.
    '--exit-code-on-error', '0'];
  if (p.host) args.push('--host', p.host);
  if (p.users !== undefined) args.push('--users', String(p.users));
  if (p.spawnRate !== undefined) args.push('--spawn-rate', String(p.spawnRate));
  if (p.workers > 0) {
    args.push('--master', '--master-bind-host', '127.0.0.1', '--master-bind-port', String(p.masterPort),
      '--expect-workers', String(p.workers), '--expect-workers-max-wait', String(p.workersWaitSec));
  }
  return args;
}

/** Arguments of one worker; on another host the same with --master-host set to the master's address. */
export function workerArgs(p: LocustPlan): string[] {
  return ['-f', p.locustfile, '--worker', '--master-host', '127.0.0.1', '--master-port', String(p.masterPort)];
}

export class LocustError extends Error {
  override name = 'LocustError';
}

export interface LocustOutcome {
  code: number;
  /** Workers that reported ready to the master. */
  workersConnected: number;
  stopped?: NodeJS.Signals;
}

const READY = /reported as ready\. (\d+) workers? connected/;
const GAVE_UP = /Gave up waiting for workers/i;

/**
 * Runs the plan to the end. Locust's output goes to `log` (never stdout: that carries our JSON
 * progress). Throws LocustError with a sentence when Locust cannot start or workers never connect.
 */
export async function runLocust(plan: LocustPlan, opts: { cwd: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal; log?: (text: string) => void; onReady?: (workers: number) => void }): Promise<LocustOutcome> {
  const cmd = locustCommand(opts.env);
  const log = opts.log ?? (t => process.stderr.write(t));
  const procs: ChildProcess[] = [];
  const lifelines: Lifeline[] = [];
  const start = (args: string[], tag: string): ChildProcess => {
    // detached: its own process group, so Python's children (if any) die with it.
    const child = spawn(cmd[0], [...cmd.slice(1), ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    procs.push(child);
    // Even a SIGKILL of ours (no 'exit' handler runs) must not leave Locust holding its ports.
    if (child.pid !== undefined) lifelines.push(tieGroupToLife(child.pid));
    const prefix = tag ? `[${tag}] ` : '';
    const onData = (d: Buffer) => log(d.toString().replace(/^(?=.)/gm, prefix));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    return child;
  };
  const killAll = (sig: NodeJS.Signals) => {
    for (const c of procs) {
      if (c.exitCode !== null || c.signalCode !== null || c.pid === undefined) continue;
      signalGroup(c.pid, sig);
    }
  };
  // Our own process dying abruptly must not leave Locust running either.
  const onExit = () => killAll('SIGKILL');
  process.on('exit', onExit);
  let workersConnected = 0;
  let gaveUp = false;
  let stopped: NodeJS.Signals | undefined;
  try {
    const master = start(masterArgs(plan), plan.workers > 0 ? 'master' : '');
    // Line by line: one chunk can hold several "N workers connected" lines (the last one
    // counts) or half of one.
    const partial = { stdout: '', stderr: '' };
    const watch = (from: 'stdout' | 'stderr') => (d: Buffer) => {
      const lines = (partial[from] + d.toString()).split('\n');
      partial[from] = lines.pop() ?? '';
      for (const line of lines) {
        const m = READY.exec(line);
        if (m && Number(m[1]) > workersConnected) {
          workersConnected = Number(m[1]);
          if (workersConnected >= plan.workers) opts.onReady?.(workersConnected);
        }
        if (GAVE_UP.test(line)) gaveUp = true;
      }
    };
    master.stdout?.on('data', watch('stdout'));
    master.stderr?.on('data', watch('stderr'));
    const masterDone = new Promise<number>((resolve, reject) => {
      master.once('error', e => reject(new LocustError(`cannot start ${cmd.join(' ')}: ${e.message} (install Locust, or set PERF_LENS_LOCUST, e.g. "/usr/bin/python3 -m locust")`)));
      master.once('close', (code, sig) => resolve(code ?? (sig ? 128 : 1)));
    });
    for (let i = 0; i < plan.workers; i++) start(workerArgs(plan), `worker ${i + 1}`);
    if (plan.workers === 0) opts.onReady?.(0);
    const onAbort = () => {
      stopped = (opts.signal?.reason as NodeJS.Signals | undefined) ?? 'SIGTERM';
      // SIGTERM lets the master stop its workers and write its CSVs; SIGKILL if it lingers.
      killAll('SIGTERM');
      setTimeout(() => killAll('SIGKILL'), 10_000).unref();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    // Our own bound: Locust's run time, the workers' wait, plus time to start and write CSVs.
    const hard = setTimeout(() => {
      log(`locust did not finish in time; stopping it\n`);
      onAbort();
    }, (plan.durationSec + plan.workersWaitSec + 60) * 1000);
    let code: number;
    try {
      code = await masterDone;
    } finally {
      clearTimeout(hard);
      opts.signal?.removeEventListener('abort', onAbort);
    }
    if (plan.workers > 0 && (gaveUp || (workersConnected < plan.workers && !stopped))) {
      throw new LocustError(`${workersConnected} of ${plan.workers} Locust workers connected to the master on 127.0.0.1:${plan.masterPort} within ${plan.workersWaitSec} s; ` +
        'check that the workers can import the locustfile (see the [worker] lines above) and reach the master port');
    }
    return { code, workersConnected, stopped };
  } finally {
    // Workers normally quit when the master tells them; whatever is left is ended here.
    killAll('SIGTERM');
    await waitAll(procs, 5000);
    killAll('SIGKILL');
    for (const l of lifelines) l.release();
    process.off('exit', onExit);
  }
}

function waitAll(procs: ChildProcess[], ms: number): Promise<void> {
  const alive = procs.filter(c => c.exitCode === null && c.signalCode === null && c.pid !== undefined);
  if (!alive.length) return Promise.resolve();
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    let left = alive.length;
    for (const c of alive) {
      c.once('close', () => {
        if (--left === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}
