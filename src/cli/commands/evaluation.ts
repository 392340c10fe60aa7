// compare, gate and report: one evaluation (latest vs baselines, or run B vs run A), three views.
import * as fs from 'fs';
import * as path from 'path';
import { GitError } from '../../core/env/git';
import { HISTORY_DIR, HistoryStore } from '../../core/store/history';
import type { Run } from '../../core/model';
import { UsageError, choiceArg, listArg, type Args } from '../args';
import { CliError, openWorkspace, type Ctx } from '../context';
import { evaluateLatest, evaluateRuns, loadBaselineSet, runReader, type Evaluation } from '../evaluate';
import { FAIL_ON, failureLine, gateFailures, countsLine } from '../render/describe';
import { htmlReport } from '../render/html';
import { jsonReport } from '../render/json';
import { junitReport } from '../render/junit';
import { markdownReport } from '../render/markdown';
import { textTable } from '../render/text';

export const SOURCE_OPTIONS = `  --baseline-ref REF   baselines as committed at a git ref (e.g. origin/main) instead of the working tree
  --runs A B           compare run B against run A (run ids or unique prefixes, see .perf/history)`;

async function findRun(folder: string, key: string): Promise<Run & { id: string }> {
  const history = new HistoryStore(path.join(folder, HISTORY_DIR));
  const ids = (await history.list()).map(r => r.id);
  const hits = ids.includes(key) ? [key] : ids.filter(id => id.startsWith(key));
  if (hits.length === 0) throw new CliError(`no run "${key}" in ${HISTORY_DIR} (${ids.length} run(s) stored${ids[0] ? `, newest ${ids[0]}` : ''})`, 1);
  if (hits.length > 1) throw new UsageError(`run "${key}" is ambiguous: ${hits.slice(0, 5).join(', ')}${hits.length > 5 ? ' …' : ''}`);
  const run = await runReader(folder)(hits[0]);
  if (!run) throw new CliError(`run ${hits[0]} could not be read from ${HISTORY_DIR}`, 1);
  return run;
}

export async function evaluationFor(ctx: Ctx, args: Args): Promise<Evaluation> {
  const runs = args.tuples.get('--runs');
  const ref = args.values.get('--baseline-ref');
  if (runs && ref) throw new UsageError('give --runs or --baseline-ref, not both');
  const store = await openWorkspace(ctx, { requireConfig: false });
  if (runs) return evaluateRuns(store, await findRun(ctx.cwd, runs[0]), await findRun(ctx.cwd, runs[1]));
  return evaluateLatest(store, await baselinesFor(ctx, ref));
}

/** Baselines of the working tree or a git ref; an unknown ref or no repository is the caller's mistake (2). */
export async function baselinesFor(ctx: Ctx, ref: string | undefined): Promise<Awaited<ReturnType<typeof loadBaselineSet>>> {
  try {
    return await loadBaselineSet(ctx.cwd, ref);
  } catch (e) {
    throw new CliError((e as Error).message, e instanceof GitError && (e.kind === 'unknown-ref' || e.kind === 'not-a-repo') ? 2 : 1);
  }
}

export async function compareCommand(args: Args, ctx: Ctx): Promise<number> {
  const ev = await evaluationFor(ctx, args);
  for (const l of textTable(ev)) ctx.out.out(l);
  return 0;
}

export async function gateCommand(args: Args, ctx: Ctx): Promise<number> {
  const failOn = listArg(args, '--fail-on', FAIL_ON, ['regression', 'budget', 'leak']);
  const ev = await evaluationFor(ctx, args);
  const failures = gateFailures(ev.rows, failOn);
  if (!ev.rows.length) {
    ctx.out.err('gate: no results to judge (run a suite or ingest a result file first)');
    return 1;
  }
  for (const f of failures) ctx.out.out(failureLine(f));
  ctx.out.out(`${failures.length ? 'gate FAILED' : 'gate passed'} (fail on ${failOn.join(', ')}; baselines from ${ev.baselineSource}): ${countsLine(ev.rows)}`);
  return failures.length ? 1 : 0;
}

const FORMATS = ['md', 'html', 'json', 'junit', 'text'] as const;

export async function reportCommand(args: Args, ctx: Ctx): Promise<number> {
  const format = choiceArg(args, '--format', FORMATS, 'md') ?? 'md';
  const title = args.values.get('--title');
  const ev = await evaluationFor(ctx, args);
  const text =
    format === 'md' ? markdownReport(ev, title)
    : format === 'html' ? htmlReport(ev, title)
    : format === 'json' ? jsonReport(ev)
    : format === 'junit' ? junitReport(ev)
    : `${textTable(ev).join('\n')}\n`;
  const outFile = args.values.get('--out');
  if (!outFile) {
    process.stdout.write(text);
    return 0;
  }
  const abs = path.resolve(ctx.cwd, outFile);
  try {
    await fs.promises.mkdir(path.dirname(abs), { recursive: true });
    // Write beside, then rename: a CI step reading the file never sees half a report.
    const tmp = `${abs}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, text);
    await fs.promises.rename(tmp, abs);
  } catch (e) {
    throw new CliError(`cannot write ${outFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1);
  }
  ctx.out.err(`${format} report (${ev.rows.length} series) → ${path.relative(process.cwd(), abs) || abs}`);
  return 0;
}
