// ab: same-machine A/B of HEAD against its merge base (core/ab/runner), reported as text,
// Markdown (a PR comment) or JSON; the result is always kept in .perf/ab/<timestamp>.json.
import * as path from 'path';
import { AbUsageError, runAb, writeAbResult } from '../../core/ab/runner';
import type { RoundStatistic } from '../../core/ab/types';
import { GitError } from '../../core/env/git';
import { writeFileAtomic } from '../../core/store/atomic';
import { choiceArg, UsageError, type Args } from '../args';
import { CliError, type Ctx } from '../context';
import { abMarkdown, abText } from '../render/abMarkdown';
import { onStopSignal } from '../../core/env/stopSignals';

export const AB_USAGE = `Usage: perf-lens ab [--base REF] [--suite NAME] [--bench ID …] [--rounds N] [--max-time SEC]
                    [--format text|md|json] [--out FILE] [--fail-on-regression]

Checks out the merge base of HEAD and REF into a temporary git worktree and runs the suite's
benchmarks there and in the working tree alternately (A B B A …) on this machine; each
benchmark's verdict comes from the pairs of per-round values (Wilcoxon signed-rank test,
Hodges–Lehmann change with its CI): no stored baseline, no cross-machine error. The worktree is
always removed. The result is written to .perf/ab/<timestamp>.json.

  --base REF             compare with the merge base of HEAD and REF (default: origin/HEAD,
                         else main, else master)
  --suite NAME           regression suite (default: the only one)
  --bench ID …           series ids to judge (default: all); one id runs narrowed when the
                         tool can filter
  --rounds N             most rounds per side (default 60); with 18 or more, the run looks
                         every 15 rounds (at half way for 18–30) and stops when every
                         benchmark is decided (α split over the looks, Bonferroni)
  --no-early-stop        always run all rounds
  --max-time SEC         stop after SEC seconds at a whole pair of rounds
  --threshold PCT        practical threshold in percent (default 2)
  --statistic S          per-round value: p10 (default), median or min of the round's samples
  --format F             text (default), md (pull-request comment) or json
  --out FILE             write the report here (atomically) instead of stdout
  --fail-on-regression   exit 1 when a benchmark regressed`;

export const AB_SPEC = {
  values: ['--base', '--suite', '--bench', '--rounds', '--max-time', '--format', '--out', '--threshold', '--statistic'],
  flags: ['--fail-on-regression', '--no-early-stop'],
  positional: true,
};

function num(args: Args, name: string, ok: (v: number) => boolean, what: string): number | undefined {
  const v = args.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!ok(n)) throw new UsageError(`${name}: expected ${what}, got "${v}"`);
  return n;
}

export async function abCommand(args: Args, ctx: Ctx): Promise<number> {
  // `--bench A B C`: the option takes A, the rest arrive as positional arguments.
  const bench = args.values.get('--bench');
  if (args.positional.length && bench === undefined) throw new UsageError(`unexpected argument "${args.positional[0]}" (benchmark ids follow --bench)`);
  const ids = bench === undefined ? undefined : [bench, ...args.positional];
  const format = choiceArg(args, '--format', ['text', 'md', 'json'] as const, 'text');
  const statistic = choiceArg(args, '--statistic', ['p10', 'median', 'min'] as const, 'p10') as RoundStatistic;
  const rounds = num(args, '--rounds', (n) => Number.isInteger(n) && n >= 2 && n <= 1000, 'a whole number from 2 to 1000');
  const maxTimeSec = num(args, '--max-time', (n) => n > 0, 'a positive number of seconds');
  const thresholdPct = num(args, '--threshold', (n) => n >= 0 && n < 100, 'a percentage from 0 to 100');

  const controller = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalled) process.exit(130);
    signalled = sig;
    ctx.out.err(`perf-lens ab: ${sig}: stopping after the running benchmark; the worktree is removed`);
    controller.abort();
  };
  const offSignals = onStopSignal(onSignal);
  let result;
  try {
    result = await runAb({
      workspace: ctx.cwd,
      baseRef: args.values.get('--base'),
      suite: args.values.get('--suite'),
      ids,
      rounds,
      maxTimeSec,
      earlyStop: !args.flags.has('--no-early-stop'),
      threshold: thresholdPct === undefined ? undefined : thresholdPct / 100,
      statistic,
      onProgress: (l) => ctx.out.progress(l),
      signal: controller.signal,
    });
  } catch (e) {
    if (e instanceof AbUsageError) throw new CliError(e.message, 2);
    if (e instanceof GitError) throw new CliError(e.message, e.kind === 'unknown-ref' || e.kind === 'not-a-repo' ? 2 : 1);
    throw e;
  } finally {
    offSignals();
    ctx.out.done();
  }
  const file = await writeAbResult(result);
  ctx.out.err(`A/B result: ${path.relative(ctx.cwd, file) || file}`);
  const report = format === 'md' ? abMarkdown(result) : format === 'json' ? `${JSON.stringify(result, null, 1)}\n` : `${abText(result).join('\n')}\n`;
  const out = args.values.get('--out');
  if (out) {
    const target = path.resolve(ctx.cwd, out);
    await writeFileAtomic(target, report);
    ctx.out.err(`report: ${target}`);
  } else {
    for (const l of report.replace(/\n$/, '').split('\n')) ctx.out.out(l);
  }
  if (signalled) return 130;
  if (!result.benchmarks.length) return 1;
  if (args.flags.has('--fail-on-regression') && result.benchmarks.some((b) => b.verdict.status === 'regression')) return 1;
  return result.errors.length && result.stoppedBy === 'error' ? 1 : 0;
}
