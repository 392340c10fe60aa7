// Lens titles, tooltips and hover tables from a lens item. Kept apart from the provider so
// the wording is one place and the provider stays a thin adapter.
import { centralAndSpread, formatDuration, formatValue } from '../core/format';
import { lowerIsBetter } from '../core/model';
import { verdictCompact, verdictMethod, type Verdict } from '../core/verdict';
import type { LensItem } from '../workspace/lensModel';
import type { SeriesState } from '../workspace/resultsStore';

const RANK: Record<string, number> = { regression: 5, inconclusive: 3, missing: 2, improvement: 1, unchanged: 0, new: 0 };

/** The state to headline (and to open in the panel): the most alarming verdict first. */
export function worst(states: readonly SeriesState[]): SeriesState | undefined {
  return [...states].sort((a, b) => (RANK[b.verdict?.status ?? 'new'] ?? 0) - (RANK[a.verdict?.status ?? 'new'] ?? 0))[0];
}

function budgetText(states: readonly SeriesState[]): string {
  const failed = states.flatMap(s => s.budgets.filter(b => !b.ok));
  if (failed.length) return ` · budget ✗ ${[...new Set(failed.map(b => b.budget))].join(', ')}`;
  return states.some(s => s.budgets.length) ? ' · budget ✓' : '';
}

/** "▲ +35% regression (95% CI +28…+41%, p<0.01)": the change, its interval and test, on one line. */
export function verdictLine(v: Verdict, metric: SeriesState['series']['metric']): string {
  if (v.status === 'new' || v.status === 'missing' || v.ratio === null) return verdictCompact(v);
  const arrow = v.status === 'unchanged' ? '≈' : v.ratio > 1 ? '▲' : '▼';
  const better = !lowerIsBetter(metric) && (v.status === 'regression' || v.status === 'improvement') ? ' (higher is better)' : '';
  return `${arrow} ${verdictCompact(v)}${better}`;
}

function comparison(s: SeriesState): string {
  if (s.baseline && !s.baseline.sameMachineClass) return 'baseline from another machine — not compared';
  return s.verdict ? verdictLine(s.verdict, s.series.metric) : '';
}

/** Parser notes that say the numbers themselves are approximate (e.g. Locust's rounding before percentiles). */
const APPROXIMATE = /approximat/i;

/** The numbers come from an approximate source: tagged here, the notes spelled out in tooltip and hover. */
function approx(states: readonly SeriesState[]): string {
  return states.some(s => s.series.notes?.some(n => APPROXIMATE.test(n))) ? ' · approx.' : '';
}

function noteLabel(note: string): string {
  return APPROXIMATE.test(note) ? 'Approximate' : 'Note';
}

/** An item whose comparison more rounds could decide (the "Keep sampling" action). */
export function undecided(states: readonly SeriesState[]): SeriesState | undefined {
  return states.find(s => s.verdict?.status === 'inconclusive' && s.baseline?.sameMachineClass && (s.series.samples?.length ?? 0) >= 2 && s.verdict.ratio !== null);
}

function endpointTitle(s: SeriesState): string {
  const e = s.series.endpoint;
  const p = s.series.summary.percentiles ?? {};
  const parts = [`${e?.method ?? ''} ${e?.route ?? s.id}`.trim()];
  for (const k of ['p50', 'p95', 'p99']) if (p[k] !== undefined) parts.push(`${k} ${formatDuration(p[k])}`);
  if (e?.rps !== undefined) parts.push(formatValue(e.rps, '1/s'));
  if (e && e.requests > 0) parts.push(`${((100 * e.failures) / e.requests).toFixed(e.failures ? 1 : 0)}% errors`);
  const cmp = comparison(s);
  return parts.join(' · ') + approx([s]) + budgetText([s]) + (cmp ? ` · ${cmp}` : '');
}

function valueTitle(s: SeriesState): string {
  const c = centralAndSpread(s.series);
  const value = c ? `${formatValue(c.value, s.series.unit)}${c.spread ? ` ±${formatValue(c.spread, s.series.unit)}` : ''}` : 'no central value';
  const p95 = s.series.summary.percentiles?.p95;
  const cmp = comparison(s);
  return [value, p95 !== undefined ? `p95 ${formatValue(p95, s.series.unit)}` : '', cmp].filter(Boolean).join(' · ') + approx([s]) + budgetText([s]);
}

/** The one-line title of an item with results. */
export function lensTitle(item: LensItem): string {
  const states = item.states;
  if (item.finding.kind === 'endpoint') {
    const s = worst(states) as SeriesState;
    return `$(pulse) ${endpointTitle(s)}${states.length > 1 ? ` (+${states.length - 1} more)` : ''}`;
  }
  if (states.length === 1) return `$(watch) ${valueTitle(states[0])}`;
  const values = states.map(s => centralAndSpread(s.series)?.value).filter((v): v is number => v !== undefined);
  const unit = states[0].series.unit;
  const range = values.length ? `${formatValue(Math.min(...values), unit)} – ${formatValue(Math.max(...values), unit)}` : '';
  const w = worst(states) as SeriesState;
  const verdict = w.verdict && w.verdict.ratio !== null ? ` · worst ${w.id.slice(w.id.lastIndexOf('['))} ${verdictCompact(w.verdict)}` : '';
  return `$(watch) ${states.length} cases · ${range}${verdict}${approx(states)}${budgetText(states)}`;
}

export function lensTooltip(item: LensItem): string {
  const lines = item.states.flatMap(s => [
    `${s.id}: ${s.verdict?.reason ?? 'no comparison'} — run ${s.run.id}${s.run.commit ? ` @ ${s.run.commit.slice(0, 8)}` : ''}`,
    ...(s.series.notes ?? []).map(n => `  ${noteLabel(n).toLowerCase()}: ${n}`),
  ]);
  if (item.ambiguous.length) lines.push(`Also matches other definitions equally well (not shown here): ${item.ambiguous.join(', ')}`);
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/[|\\`*_[\]<>]/g, c => `\\${c}`);
}

/** Markdown table of the last runs of each result of the item (newest first). */
export function hoverMarkdown(item: LensItem): string {
  const out: string[] = [];
  for (const s of item.states) {
    out.push(`**${cell(s.id)}** — ${cell(comparison(s) || 'no comparison')}`, '');
    if (s.verdict) {
      const method = verdictMethod(s.verdict);
      if (method) out.push(`How sure: ${cell(method)}`, '');
      out.push(cell(s.verdict.reason), '');
      if (s.verdict.status === 'inconclusive') {
        out.push(s.verdict.moreRounds !== undefined
          ? `_About ${s.verdict.moreRounds} more round${s.verdict.moreRounds === 1 ? '' : 's'} would decide: use "Keep sampling" on the lens._`
          : '_More rounds of this run alone are unlikely to decide it._', '');
      }
    }
    out.push('| run | commit | value | verdict |', '|---|---|---:|---|');
    for (const p of s.recent) {
      out.push(`| ${cell(new Date(p.run.startedAt).toLocaleString())} | ${cell(p.run.commit?.slice(0, 8) ?? '—')} | ${cell(formatValue(p.value, s.series.unit))} | ${cell(p.verdict ?? '')} |`);
    }
    for (const note of s.series.notes ?? []) out.push('', `_${noteLabel(note)}: ${cell(note)}_`);
    out.push('');
  }
  return out.join('\n');
}
