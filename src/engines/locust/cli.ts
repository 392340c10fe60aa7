// `loadMain --locust FILE --out PREFIX_stats.csv [--workers N]`: the Locust engine of a load suite
// (engine "locust", no command of its own). Reached through loadMain so the VS Code task and
// `perf-lens run` launch it exactly as they launch the builtin engine.
import * as fs from 'fs';
import * as path from 'path';
import { locustParser } from '../../core/ingest/locust';
import { numberArg, parseArgs, UsageError } from '../args';
import { progressSink } from '../progress';
import { freeLoopbackPort } from '../../core/env/ports';
import { LocustError, runLocust } from './distributed';
import { onStopSignal } from '../../core/env/stopSignals';

export const LOCUST_USAGE = `Usage: loadMain --locust LOCUSTFILE --out PREFIX_stats.csv [options]

Runs Locust headless (with --workers N: a master and N local workers) and checks its CSVs.

Options:
  --locust FILE       the locustfile
  --out FILE          where the stats CSV goes; must end in _stats.csv (siblings share the prefix)
  --workers N         distributed mode: one master and N local worker processes
  --workers-wait SEC  how long the master waits for its workers (default 30)
  --users N           peak number of users (Locust's -u; default from locust.conf or 1)
  --spawn-rate N      users started per second (Locust's -r)
  --target URL        the host Locust sends requests to (--host)
  --duration SEC      run time (default 60)
  --suite NAME        suite name in progress events
  --progress-json     JSON events on stdout (Locust's own output goes to stderr)
  --progress-file F   also append every progress event to F as a JSON line

Locust: $PERF_LENS_LOCUST when set (e.g. "/usr/bin/python3 -m locust"), else \`locust\` on PATH.
Exit codes: 0 CSVs written; 2 bad arguments; 3 workers did not connect or Locust missing;
4 Locust failed; 130 stopped by SIGINT, SIGTERM or SIGHUP (a stopped VS Code task).`;

const STATS = '_stats.csv';

export async function locustCli(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['--locust', '--out', '--workers', '--workers-wait', '--users', '--spawn-rate', '--target', '--duration', '--suite', '--progress-file'],
    flags: ['--progress-json', '--help'],
  });
  if (args.flags.has('--help')) {
    process.stdout.write(`${LOCUST_USAGE}\n`);
    return 0;
  }
  const locustfile = args.values.get('--locust');
  const out = args.values.get('--out');
  if (!locustfile) throw new UsageError('--locust FILE is required');
  if (!out || !out.endsWith(STATS)) throw new UsageError(`--out must name the stats file, PREFIX${STATS} (got ${out ?? 'nothing'})`);
  if (!fs.existsSync(locustfile)) throw new UsageError(`locustfile ${locustfile} does not exist`);
  const workers = numberArg(args, '--workers', { min: 0 }) ?? 0;
  if (!Number.isInteger(workers)) throw new UsageError(`--workers expects a whole number, got ${workers}`);
  const durationSec = numberArg(args, '--duration', { min: 1 }) ?? 60;
  const suite = args.values.get('--suite');
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const plan = {
    locustfile,
    csvPrefix: out.slice(0, -STATS.length),
    host: args.values.get('--target'),
    durationSec,
    workers,
    users: numberArg(args, '--users', { min: 1 }),
    spawnRate: numberArg(args, '--spawn-rate', { min: 0.001 }),
    workersWaitSec: numberArg(args, '--workers-wait', { min: 1 }) ?? 30,
    masterPort: workers > 0 ? await freeLoopbackPort() : 0,
  };
  const sink = progressSink(args.flags.has('--progress-json'), args.values.get('--progress-file'));
  const startedAt = Date.now();
  sink.event({ type: 'start', kind: 'load', engine: 'locust', suite, workers, startedAt: new Date(startedAt).toISOString(), pid: process.pid, durationSec });
  const ctl = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => ctl.abort(sig);
  const offSignals = onStopSignal(onSignal, { once: true });
  try {
    const r = await runLocust(plan, {
      cwd: process.cwd(),
      signal: ctl.signal,
      onReady: n => {
        if (!n) return;
        sink.event({ type: 'workers', connected: n });
        process.stderr.write(`perf-lens: ${n} Locust workers connected; running ${durationSec} s\n`);
      },
    });
    const fresh = fs.existsSync(out) && fs.statSync(out).mtimeMs >= startedAt - 1000;
    if (!fresh) {
      sink.event({ type: 'error', message: `Locust exited with ${r.code} and wrote no ${out}` });
      process.stderr.write(`perf-lens load: Locust exited with ${r.code} and wrote no ${out}\n`);
      return r.stopped ? 130 : 4;
    }
    // Read back what Locust wrote with the same parser that ingests it: a bad file fails here, loudly.
    const run = await locustParser.parse(out);
    const agg = run.series.find(s => s.id === 'Aggregated')?.endpoint;
    sink.event({ type: 'done', out, engine: 'locust', workers: r.workersConnected, partial: Boolean(r.stopped), requests: agg?.requests ?? 0, failures: agg?.failures ?? 0 });
    sink.end();
    process.stderr.write(`locust: ${agg?.requests ?? 0} requests, ${agg?.failures ?? 0} failures` +
      `${workers ? ` over ${r.workersConnected} workers` : ''}${r.stopped ? ` (stopped by ${r.stopped})` : ''} → ${out}\n`);
    if (r.stopped) return 130;
    return r.code === 0 ? 0 : 4;
  } catch (e) {
    if (e instanceof LocustError) {
      sink.event({ type: 'error', message: e.message });
      process.stderr.write(`perf-lens load: ${e.message}\n`);
      return 3;
    }
    throw e;
  } finally {
    offSignals();
  }
}
