// Self-contained HTML report: inline CSS and SVG, no script, a CSP that forbids every fetch,
// so it opens offline from a CI artifact and nothing in a result file can run in it.
import { formatDuration, formatValue } from '../../core/format';
import type { Series } from '../../core/model';
import type { Evaluation, Row } from '../evaluate';
import { baselineText, changeText, counts, detailLines, FAIL_ON, failureLine, gateFailures, reasonText, rowStatus, STATUS_LABEL, sureText, valueText } from './describe';
import { esc, lineChart, ratioChart, stripChart, type Line } from './svg';

const MAX_DETAIL_CHARTS = 12;
const MAX_SAMPLE_CHARTS = 8;

const CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--grid:#d1d9e0;--bad:#cf222e;--good:#1a7f37;--warn:#9a6700;--flat:#6e7781;
--s0:#0969da;--s1:#cf222e;--s2:#1a7f37;--s3:#8250df;--s4:#bc4c00;--s5:#6e7781}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--grid:#30363d;--bad:#ff7b72;--good:#3fb950;--warn:#d29922;--flat:#8b949e;
--s0:#58a6ff;--s1:#ff7b72;--s2:#3fb950;--s3:#bc8cff;--s4:#ffa657;--s5:#8b949e}}
body{font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:24px;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--grid);vertical-align:top}
td.num{text-align:right;white-space:nowrap}td.sure{white-space:nowrap;font-size:12px}.reason{color:var(--muted);font-size:12px}
.st-regression{color:var(--bad);font-weight:600}.st-improvement{color:var(--good)}.st-inconclusive,.st-not-compared{color:var(--warn)}
ul.fail li{color:var(--bad)}ul.details{margin:2px 0;padding-left:18px;font-size:12px;color:var(--muted)}
svg.chart{display:block;margin:12px 0;max-width:100%;height:auto}
svg .title{font-weight:600;font-size:13px;fill:var(--fg)}svg .tick,svg .label{font-size:11px;fill:var(--muted)}svg .label{fill:var(--fg)}
svg .grid{stroke:var(--grid);stroke-width:1}svg .axis{stroke:var(--muted);stroke-width:1}svg .mark{stroke:var(--warn);stroke-dasharray:4 3}
svg .line{stroke-width:1.6}svg .ci{stroke:var(--fg);stroke-width:1.5}
svg .dots circle{fill:var(--flat);fill-opacity:.55}svg .dots.regression circle{fill:var(--bad)}svg .dots.improvement circle{fill:var(--good)}svg .dots.inconclusive circle,svg .dots.unchanged circle{fill:var(--s0)}svg .median{stroke:var(--fg);stroke-width:2}
svg .bar rect{fill:var(--flat)}svg .bar.regression rect{fill:var(--bad)}svg .bar.improvement rect{fill:var(--good)}svg .bar.inconclusive rect{fill:var(--warn)}
${[0, 1, 2, 3, 4, 5].map(i => `svg .s${i}{stroke:var(--s${i})}svg rect.s${i}{fill:var(--s${i})}`).join('')}
`;

/** Seconds since the first point; tenths when the whole run is short. */
const clock = (t0: number, t1: number) => (x: number): string => `${t1 - t0 < 10 ? (x - t0).toFixed(1) : Math.round(x - t0)} s`;

function timelineCharts(s: Series): string[] {
  const tl = s.timeline ?? [];
  if (tl.length < 2) return [];
  const t0 = tl[0].t;
  const keys = [...new Set(tl.flatMap(p => Object.keys(p.percentiles ?? {})))].sort((a, b) => parseFloat(a.slice(1)) - parseFloat(b.slice(1)));
  const out: string[] = [];
  if (keys.length) {
    const lines: Line[] = keys.slice(0, 6).map((k, i) => ({ label: k, cls: `s${i}`, points: tl.filter(p => p.percentiles?.[k] !== undefined).map(p => [p.t, p.percentiles![k]] as [number, number]) }));
    out.push(lineChart({ title: `${s.name ?? s.id}: latency over time`, kind: 'latency-timeline', lines, xFormat: clock(t0, tl[tl.length - 1].t), yFormat: formatDuration }));
  }
  const rate: Line[] = [
    { label: 'requests/s', cls: 's0', points: tl.map(p => [p.t, p.requests]) },
    { label: 'failures/s', cls: 's1', points: tl.map(p => [p.t, p.failures]) },
  ];
  if (tl.some(p => p.users !== undefined)) rate.push({ label: 'users', cls: 's3', points: tl.filter(p => p.users !== undefined).map(p => [p.t, p.users!]) });
  out.push(lineChart({ title: `${s.name ?? s.id}: throughput over time`, kind: 'throughput-timeline', lines: rate, xFormat: clock(t0, tl[tl.length - 1].t), yFormat: y => `${+y.toPrecision(3)}` }));
  return out;
}

function memoryCharts(s: Series): string[] {
  const mem = s.memory ?? [];
  if (mem.length < 2) return [];
  const t0 = mem[0].t;
  const lines: Line[] = [{ label: 'RSS', cls: 's0', points: mem.map(p => [p.t, p.rss]) }];
  if (mem.some(p => p.heapUsed !== undefined)) lines.push({ label: 'heap used', cls: 's3', points: mem.filter(p => p.heapUsed !== undefined).map(p => [p.t, p.heapUsed!]) });
  const marks: { x: number; label: string }[] = [];
  if (typeof s.extra?.loadStart === 'number') marks.push({ x: s.extra.loadStart, label: 'load start' });
  if (typeof s.extra?.loadEnd === 'number') marks.push({ x: s.extra.loadEnd, label: 'load end' });
  return [lineChart({ title: `${s.name ?? s.id}: memory over time`, kind: 'memory', lines, marks, xFormat: clock(t0, mem[mem.length - 1].t), yFormat: y => formatValue(y, 'bytes') })];
}

function rowHtml(r: Row): string {
  const st = rowStatus(r);
  const details = detailLines(r);
  return `<tr><td class="st-${st}">${esc(STATUS_LABEL[st])}</td><td>${esc(r.id)}${r.suite ? ` <span class="muted">(${esc(r.suite)})</span>` : ''}` +
    `<div class="reason">${esc(reasonText(r))}</div>${details.length ? `<ul class="details">${details.map(d => `<li>${esc(d)}</li>`).join('')}</ul>` : ''}</td>` +
    `<td class="num">${esc(valueText(r))}</td><td class="num">${esc(baselineText(r))}</td><td class="num">${esc(changeText(r))}</td><td class="sure">${esc(sureText(r))}</td></tr>`;
}

export function htmlReport(ev: Evaluation, title = 'Perf Lens report'): string {
  const c = counts(ev.rows);
  const failures = gateFailures(ev.rows, FAIL_ON.filter(f => f !== 'inconclusive'));
  const bars = ev.rows
    .filter(r => r.verdict?.ratio != null && Number.isFinite(r.verdict.ratio))
    .map(r => ({ label: r.id, ratio: r.verdict!.ratio as number, ci: r.verdict!.ci, cls: rowStatus(r), title: `${r.id}: ${reasonText(r)}` }));
  // Rows come ordered by severity: the sample charts show what needs attention first.
  const sampleCharts = ev.rows
    .filter(r => r.verdict && r.verdict.status !== 'new' && (r.series.samples?.length ?? 0) >= 2 && (r.baseline?.samples?.length ?? 0) >= 2)
    .slice(0, MAX_SAMPLE_CHARTS)
    .map(r => stripChart({ title: `${r.id.length > 72 ? `…${r.id.slice(-71)}` : r.id} (${STATUS_LABEL[rowStatus(r)]})`, baseline: r.baseline!.samples!, current: r.series.samples!, cls: rowStatus(r), format: v => formatValue(v, r.series.unit) }))
    .filter(Boolean);
  const detailCharts = ev.rows.flatMap(r => [...timelineCharts(r.series), ...memoryCharts(r.series)]).slice(0, MAX_DETAIL_CHARTS);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">${esc(`${ev.rows.length} series · ${c.regression} regression(s) · ${c.improvement} improvement(s) · ${c.unchanged} unchanged · ${c.inconclusive} inconclusive · ${c.new} new · baselines from ${ev.baselineSource} · ${ev.generatedAt}`)}</p>
${failures.length ? `<h2>Gate failures</h2><ul class="fail">${failures.map(f => `<li>${esc(failureLine(f))}</li>`).join('')}</ul>` : '<p>No regressions, budget breaches or memory failures.</p>'}
${bars.length ? `<h2>Change vs baseline</h2>${ratioChart(bars, 'current / baseline (bar) with confidence interval (whisker)')}` : ''}
${sampleCharts.length ? `<h2>Per-round values, now vs baseline</h2>${sampleCharts.join('\n')}` : ''}
<h2>Verdicts</h2>
${ev.rows.length ? `<table><thead><tr><th>Status</th><th>Series and verdict</th><th>Now</th><th>Baseline</th><th>Change</th><th>How sure</th></tr></thead><tbody>${ev.rows.map(rowHtml).join('')}</tbody></table>` : '<p>No results yet.</p>'}
${ev.missing.length ? `<p>Missing from this run: ${ev.missing.map(esc).join(', ')}</p>` : ''}
${detailCharts.length ? `<h2>Load and memory</h2>${detailCharts.join('\n')}` : ''}
</body></html>
`;
}
