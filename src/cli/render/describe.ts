// Words and numbers every report format shares, so the terminal, the PR comment, the HTML
// report and JUnit say the same thing about the same row.
import { formatRatioChange, formatValue } from '../../core/format';
import { ciText, shortP, verdictMethod } from '../../core/verdict';
import type { Row } from '../evaluate';

export type RowStatus = 'regression' | 'improvement' | 'unchanged' | 'inconclusive' | 'new' | 'missing' | 'not-compared';

export function rowStatus(r: Row): RowStatus {
  return r.verdict?.status ?? 'not-compared';
}

export const STATUS_LABEL: Record<RowStatus, string> = {
  regression: 'REGRESSION',
  improvement: 'improvement',
  unchanged: 'unchanged',
  inconclusive: 'inconclusive',
  new: 'new',
  missing: 'missing',
  'not-compared': 'not compared',
};

export function valueText(r: Row): string {
  return r.current ? formatValue(r.current.value, r.series.unit) : '—';
}

export function baselineText(r: Row): string {
  return r.baseline?.value !== undefined ? formatValue(r.baseline.value, r.series.unit) : '—';
}

export function changeText(r: Row): string {
  return r.verdict?.ratio != null ? formatRatioChange(r.verdict.ratio) : '—';
}

/** "95% CI +28…+41%, p<0.01": how sure, for a table column; "—" without an interval or test. */
export function sureText(r: Row): string {
  const v = r.verdict;
  if (!v) return '—';
  const parts = [ciText(v), v.pValue !== undefined ? shortP(v.pValue) : '', v.test === 'threshold' ? 'threshold only' : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : '—';
}

/** The test behind the verdict in words ("Mann–Whitney on 30/30 rounds, …"), or "". */
export function methodText(r: Row): string {
  return r.verdict ? verdictMethod(r.verdict) : '';
}

/** The verdict's one-line reason (it carries the CI and p-value), or why there is none. */
export function reasonText(r: Row): string {
  if (r.verdict) return r.verdict.reason;
  return r.baseline?.warning ?? 'no verdict';
}

/** Extra lines under a row: approximations, budgets, leak check, baseline caveats. */
export function detailLines(r: Row): string[] {
  const out: string[] = [];
  for (const b of r.budgets) out.push(`budget ${b.ok ? 'ok' : 'FAILED'}: ${b.message}`);
  if (r.leak) out.push(`memory ${r.leak.ok ? 'ok' : 'FAILED'} (${r.leak.status}): ${r.leak.reason}`);
  if (r.verdict && r.baseline?.differences?.length) out.push(`baseline measured with ${r.baseline.differences.join(', ')}`);
  const method = methodText(r);
  if (method) out.push(`test: ${method}`);
  for (const n of r.series.notes ?? []) if (n !== r.leak?.reason) out.push(`approximation: ${n}`);
  if (r.verdict?.method === 'summary') out.push('approximation: the verdict rests on summaries, not per-round samples');
  return out;
}

export interface GateFailure {
  kind: FailOn;
  id: string;
  message: string;
}

export const FAIL_ON = ['regression', 'budget', 'leak', 'inconclusive'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** One failure per (row, reason) the gate is configured to fail on. */
export function gateFailures(rows: readonly Row[], failOn: readonly FailOn[]): GateFailure[] {
  const on = new Set(failOn);
  const out: GateFailure[] = [];
  for (const r of rows) {
    const st = rowStatus(r);
    if (on.has('regression') && st === 'regression') out.push({ kind: 'regression', id: r.id, message: `${valueText(r)} vs baseline ${baselineText(r)} — ${reasonText(r)}` });
    if (on.has('budget')) for (const b of r.budgets.filter(x => !x.ok)) out.push({ kind: 'budget', id: r.id, message: b.message });
    if (on.has('leak') && r.leak && !r.leak.ok) out.push({ kind: 'leak', id: r.id, message: r.leak.reason });
    if (on.has('inconclusive') && (st === 'inconclusive' || st === 'not-compared')) out.push({ kind: 'inconclusive', id: r.id, message: reasonText(r) });
  }
  return out;
}

export function failureLine(f: GateFailure): string {
  return `FAIL ${f.kind}: ${f.id}: ${f.message}`;
}

export function counts(rows: readonly Row[]): Record<RowStatus, number> & { budgetFailures: number; leaks: number } {
  const c = { regression: 0, improvement: 0, unchanged: 0, inconclusive: 0, new: 0, missing: 0, 'not-compared': 0, budgetFailures: 0, leaks: 0 };
  for (const r of rows) {
    c[rowStatus(r)]++;
    if (r.budgets.some(b => !b.ok)) c.budgetFailures++;
    if (r.leak && !r.leak.ok) c.leaks++;
  }
  return c;
}

export function countsLine(rows: readonly Row[]): string {
  const c = counts(rows);
  const parts = [`${rows.length} series`, `${c.regression} regression(s)`, `${c.improvement} improvement(s)`, `${c.unchanged} unchanged`, `${c.inconclusive} inconclusive`, `${c.new} new`];
  if (c['not-compared']) parts.push(`${c['not-compared']} not compared (baseline from another machine)`);
  parts.push(`${c.budgetFailures} budget failure(s)`, `${c.leaks} memory failure(s)`);
  return parts.join(', ');
}
