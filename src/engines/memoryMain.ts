// CLI entry of the memory sampler:
//   node out/src/engines/memoryMain.js --out mem.json [--load s.json] -- node server.js
//   node out/src/engines/memoryMain.js --out mem.json --pid 1234 --duration 60
import { parseArgs, numberArg, UsageError } from './args';
import { EXIT, exitCodeFor } from './loadMain';
import { MemoryRunError, runMemory } from './memory/runMemory';
import { writeRunFile } from './output';
import { attachMetrics } from './metrics/attach';
import { METRICS_ARGS, METRICS_USAGE } from './metrics/scraper';
import { progressSink } from './progress';
import { onStopSignal } from '../core/env/stopSignals';

export const MEMORY_USAGE = `Usage: memoryMain --out FILE [options] (--pid PID | -- COMMAND [ARGS…])

Samples RSS and CPU of a process tree, optionally under load, and writes a perf-lens-run file
with the leak verdict (slope MB/min with CI, growth, peak, release after load).

Options:
  --out FILE           result file, written atomically
  --pid PID            attach to a running process (needs --duration or --load)
  --interval MS        sampling interval (default 250)
  --duration SEC       stop after this long (default: until the process exits, or the load ends)
  --load FILE          drive this load scenario against the target in a child process
  --load-after SEC     idle baseline before the load starts (default 2)
  --load-duration SEC  override the scenario's durationSec
  --load-target URL    override the scenario's target (base URL)
  --settle SEC         keep sampling after the load to see memory released (default 5)
  --warmup SEC         warm-up the leak analysis ignores (default 10% of the window)
  --heap               Node commands: also sample V8 heap used over the inspector protocol
                       (NODE_OPTIONS=--inspect=127.0.0.1:0); the verdict then judges the heap
  --suite NAME         suite name recorded in the run
  --progress-json      one JSON line per second on stdout (default when stdout is not a TTY)
  --progress-file F    also append every progress event to F as a JSON line (F is recreated)
${METRICS_USAGE}
  --help               this text

Exit codes: 0 results written, no leak; 1 results written, verdict "leak"; 2 bad arguments;
3 target down; 4 unexpected error; 130 stopped by SIGINT, SIGTERM or SIGHUP (a stopped VS Code task; partial results written).`;

export async function memoryCli(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['--out', '--pid', '--interval', '--duration', '--load', '--load-after', '--load-duration', '--load-target', '--settle', '--warmup', '--suite', '--progress-file', ...METRICS_ARGS],
    flags: ['--progress-json', '--heap', '--help'],
  });
  if (args.flags.has('--help')) {
    process.stdout.write(`${MEMORY_USAGE}\n`);
    return EXIT.ok;
  }
  const out = args.values.get('--out');
  if (!out) throw new UsageError('--out FILE is required');
  const pid = numberArg(args, '--pid', { min: 1 });
  if (pid === undefined && args.rest.length === 0) throw new UsageError('give a command after -- or --pid PID');
  if (pid !== undefined && args.rest.length > 0) throw new UsageError('give either --pid or a command, not both');
  const loadFile = args.values.get('--load');

  const sink = progressSink(args.flags.has('--progress-json'), args.values.get('--progress-file'));
  // Server metrics (--metrics URL, loopback): scrapes fail quietly until the launched service answers.
  const metrics = attachMetrics(args, sink);
  sink.event({ type: 'start', kind: 'memory', suite: args.values.get('--suite'), startedAt: new Date().toISOString(), pid: process.pid });
  const ctl = new AbortController();
  let signalled = false;
  const onSignal = () => {
    signalled = true;
    ctl.abort();
  };
  const offSignals = onStopSignal(onSignal, { once: true });
  const t0 = Date.now();
  let lastShown = 0;
  try {
    const res = await runMemory({
      command: args.rest.length ? args.rest : undefined,
      pid,
      intervalMs: numberArg(args, '--interval', { min: 10 }),
      durationSec: numberArg(args, '--duration', { min: 0.1 }),
      warmupSec: numberArg(args, '--warmup', { min: 0 }),
      heap: args.flags.has('--heap'),
      suite: args.values.get('--suite'),
      signal: ctl.signal,
      load: loadFile === undefined ? undefined : {
        scenarioFile: loadFile,
        startAfterSec: numberArg(args, '--load-after', { min: 0 }),
        durationSec: numberArg(args, '--load-duration', { min: 0.1 }),
        target: args.values.get('--load-target'),
        settleSec: numberArg(args, '--settle', { min: 0 }),
      },
      onSample: s => {
        if (s.t * 1000 - lastShown < 1000) return; // at most one progress line a second
        lastShown = s.t * 1000;
        const elapsedSec = Math.round((Date.now() - t0) / 100) / 10;
        sink.update(`${elapsedSec.toFixed(0)} s  rss ${(s.rss / 2 ** 20).toFixed(1)} MB${s.heapUsed !== undefined ? `  heap ${(s.heapUsed / 2 ** 20).toFixed(1)} MB` : ''}  cpu ${s.cpu?.toFixed(0)}%  ${s.processes} process(es)`,
          { type: 'progress', elapsedSec, rss: s.rss, heapUsed: s.heapUsed, cpu: s.cpu, processes: s.processes });
      },
      onEvent: e => sink.event(e),
    });
    sink.end();
    await writeRunFile(out, res.run);
    await metrics?.finish(out, { suite: args.values.get('--suite'), kind: 'memory' });
    sink.event({ type: 'done', out, verdict: res.verdict.status, endedBy: res.endedBy });
    process.stderr.write(`${res.verdict.reason}\n→ ${out}\n`);
    if (signalled) return EXIT.interrupted;
    return res.verdict.status === 'leak' ? 1 : EXIT.ok;
  } finally {
    await metrics?.abort();
    offSignals();
  }
}

if (require.main === module) {
  memoryCli(process.argv.slice(2)).then(
    code => { process.exitCode = code; },
    e => {
      if (e instanceof MemoryRunError) {
        process.stderr.write(`perf-lens memory: ${e.message}\n`);
        process.exitCode = EXIT.usage;
      } else {
        process.exitCode = exitCodeFor(e, 'perf-lens memory');
      }
    },
  );
}
