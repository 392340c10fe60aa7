// The last check on every accepted run (ingestFile applies it after any parser): the model
// must hold what the rest of Perf Lens relies on — finite numbers, the canonical unit for each
// metric, no negative durations, rates or counts, a real start date. A file that passes a
// parser's shape checks but breaks these (a hand edit, a corrupt byte, a value of 1e400) is
// refused here with the series and field named, instead of poisoning baselines and charts.
import type { Metric, Run, Series, Unit } from '../model';
import { IngestError } from './types';

export const CANONICAL_UNIT: Record<Metric, Unit> = { duration: 's', throughput: '1/s', memory: 'bytes', errorRate: 'ratio', count: 'count' };

/** Millisecond range of a JS Date (±8.64e15): outside it toISOString throws. */
const MAX_DATE_MS = 8.64e15;

/** ISO text of `ms`, or undefined when it is not a representable date (instead of a RangeError). */
export function isoOrUndefined(ms: number): string | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : undefined;
}

function fail(file: string, detail: string, field: string): never {
  throw new IngestError(file, detail, { field });
}

/** Throws an IngestError naming the series and field of the first problem; returns the run. */
export function checkRun(file: string, run: Run): Run {
  if (typeof run.startedAt !== 'string' || Number.isNaN(Date.parse(run.startedAt))) fail(file, `start time is not a date: ${JSON.stringify(run.startedAt)}`, 'startedAt');
  if (run.durationSec !== undefined && !(Number.isFinite(run.durationSec) && run.durationSec >= 0)) {
    fail(file, `run duration must be a finite number of seconds ≥ 0, got ${run.durationSec}`, 'durationSec');
  }
  run.series.forEach((s, i) => checkSeries(file, s, `series[${i}]`));
  return run;
}

function checkSeries(file: string, s: Series, at: string): void {
  const name = `series "${s.id}"`;
  const unit = CANONICAL_UNIT[s.metric];
  if (unit === undefined) fail(file, `${name}: unknown metric ${JSON.stringify(s.metric)}`, `${at}.metric`);
  if (s.unit !== unit) fail(file, `${name}: unit ${JSON.stringify(s.unit)} does not fit metric ${s.metric} (expected ${unit})`, `${at}.unit`);
  // Memory values may be deltas (growth can be negative); durations, rates, ratios and counts cannot.
  const signed = s.metric === 'memory';
  const value = (v: number | undefined, field: string, canBeNegative = signed) => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(file, `${name}: ${field} is not a finite number (${String(v)})`, `${at}.${field}`);
    if (!canBeNegative && v < 0) fail(file, `${name}: ${field} is negative (${v} ${s.unit}); a ${s.metric} cannot be`, `${at}.${field}`);
  };
  const sum = s.summary ?? {};
  value(sum.n, 'summary.n', false);
  value(sum.stddev, 'summary.stddev', false);
  value(sum.iqr, 'summary.iqr', false);
  for (const k of ['mean', 'median', 'min', 'max'] as const) value(sum[k], `summary.${k}`);
  for (const [k, v] of Object.entries(sum.percentiles ?? {})) value(v, `summary.percentiles.${k}`);
  s.samples?.forEach((v, j) => value(v, `samples[${j}]`));
  if (s.endpoint) {
    value(s.endpoint.requests, 'endpoint.requests', false);
    value(s.endpoint.failures, 'endpoint.failures', false);
    value(s.endpoint.rps, 'endpoint.rps', false);
    s.endpoint.errors?.forEach((e, j) => value(e.count, `endpoint.errors[${j}].count`, false));
  }
  s.timeline?.forEach((p, j) => {
    value(p.t, `timeline[${j}].t`, true);
    value(p.requests, `timeline[${j}].requests`, false);
    value(p.failures, `timeline[${j}].failures`, false);
    value(p.users, `timeline[${j}].users`, false);
    for (const [k, v] of Object.entries(p.percentiles ?? {})) value(v, `timeline[${j}].percentiles.${k}`, false);
    for (const [k, v] of Object.entries(p.errors ?? {})) value(v, `timeline[${j}].errors.${k}`, false);
  });
  s.memory?.forEach((m, j) => {
    value(m.t, `memory[${j}].t`, true);
    value(m.rss, `memory[${j}].rss`, false);
    value(m.heapUsed, `memory[${j}].heapUsed`, false);
    value(m.cpu, `memory[${j}].cpu`, false);
  });
  // Extras are tool-specific (a Go custom metric may be negative) but must still be finite.
  for (const [k, v] of Object.entries(s.extra ?? {})) if (typeof v === 'number') value(v, `extra.${k}`, true);
}
