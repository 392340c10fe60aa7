// A suite with `serve`, run as a VS Code task: start the service, run the suite's own process
// (our load engine, Lighthouse, the user's command), stop the service, exit with the suite's code.
//   node serveMain.js --serve '{"command":"node server.js","url":"http://127.0.0.1:3000/",…}'
//                     --cwd DIR --log FILE -- COMMAND [ARGS…]
// The suite runs in its own process group: a stop signal (Ctrl+C, Terminate Task) reaches it once,
// from us — our engines end at once on a second signal, which a terminal's SIGINT to the whole
// group plus ours would be — and it then writes its partial results before the service stops.
import type { ServeConfig } from '../core/config/serve';
import { spawnOwnGroup } from '../core/env/lifeline';
import { describeService, ServeError, startService } from '../core/env/serve';
import { onStopSignal, signalExitCode } from '../core/env/stopSignals';
import { parseArgs, UsageError } from './args';

const USAGE = 'Usage: serveMain --serve JSON --cwd DIR --log FILE -- COMMAND [ARGS…]';

export async function serveCli(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['--serve', '--cwd', '--log'], flags: [] });
  const json = args.values.get('--serve');
  const cwd = args.values.get('--cwd') ?? process.cwd();
  const log = args.values.get('--log');
  if (!json || !log || !args.rest.length) throw new UsageError(USAGE);
  const cfg = JSON.parse(json) as ServeConfig;

  const ctl = new AbortController();
  let stopSignal: NodeJS.Signals | undefined;
  let forward: ((sig: NodeJS.Signals) => void) | undefined;
  const off = onStopSignal(sig => {
    stopSignal ??= sig;
    if (forward) forward(sig);
    else ctl.abort();
  });
  const t0 = Date.now();
  let svc;
  try {
    svc = await startService(cfg, { cwd, logFile: log, signal: ctl.signal });
  } catch (e) {
    off();
    if (!(e instanceof ServeError)) throw e;
    process.stderr.write(`perf-lens serve: ${e.message}\n`);
    return stopSignal ? signalExitCode(stopSignal) : 3;
  }
  process.stderr.write(`perf-lens serve: ${describeService(cfg, svc, t0, log)}\n`);
  try {
    if (stopSignal) return signalExitCode(stopSignal);
    const { child, exited } = spawnOwnGroup(args.rest[0], args.rest.slice(1));
    forward = sig => {
      try {
        child.kill(sig);
      } catch {
        /* already gone */
      }
    };
    const result = await exited;
    if (typeof result === 'number') return result;
    process.stderr.write(`perf-lens serve: cannot start ${args.rest[0]}: ${result.message}\n`);
    return 127;
  } finally {
    forward = () => undefined; // the suite is done: a late signal only hurries the stop below
    await svc.stop();
    off();
  }
}

if (require.main === module) {
  serveCli(process.argv.slice(2)).then(
    code => process.exit(code),
    e => {
      process.stderr.write(`perf-lens serve: ${e instanceof UsageError ? e.message : (e as Error).stack ?? String(e)}\n`);
      process.exit(e instanceof UsageError ? 2 : 4);
    },
  );
}
