// CLI entry of the load engine: node out/src/engines/loadMain.js --scenario s.json --out result.json
// Runs outside the extension host (a VS Code task or `perf-lens load`). SIGINT/SIGTERM/SIGHUP (a stopped task) stop the run
// gracefully and still write the results, marked partial.
import * as fs from 'fs/promises';
import { parseArgs, numberArg, UsageError } from './args';
import { TargetError } from './load/guard';
import { runLoad } from './load/runner';
import { onlyRoute, parseScenario, ScenarioError } from './load/scenario';
import { AGGREGATED, loadRun } from './load/toRun';
import { writeRunFile } from './output';
import { attachMetrics } from './metrics/attach';
import { METRICS_ARGS, METRICS_USAGE } from './metrics/scraper';
import { bar, progressSink } from './progress';
import { locustCli } from './locust/cli';
import { applyRequestedPriority } from './priority';
import { onStopSignal } from '../core/env/stopSignals';
import { LOAD_ENGINE_NODE_FLAGS } from '../core/config/suiteCommand';
import { needsRestart, restartWithFlags } from './withNodeFlags';

export const LOAD_USAGE = `Usage: loadMain --scenario FILE --out FILE [options]

Runs an HTTP load scenario (JSON) against a loopback target and writes a perf-lens-run file.

Options:
  --scenario FILE     scenario JSON (target, mode, connections, rate, durationSec, requests …)
  --out FILE          result file, written atomically
  --suite NAME        suite name recorded in the run
  --target URL        override the scenario's base URL (loopback unless allowHosts names it)
  --duration SEC      override durationSec
  --connections N     override connections
  --rate N            override rate (open loop)
  --only-route R      send only the requests a handler serves, e.g. "GET /api/videos/{id}"
                      (route templates of any framework: {id}, :id, <int:id>)
  --progress-json     one JSON line per second on stdout (default when stdout is not a TTY)
  --progress-file F   also append every progress event to F as a JSON line (F is recreated)
${METRICS_USAGE}
  --help              this text

Exit codes: 0 results written; 2 bad arguments or scenario; 3 target not allowed or down
(nothing recorded); 4 unexpected error; 130 stopped by SIGINT, SIGTERM or SIGHUP (a stopped VS Code task; partial results written).`;

export const EXIT = { ok: 0, usage: 2, target: 3, internal: 4, interrupted: 130 } as const;

export async function loadCli(argv: string[]): Promise<number> {
  // A locust suite runs Locust (locust/cli.ts), launched the same way as the builtin engine.
  if (argv.includes('--locust')) return locustCli(argv);
  const args = parseArgs(argv, { values: ['--scenario', '--out', '--suite', '--duration', '--connections', '--rate', '--target', '--progress-file', '--only-route', ...METRICS_ARGS], flags: ['--progress-json', '--help'] });
  if (args.flags.has('--help')) {
    process.stdout.write(`${LOAD_USAGE}\n`);
    return EXIT.ok;
  }
  const file = args.values.get('--scenario');
  const out = args.values.get('--out');
  if (!file) throw new UsageError('--scenario FILE is required');
  if (!out) throw new UsageError('--out FILE is required');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read scenario ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const target = args.values.get('--target');
  let targetUrl: URL | undefined;
  if (target !== undefined) {
    // The suite's target replaces the scenario's (or stands in for a scenario without one); the
    // loopback guard still applies in runLoad.
    try {
      targetUrl = new URL(target);
    } catch {
      throw new UsageError(`--target: expected an http:// URL, got "${target}"`);
    }
    if (targetUrl.protocol !== 'http:' && targetUrl.protocol !== 'https:') throw new UsageError(`--target: expected http or https, got "${targetUrl.protocol}"`);
  }
  const parsed = parseScenario(text, file, { target, durationSec: numberArg(args, '--duration', { min: 0.1 }) });
  const route = args.values.get('--only-route');
  const sc = route === undefined ? parsed : onlyRoute(parsed, route, file);
  const c = numberArg(args, '--connections', { min: 1 });
  if (c !== undefined) sc.connections = Math.floor(c);
  const r = numberArg(args, '--rate', { min: 0.001 });
  if (r !== undefined) {
    if (sc.mode !== 'open') throw new UsageError('--rate applies to open-loop scenarios (mode "open")');
    sc.rate = r;
  }

  const sink = progressSink(args.flags.has('--progress-json'), args.values.get('--progress-file'));
  // Server metrics (--metrics URL): the load target's host may be scraped too.
  const metrics = attachMetrics(args, sink, [sc.target.hostname, ...sc.allowHosts]);
  sink.event({ type: 'start', kind: 'load', suite: args.values.get('--suite'), startedAt: new Date().toISOString(), pid: process.pid, durationSec: sc.durationSec });
  const ctl = new AbortController();
  let signalled: string | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    signalled = sig;
    ctl.abort(sig);
  };
  const offSignals = onStopSignal(onSignal, { once: true });
  try {
    const result = await runLoad(sc, {
      signal: ctl.signal,
      onProgress: (p, point) => {
        const line = `${bar(p.elapsedSec, sc.durationSec)}  ${p.rps} req/s  ${p.requests} requests  ${p.failures} errors` +
          (p.p99 !== undefined ? `  p99 ${(p.p99 * 1000).toFixed(1)} ms` : '');
        sink.update(line, { ...p, errorsBy: point.errors ?? {}, point });
      },
    }).catch((e: unknown) => {
      sink.event({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      throw e;
    });
    sink.end();
    const run = loadRun(result, args.values.get('--suite'));
    await writeRunFile(out, run);
    await metrics?.finish(out, { suite: args.values.get('--suite'), kind: 'load' });
    const agg = run.series.find(s => s.id === AGGREGATED)!;
    sink.event({ type: 'done', out, partial: Boolean(result.partial), requests: agg.endpoint!.requests, failures: agg.endpoint!.failures });
    process.stderr.write(`${agg.endpoint!.requests} requests, ${agg.endpoint!.failures} failures, ${agg.endpoint!.rps!.toFixed(1)} req/s, ` +
      `p50 ${fmtMs(agg.summary.percentiles?.p50)} p99 ${fmtMs(agg.summary.percentiles?.p99)}, generator ${result.generatorCpuPct.toFixed(0)}% of a core` +
      `${result.partial ? ` (${result.partial})` : ''} → ${out}\n`);
    return signalled ? EXIT.interrupted : EXIT.ok;
  } finally {
    await metrics?.abort();
    offSignals();
  }
}

const fmtMs = (s: number | undefined) => (s === undefined ? '-' : `${(s * 1000).toFixed(2)} ms`);

/** Maps errors to messages and exit codes; shared with memoryMain. */
export function exitCodeFor(e: unknown, prog: string): number {
  if (e instanceof UsageError) {
    process.stderr.write(`${prog}: ${e.message}\nRun with --help for usage.\n`);
    return EXIT.usage;
  }
  if (e instanceof ScenarioError) {
    process.stderr.write(`${prog}: ${e.message}\n`);
    return EXIT.usage;
  }
  if (e instanceof TargetError) {
    process.stderr.write(`${prog}: ${e.message}\n`);
    return EXIT.target;
  }
  process.stderr.write(`${prog}: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT.internal;
}

/** Whether `argv` runs the builtin generator started by hand without its V8 flags (withNodeFlags.ts). */
export function loadNeedsRestart(argv: readonly string[]): boolean {
  return !argv.includes('--locust') && !argv.includes('--help') && needsRestart(LOAD_ENGINE_NODE_FLAGS);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const run = loadNeedsRestart(argv)
    ? restartWithFlags(LOAD_ENGINE_NODE_FLAGS, process.argv[1], argv)
    : (applyRequestedPriority(), loadCli(argv));
  run.then(
    code => { process.exitCode = code; },
    e => { process.exitCode = exitCodeFor(e, 'perf-lens load'); },
  );
}
