// JUnit XML for CI test tabs: one testsuite per suite (or tool), one testcase per series;
// a regression, a breached budget or a failed memory check is a <failure>, a series with no
// verdict yet is <skipped>. Everything else passes with its verdict in <system-out>.
// `time` is the series' measured central value in seconds when it is a duration (a benchmark's
// median per operation, an endpoint's median latency), 0 otherwise (memory, throughput): CI test
// tabs (Jenkins, GitLab, test reporters) keep a per-test duration history, which then becomes the
// benchmark's performance history; the wall time of a whole suite is not per series.
import type { Evaluation, Row } from '../evaluate';
import { detailLines, gateFailures, FAIL_ON, reasonText, rowStatus } from './describe';

/** XML text/attribute escape; characters XML 1.0 forbids are dropped. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Seconds for the `time` attribute (see the header): a duration series' central value, else 0. */
export function caseSeconds(r: Row): number {
  return r.series.unit === 's' && r.current && Number.isFinite(r.current.value) && r.current.value >= 0 ? r.current.value : 0;
}

/** JUnit `time` text: plain decimal (no exponent, which some readers refuse), to the nanosecond. */
function seconds(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '') || '0';
}

function testcase(r: Row): string[] {
  const failures = gateFailures([r], FAIL_ON.filter(f => f !== 'inconclusive'));
  const st = rowStatus(r);
  const classname = xmlEscape(r.suite ?? r.tool);
  const out = [`    <testcase classname="${classname}" name="${xmlEscape(r.id)}" time="${seconds(caseSeconds(r))}">`];
  if (failures.length) {
    const message = failures.map(f => `${f.kind}: ${f.message}`).join('; ');
    out.push(`      <failure type="${xmlEscape(failures.map(f => f.kind).join(','))}" message="${xmlEscape(message)}">${xmlEscape(failures.map(f => `${f.kind}: ${f.message}`).join('\n'))}</failure>`);
  } else if (st === 'new' || st === 'not-compared') {
    out.push(`      <skipped message="${xmlEscape(reasonText(r))}"/>`);
  }
  out.push(`      <system-out>${xmlEscape([reasonText(r), ...detailLines(r)].join('\n'))}</system-out>`, '    </testcase>');
  return out;
}

export function junitReport(ev: Evaluation): string {
  const groups = new Map<string, Row[]>();
  for (const r of ev.rows) groups.set(r.suite ?? r.tool, [...(groups.get(r.suite ?? r.tool) ?? []), r]);
  const failed = (rows: Row[]): number => rows.filter(r => gateFailures([r], ['regression', 'budget', 'leak']).length).length;
  const skipped = (rows: Row[]): number => rows.filter(r => !failed([r]) && ['new', 'not-compared'].includes(rowStatus(r))).length;
  const time = (rows: Row[]): string => seconds(rows.reduce((t, r) => t + caseSeconds(r), 0));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="perf-lens" tests="${ev.rows.length}" failures="${failed(ev.rows)}" skipped="${skipped(ev.rows)}" time="${time(ev.rows)}" timestamp="${xmlEscape(ev.generatedAt)}">`,
  ];
  for (const [name, rows] of groups) {
    lines.push(`  <testsuite name="${xmlEscape(name)}" tests="${rows.length}" failures="${failed(rows)}" skipped="${skipped(rows)}" errors="0" time="${time(rows)}">`);
    lines.push(`    <properties><property name="baselines" value="${xmlEscape(ev.baselineSource)}"/></properties>`);
    for (const r of rows) lines.push(...testcase(r));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
