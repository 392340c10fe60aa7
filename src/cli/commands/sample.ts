// sample ID: keep sampling one benchmark until its comparison is decided. The benchmark is re-run
// through its regression suite (narrowed to it where the runner allows, as the editor's Run does),
// each run is ingested as usual, and the pooled rounds are judged look by look with sequential
// levels (src/core/sampling/keepSampling.ts) so the error rate stays what we claim.
import type { RegressionSuite } from '../../core/config/projectConfig';
import { narrowCommand } from '../../core/config/suiteCommand';
import { DEFAULT_MAX_LOOKS, keepSampling } from '../../core/sampling/keepSampling';
import { verdictCompact, verdictMethod } from '../../core/verdict';
import { UsageError, type Args } from '../args';
import { CliError, openWorkspace, type Ctx } from '../context';
import { evaluateLatest } from '../evaluate';
import { baselinesFor } from './evaluation';
import { runSuite } from './run';

function positiveNumber(args: Args, flag: string): number | undefined {
  const raw = args.values.get(flag);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!(n > 0)) throw new UsageError(`${flag} must be a positive number, got "${raw}"`);
  return n;
}

export async function sampleCommand(args: Args, ctx: Ctx): Promise<number> {
  const [id, ...extra] = args.positional;
  if (!id || extra.length) throw new UsageError('give exactly one series id (perf-lens compare lists them)');
  const maxLooks = positiveNumber(args, '--max-looks') ?? DEFAULT_MAX_LOOKS;
  if (!Number.isInteger(maxLooks) || maxLooks > 20) throw new UsageError(`--max-looks must be an integer from 1 to 20, got ${maxLooks}`);
  const maxTime = positiveNumber(args, '--max-time');
  const store = await openWorkspace(ctx, { requireConfig: true });
  const baselines = await baselinesFor(ctx, args.values.get('--baseline-ref'));
  const row = (await evaluateLatest(store, baselines)).rows.find(r => r.id === id);
  if (!row) throw new CliError(`no results for "${id}" (perf-lens compare lists the series)`, 1);
  const base = row.baseline?.samples ?? [];
  if (!row.verdict || base.length < 2) {
    throw new CliError(`${id}: ${row.baseline?.warning ?? 'no baseline with per-round samples on this machine class'}; keep sampling needs one to decide against`, 1);
  }
  const suite = store.config.suites.find(s => s.name === row.suite);
  if (!suite || suite.kind !== 'regression') throw new CliError(`${id}: its run came from ${row.suite ? `suite "${row.suite}", which is not a regression suite of the config` : 'no suite of the config'}; nothing to re-run`, 1);
  const name = (row.series.name ?? id.split('::').pop() ?? id).replace(/\[.*\]$/, '');
  const narrowed: RegressionSuite = { ...suite, command: narrowCommand(suite, { id, name, file: id.includes('::') ? id.split('::')[0] : '' }) ?? suite.command };

  ctx.out.out(`${id}: ${verdictCompact(row.verdict)} — keep sampling, up to ${maxLooks} looks${maxTime ? ` or ${maxTime} s` : ''}`);
  const result = await keepSampling({
    baseline: { metric: row.series.metric, unit: row.series.unit, samples: base, summary: {} },
    initial: row.series,
    maxLooks,
    maxTimeMs: maxTime !== undefined ? maxTime * 1000 : undefined,
    threshold: store.config.verdict.threshold,
    seed: id,
    onLook: l => ctx.out.out(`look ${l.look}/${l.maxLooks} · ${l.n} rounds · ${verdictCompact(l.verdict)}`),
    runOnce: async () => {
      const r = await runSuite(ctx, store, narrowed);
      if (r.error) ctx.out.err(`warning: ${suite.name}: ${r.error}`);
      const now = store.get(id);
      return now && r.runIds.includes(now.run.id) ? now.series.samples ?? [] : [];
    },
  });
  ctx.out.out(`${id}: ${result.verdict.reason}`);
  ctx.out.out(`test: ${verdictMethod(result.verdict)}; pooled ${result.samples.length} rounds over ${result.looks.length} look(s)`);
  const how = { decided: 'decided', 'max-looks': 'still undecided after every planned look', time: 'still undecided when --max-time ran out', cancelled: 'stopped', 'no-samples': 'the runs gave no rounds of this series' }[result.stopped];
  ctx.out.out(`${result.decided ? 'DECIDED' : 'UNDECIDED'}: ${how}`);
  return result.decided ? 0 : 1;
}
