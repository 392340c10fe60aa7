// Machine-readable report: the evaluation without raw samples or timelines (they stay in
// .perf/history), plus the gate's failures under the default rules.
import type { Evaluation } from '../evaluate';
import { counts, FAIL_ON, gateFailures, methodText, rowStatus } from './describe';

export const REPORT_FORMAT = 'perf-lens-report';
export const REPORT_VERSION = 1;

export function jsonReport(ev: Evaluation): string {
  const doc = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    generatedAt: ev.generatedAt,
    baselineSource: ev.baselineSource,
    summary: counts(ev.rows),
    failures: gateFailures(ev.rows, FAIL_ON.filter(f => f !== 'inconclusive')),
    missing: ev.missing,
    series: ev.rows.map(r => ({
      id: r.id,
      name: r.name,
      suite: r.suite,
      tool: r.tool,
      runId: r.runId,
      startedAt: r.startedAt,
      commit: r.commit,
      metric: r.series.metric,
      unit: r.series.unit,
      status: rowStatus(r),
      current: r.current,
      baseline: r.baseline && { ...r.baseline, samples: undefined },
      verdict: r.verdict,
      /** The test behind the verdict in words (additive in version 1). */
      method: methodText(r) || undefined,
      budgets: r.budgets,
      leak: r.leak,
      notes: r.series.notes ?? [],
      summary: r.series.summary,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
