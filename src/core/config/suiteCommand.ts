// The shell command a suite runs, whole or narrowed to one benchmark. Narrowing follows
// each tool's own filter (pytest -k, go test -bench, mocha --grep, hyperfine has none) or
// the suite's `runOne` template; pure so the CLI and the editor build the same command.
import { metricsArgs } from '../metrics/config';
import type { LoadSuite, ProjectConfig, RegressionSuite, SuiteConfig } from './projectConfig';

export interface Target {
  /** Series id as stored (e.g. `tests/perf/test_x.py::test_sort[10]`, `BenchmarkParse/small`). */
  id: string;
  /** Function or test name as located in source (e.g. `test_sort`, `BenchmarkParse`). */
  name: string;
  /** Workspace-relative file of the definition. */
  file: string;
}

/** Quote for a POSIX shell: one word, no expansion. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The command running only `target`, or undefined when the suite's tool cannot be narrowed
 * (then the whole suite runs). Placeholders in `runOne` are shell-quoted on substitution.
 */
export function narrowCommand(suite: RegressionSuite, target: Target): string | undefined {
  if (suite.runOne) {
    return suite.runOne.replace(/\{(id|name|file)\}/g, (_, key: keyof Target) => shellQuote(target[key]));
  }
  const cmd = suite.command;
  if (/\bpytest\b/.test(cmd)) return `${cmd} -k ${shellQuote(target.name)}`;
  if (/\bgo\s+test\b/.test(cmd)) {
    // Go matches -bench per slash-separated level: anchor the top-level name only.
    return `${cmd} -run '^$' -bench ${shellQuote(`^${escapeRegExp(target.name)}$`)}`;
  }
  if (/\b(mocha|vitest|jest)\b/.test(cmd)) {
    const flag = /\bmocha\b/.test(cmd) ? '--grep' : '-t';
    return `${cmd} ${flag} ${shellQuote(escapeRegExp(target.id))}`;
  }
  return undefined;
}

// V8 flags the builtin load generator's process starts with (they only take effect on the command line:
// v8.setFlagsFromString after start-up left the young generation's size unchanged here).
// Each request allocates about 6 KB (undici's request object and header buffers, promises), so
// with the default young generation a closed loop at 25k/s was scavenged every ~50 ms, each a
// 0.5–0.8 ms pause for every request in flight — a large share of the p99. With 64 MB
// semi-spaces a scavenge comes about every 0.5 s: p99 lower in 6 of 6 alternating pairs
// (0.70–1.22 ms against 0.92–1.65), throughput the same, RSS 200 MB instead of 120.
export const LOAD_ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--min-semi-space-size=64'];

/** How one of our own engines runs a suite: which bundled script, with which arguments. */
export interface EngineInvocation {
  script: 'loadMain.js' | 'memoryMain.js';
  /** V8 flags the engine's Node process starts with (before the script). */
  nodeFlags: readonly string[];
  args: string[];
  /** Workspace-relative result file the engine writes. */
  out: string;
}

const GLOB = /[*?{[]/;

/** Workspace-relative file an engine appends its progress events to (one JSON line each). */
export function liveFile(suiteName: string): string {
  return `${LIVE_DIR}/${suiteName.replace(/[^\w.-]+/g, '_')}.jsonl`;
}

export const LIVE_DIR = '.perf/live';

/** Workspace-relative file the output of a suite's `serve` command goes to (scratch, git-ignored). */
export function serveLogFile(suiteName: string): string {
  return `${LIVE_DIR}/${suiteName.replace(/[^\w.-]+/g, '_')}.serve.log`;
}

/** Where a suite's result goes when the config names none. */
export function defaultResultFile(suite: SuiteConfig): string {
  if (isLocustEngine(suite)) {
    // Locust writes PREFIX_stats.csv and siblings; the stats file is the one ingested.
    return suite.results.find(r => !GLOB.test(r) && r.endsWith('_stats.csv')) ?? `.perf/results/${suite.name}_stats.csv`;
  }
  return suite.results.find(r => !GLOB.test(r)) ?? `.perf/results/${suite.name}.json`;
}

/** A load suite Locust runs for us: engine locust, a locustfile, no command of its own. */
function isLocustEngine(suite: SuiteConfig): suite is LoadSuite {
  return suite.kind === 'load' && suite.engine === 'locust' && !suite.command && Boolean(suite.scenario);
}

/**
 * Workspace-relative folders a suite's result files go into (for a glob, its literal leading
 * folders): created before a run, because tools such as pytest-benchmark will not create them.
 */
export function resultFolders(suite: SuiteConfig): string[] {
  const dirs = suite.results.map(r => {
    const segments = r.split(/[\\/]/);
    const firstGlob = segments.findIndex(seg => GLOB.test(seg));
    return firstGlob < 0 ? segments.slice(0, -1).join('/') : segments.slice(0, firstGlob).join('/');
  });
  return [...new Set(dirs.filter(d => d && d !== '.'))];
}

/**
 * The engine invocation for a `load` suite with engine `builtin` (or `locust` without a command),
 * or a `memory` suite (our sampler wraps its command); undefined for suites that run their own command.
 */
export function engineInvocation(
  suite: SuiteConfig,
  config: Pick<ProjectConfig, 'suites'>,
  opts: { progressJson?: boolean; progressFile?: boolean } = {},
): EngineInvocation | undefined {
  const out = defaultResultFile(suite);
  // JSON progress lines for a program reading them (the CLI); a terminal (a task) gets the bar,
  // and the editor tails the progress file (a task's output cannot be read).
  const progress = [...(opts.progressJson ? ['--progress-json'] : []), ...(opts.progressFile ? ['--progress-file', liveFile(suite.name)] : [])];
  if (suite.kind === 'load' && suite.engine === 'builtin' && !suite.command && suite.scenario) {
    const args = ['--scenario', suite.scenario, '--out', out, '--suite', suite.name, ...progress];
    if (suite.target) args.push('--target', suite.target);
    if (suite.durationSec) args.push('--duration', String(suite.durationSec));
    args.push(...metricsArgs(suite.metrics));
    return { script: 'loadMain.js', nodeFlags: LOAD_ENGINE_NODE_FLAGS, args, out };
  }
  if (isLocustEngine(suite)) {
    // loadMain hands --locust to locust/cli.ts: a master and `workers` local workers, or one process.
    const args = ['--locust', suite.scenario as string, '--out', out, '--suite', suite.name, ...progress];
    if (suite.workers) args.push('--workers', String(suite.workers));
    if (suite.users) args.push('--users', String(suite.users));
    if (suite.spawnRate) args.push('--spawn-rate', String(suite.spawnRate));
    if (suite.target) args.push('--target', suite.target);
    if (suite.durationSec) args.push('--duration', String(suite.durationSec));
    return { script: 'loadMain.js', nodeFlags: [], args, out };
  }
  if (suite.kind === 'memory') {
    const args = ['--out', out, '--suite', suite.name, ...progress];
    if (suite.intervalMs) args.push('--interval', String(suite.intervalMs));
    if (suite.warmupSec) args.push('--warmup', String(suite.warmupSec));
    if (suite.heap) args.push('--heap');
    const load = suite.load ? config.suites.find(s => s.name === suite.load) : undefined;
    if (load?.kind === 'load' && load.scenario) {
      args.push('--load', load.scenario);
      // The memory suite's own durationSec is how long it drives that load (a leak check wants
      // longer than a load test: Node's RSS creeps for tens of seconds under a new load).
      const loadSec = suite.durationSec ?? load.durationSec;
      if (loadSec) args.push('--load-duration', String(loadSec));
      if (load.target) args.push('--load-target', load.target);
    } else if (suite.durationSec) {
      args.push('--duration', String(suite.durationSec));
    }
    // The memory suite's metrics endpoint, else that of the load it drives.
    args.push(...metricsArgs(suite.metrics ?? (load?.kind === 'load' ? load.metrics : undefined)));
    // The sampler runs from the workspace folder; the suite's cwd applies to its command.
    args.push('--', 'sh', '-c', suite.cwd === '.' ? suite.command : `cd ${shellQuote(suite.cwd)} && ${suite.command}`);
    return { script: 'memoryMain.js', nodeFlags: [], args, out };
  }
  return undefined;
}
