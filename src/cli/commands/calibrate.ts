// calibrate [--suite NAME] [--runs N]: the machine's noise floor. Runs the regression suite(s)
// N times on the same code (A/A), exactly as `perf-lens run` runs them, and records per
// benchmark how far its central value moves between runs (95th/99th percentile of |ln ratio|
// over all pairs) and the within-run CV in .perf/noise.json for this machine class. Verdicts
// then use max(configured threshold, calibrated noise) for that benchmark on this machine.
import * as path from 'path';
import type { SuiteConfig } from '../../core/config/projectConfig';
import { detectFingerprint, machineClass } from '../../core/env/fingerprint';
import type { Run } from '../../core/model';
import { HISTORY_DIR, HistoryStore } from '../../core/store/history';
import { NOISE_PATH, noiseOfRuns, recordNoise, thresholdFor } from '../../core/store/noise';
import { UsageError, type Args } from '../args';
import { openWorkspace, type Ctx } from '../context';
import { runSuite } from './run';

export const DEFAULT_CALIBRATION_RUNS = 5;

const pctText = (v: number | undefined): string => (v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

export async function calibrateCommand(args: Args, ctx: Ctx): Promise<number> {
  const store = await openWorkspace(ctx, { requireConfig: true });
  const runsArg = args.values.get('--runs');
  const n = runsArg === undefined ? DEFAULT_CALIBRATION_RUNS : Number(runsArg);
  if (!Number.isInteger(n) || n < 2 || n > 100) throw new UsageError(`--runs: expected a whole number from 2 to 100, got ${JSON.stringify(runsArg)}`);
  const name = args.values.get('--suite');
  const regression = store.config.suites.filter(s => s.kind === 'regression');
  let suites: SuiteConfig[];
  if (name !== undefined) {
    const s = store.config.suites.find(x => x.name === name);
    if (!s) throw new UsageError(`no suite "${name}" (suites: ${store.config.suites.map(x => x.name).join(', ') || 'none'})`);
    suites = [s];
  } else {
    if (!regression.length) throw new UsageError(`${path.basename(store.config.file)} declares no regression suite to calibrate`);
    suites = regression;
  }
  const history = new HistoryStore(path.join(ctx.cwd, HISTORY_DIR));
  const machine = detectFingerprint();
  const file = path.join(ctx.cwd, NOISE_PATH);
  let failed = false;
  for (const suite of suites) {
    const runs: Run[] = [];
    for (let i = 1; i <= n; i++) {
      ctx.out.err(`${suite.name}: calibration run ${i} of ${n}`);
      const r = await runSuite(ctx, store, suite);
      if (r.error) {
        ctx.out.err(`error: suite ${suite.name}: ${r.error}`);
        failed = true;
        break;
      }
      for (const id of r.runIds) {
        const run = await history.get(id);
        if (run) runs.push(run);
      }
    }
    if (runs.length < 2) {
      ctx.out.err(`${suite.name}: fewer than 2 runs completed; nothing calibrated`);
      failed = true;
      continue;
    }
    const cls = machineClass(runs[runs.length - 1].machine ?? machine);
    const entries = noiseOfRuns(runs, new Date().toISOString());
    const doc = await recordNoise(file, cls, entries);
    ctx.out.out(`Noise on ${cls} (${suite.name}, ${runs.length} A/A runs; percentiles of few pairs are approximate):`);
    ctx.out.out(`${'SERIES'.padEnd(50)}  ${'WITHIN-RUN CV'.padStart(13)}  ${'RUN-TO-RUN p95'.padStart(14)}  ${'p99'.padStart(7)}  THRESHOLD USED`);
    for (const [id, e] of Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const t = thresholdFor(doc, cls, id, store.config.verdict.threshold);
      const used = `${pctText(t.threshold)}${t.calibrated ? ' (calibrated noise)' : ' (configured)'}`;
      ctx.out.out(`${id.padEnd(50)}  ${pctText(e.withinRunCv).padStart(13)}  ${pctText(Math.exp(e.p95) - 1).padStart(14)}  ${pctText(Math.exp(e.p99) - 1).padStart(7)}  ${used}`);
    }
    ctx.out.err(`wrote ${path.relative(ctx.cwd, file)} (${Object.keys(entries).length} series)`);
  }
  return failed ? 1 : 0;
}
