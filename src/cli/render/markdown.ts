// Markdown for a pull-request comment. GitHub renders inline HTML in comments, so every
// string from results is entity-escaped, and table cells lose their pipes and newlines.
import type { Evaluation } from '../evaluate';
import { baselineText, changeText, counts, detailLines, gateFailures, FAIL_ON, reasonText, rowStatus, STATUS_LABEL, sureText, valueText } from './describe';

export function mdEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/([\\`*_[\]#])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

const ICON: Record<string, string> = {
  regression: '🔴', improvement: '🟢', unchanged: '⚪', inconclusive: '🟡', new: '🆕', missing: '❔', 'not-compared': '⚠️',
};

const MAX_ROWS = 120;

export function markdownReport(ev: Evaluation, title = 'Perf Lens report'): string {
  const c = counts(ev.rows);
  const failures = gateFailures(ev.rows, FAIL_ON.filter(f => f !== 'inconclusive'));
  const lines = [
    `## ${mdEscape(title)}`,
    '',
    `${failures.length ? `**${failures.length} gate failure(s)**` : '**No regressions, budget breaches or leaks**'} · ` +
      `${ev.rows.length} series · ${c.regression} regression(s) · ${c.improvement} improvement(s) · ${c.unchanged} unchanged · ${c.inconclusive} inconclusive · ${c.new} new` +
      ` · baselines from ${mdEscape(ev.baselineSource)}`,
    '',
  ];
  if (failures.length) {
    for (const f of failures.slice(0, MAX_ROWS)) lines.push(`- **${f.kind}** \`${f.id.replace(/`/g, "'")}\`: ${mdEscape(f.message)}`);
    if (failures.length > MAX_ROWS) lines.push(`- …and ${failures.length - MAX_ROWS} more: see the HTML report`);
    lines.push('');
  }
  // GitHub refuses comments over 65,536 characters: long tables keep what needs attention (rows
  // come ordered by severity) and point at the HTML report for the rest.
  const shown = ev.rows.slice(0, MAX_ROWS);
  if (ev.rows.length) {
    lines.push('| | Series | Now | Baseline | Change | How sure | Verdict |', '|---|---|---:|---:|---:|---|---|');
    for (const r of shown) {
      const st = rowStatus(r);
      lines.push(`| ${ICON[st]} ${STATUS_LABEL[st]} | ${mdEscape(r.id)} | ${mdEscape(valueText(r))} | ${mdEscape(baselineText(r))} | ${mdEscape(changeText(r))} | ${mdEscape(sureText(r))} | ${mdEscape(reasonText(r))} |`);
    }
    if (ev.rows.length > shown.length) lines.push('', `…and ${ev.rows.length - shown.length} more series, listed last because they need the least attention: see the HTML report.`);
    lines.push('');
  }
  for (const id of ev.missing) lines.push(`- missing from this run: ${mdEscape(id)}`);
  const details = shown.map(r => ({ r, d: detailLines(r) })).filter(x => x.d.length);
  if (details.length) {
    lines.push('<details><summary>Tests, budgets, memory checks and approximations</summary>', '');
    for (const { r, d } of details) {
      lines.push(`- ${mdEscape(r.id)}`);
      for (const x of d) lines.push(`  - ${mdEscape(x)}`);
    }
    lines.push('', '</details>', '');
  }
  lines.push(`<sub>Perf Lens · ${mdEscape(ev.generatedAt)}</sub>`, '');
  return lines.join('\n');
}
