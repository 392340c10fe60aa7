// The contract a parser must keep on hostile input, as checks the fuzzer (and its unit test)
// apply to every case: an accepted file yields a valid model, a rejected one a located
// IngestError naming the file; anything else is a violation.
import { LocatedError } from '../../src/core/errors';
import type { Metric, Run, Unit } from '../../src/core/model';

export type Verdict =
  | { kind: 'accepted' }
  | { kind: 'rejected'; located: boolean; message: string }
  | { kind: 'violation'; why: string };

const UNIT_OF: Record<Metric, Unit> = { duration: 's', throughput: '1/s', memory: 'bytes', errorRate: 'ratio', count: 'count' };

/**
 * Whole-file rejections that have no line or field to name (the file as such is the fault).
 * Everything else must carry a line or a field.
 */
const WHOLE_FILE = [
  /: file is empty$/,
  /: file is binary, not a text result file$/,
  /: unrecognised result format\. /,
  /: file is .* above the .* limit/,
  /: not a regular file$/,
  /: no benchmark results found/,
  /: cannot (open|read): /,
];

/** Problems with an accepted run (empty when valid). */
export function modelProblems(run: Run): string[] {
  const problems: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (problems.length > 5) return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) problems.push(`non-finite number ${v} at ${at}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(run, 'run');
  if (typeof run.startedAt !== 'string' || Number.isNaN(Date.parse(run.startedAt))) problems.push(`startedAt is not a date: ${JSON.stringify(run.startedAt)}`);
  if (run.durationSec !== undefined && run.durationSec < 0) problems.push(`negative durationSec ${run.durationSec}`);
  if (!Array.isArray(run.series)) return [...problems, 'series is not an array'];
  run.series.forEach((s, i) => {
    const at = `series[${i}] (${s.id})`;
    if (typeof s.id !== 'string') problems.push(`${at}: id is not a string`);
    if (UNIT_OF[s.metric] === undefined) problems.push(`${at}: unknown metric ${s.metric}`);
    else if (UNIT_OF[s.metric] !== s.unit) problems.push(`${at}: unit ${s.unit} is not the canonical ${UNIT_OF[s.metric]} for ${s.metric}`);
    const sum = s.summary ?? {};
    const nonNegative: [string, number | undefined][] = [
      ['summary.n', sum.n],
      ['summary.stddev', sum.stddev],
      ['summary.iqr', sum.iqr],
      ['endpoint.requests', s.endpoint?.requests],
      ['endpoint.failures', s.endpoint?.failures],
    ];
    // Durations, rates, ratios and counts are never negative (a negative mean is a corrupt file);
    // a memory series may hold deltas, so only its raw samples (rss) are checked.
    if (s.metric !== 'memory') {
      for (const k of ['mean', 'median', 'min', 'max'] as const) nonNegative.push([`summary.${k}`, sum[k]]);
      for (const [k, v] of Object.entries(sum.percentiles ?? {})) nonNegative.push([`summary.percentiles.${k}`, v]);
      (s.samples ?? []).forEach((v, j) => j < 1000 && nonNegative.push([`samples[${j}]`, v]));
    }
    (s.timeline ?? []).forEach((p, j) => {
      nonNegative.push([`timeline[${j}].requests`, p.requests], [`timeline[${j}].failures`, p.failures]);
      for (const [k, v] of Object.entries(p.percentiles ?? {})) nonNegative.push([`timeline[${j}].percentiles.${k}`, v]);
    });
    (s.memory ?? []).forEach((m, j) => nonNegative.push([`memory[${j}].rss`, m.rss]));
    for (const [k, v] of nonNegative) if (typeof v === 'number' && v < 0) problems.push(`${at}: negative ${k} = ${v}`);
  });
  return problems.slice(0, 6);
}

/** Classify what the parser did with `file`. */
export function judge(file: string, outcome: { run: Run } | { error: unknown }, siblings: readonly string[] = []): Verdict {
  if ('run' in outcome) {
    const problems = modelProblems(outcome.run);
    return problems.length ? { kind: 'violation', why: `accepted with an invalid model: ${problems.join('; ')}` } : { kind: 'accepted' };
  }
  const e = outcome.error;
  if (!(e instanceof LocatedError)) {
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { kind: 'violation', why: `uncaught ${what.slice(0, 300)}` };
  }
  // Locust reads a family of files: the error may rightly name the sibling at fault.
  if (!(e.file === file || siblings.includes(e.file)) || !e.message.startsWith(e.file)) return { kind: 'violation', why: `error does not name the file: ${e.message.slice(0, 300)}` };
  const located = e.where?.line !== undefined || e.where?.field !== undefined;
  if (!located && !WHOLE_FILE.some(re => re.test(e.message))) {
    return { kind: 'violation', why: `rejection names no line or field: ${e.message.slice(0, 300)}` };
  }
  return { kind: 'rejected', located, message: e.message };
}
