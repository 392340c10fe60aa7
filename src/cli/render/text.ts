// The verdict table on a terminal or in a CI log: aligned columns, details indented below.
import type { Evaluation } from '../evaluate';
import { baselineText, changeText, countsLine, detailLines, reasonText, rowStatus, STATUS_LABEL, sureText, valueText } from './describe';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function textTable(ev: Evaluation): string[] {
  if (!ev.rows.length) return ['No results yet: run a suite (perf-lens run) or ingest a result file (perf-lens ingest FILE).'];
  const cols = ev.rows.map(r => [STATUS_LABEL[rowStatus(r)], r.id, valueText(r), baselineText(r), changeText(r), sureText(r)]);
  const head = ['STATUS', 'SERIES', 'NOW', 'BASELINE', 'CHANGE', 'HOW SURE'];
  const widths = head.map((h, i) => Math.min(i === 1 ? 60 : i === 5 ? 40 : 20, Math.max(h.length, ...cols.map(c => c[i].length))));
  const line = (c: string[]): string => c.map((x, i) => pad(x, widths[i])).join('  ').trimEnd();
  const out = [`Baselines: ${ev.baselineSource}`, line(head)];
  ev.rows.forEach((r, i) => {
    out.push(line(cols[i]));
    out.push(`    ${reasonText(r)}`);
    for (const d of detailLines(r)) out.push(`    ${d}`);
  });
  for (const id of ev.missing) out.push(`missing  ${id}: in the baseline run but not in this one`);
  out.push(countsLine(ev.rows));
  return out;
}
