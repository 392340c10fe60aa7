// Lens titles, tooltips and hover tables from a lens item. Kept apart from the provider so
// the wording is one place and the provider stays a thin adapter.
import type { BudgetResult } from '../core/budget';
import { centralAndSpread, formatDuration, formatValue } from '../core/format';
import { lowerIsBetter, type Series } from '../core/model';
import { mean, median, min, quantile } from '../core/stats/descriptive';
import { shortPct, verdictCompact, verdictMethod, type Verdict } from '../core/verdict';
import type { LensItem } from '../workspace/lensModel';
import type { SeriesState } from '../workspace/resultsStore';

/** Which number a benchmark lens shows (perfLens.codeLens.statistic); auto = median ± IQR/2, else what the tool gave. */
export type LensStatistic = 'auto' | 'median' | 'mean' | 'min' | 'p95';
export const LENS_STATISTICS: readonly LensStatistic[] = ['auto', 'median', 'mean', 'min', 'p95'];

/** Personal display settings the lens text and hover follow (resource-scoped settings). */
export interface LensDisplay {
  statistic: LensStatistic;
  /** Show the practical threshold and budget limits next to the verdict (perfLens.codeLens.showThresholds). */
  thresholds: boolean;
  /** The project's practical threshold as a fraction (verdict.threshold in perf-lens.config.json). */
  threshold?: number;
  /**
   * perfLens.codeLens.layout "compact", for narrow editors: the title keeps the headline figure
   * and the change; the interval, the other percentiles and a passed budget stay in tooltip and hover.
   */
  compact?: boolean;
}

export const DEFAULT_DISPLAY: LensDisplay = { statistic: 'auto', thresholds: false, compact: false };

/** The chosen statistic of a series: from the tool's summary, else computed from its samples; undefined when neither has it. */
export function statisticValue(s: Pick<Series, 'samples' | 'summary'>, stat: Exclude<LensStatistic, 'auto'>): number | undefined {
  const fromSummary = stat === 'p95' ? s.summary.percentiles?.p95 : s.summary[stat];
  if (fromSummary !== undefined) return fromSummary;
  const xs = s.samples;
  if (!xs?.length) return undefined;
  switch (stat) {
    case 'median':
      return median(xs);
    case 'mean':
      return mean(xs);
    case 'min':
      return min(xs);
    case 'p95':
      return quantile(xs, 0.95);
  }
}

/** The number a lens shows for a series and how it is labelled; spread only for the central statistics. */
function shown(s: Pick<Series, 'samples' | 'summary'>, stat: LensStatistic): { value: number; spread?: number; label: string } | undefined {
  const c = centralAndSpread(s);
  if (stat === 'auto') return c;
  const value = statisticValue(s, stat);
  if (value === undefined) return c && { ...c, label: `${c.label} (no ${stat} recorded)` };
  const spread = stat === 'median' ? (s.summary.iqr !== undefined ? s.summary.iqr / 2 : s.summary.stddev) : stat === 'mean' ? s.summary.stddev : undefined;
  return { value, spread, label: stat };
}

const RANK: Record<string, number> = { regression: 5, inconclusive: 3, missing: 2, improvement: 1, unchanged: 0, new: 0 };

/** The state to headline (and to open in the panel): the most alarming verdict first. */
export function worst(states: readonly SeriesState[]): SeriesState | undefined {
  return [...states].sort((a, b) => (RANK[b.verdict?.status ?? 'new'] ?? 0) - (RANK[a.verdict?.status ?? 'new'] ?? 0))[0];
}

/** "p95 ≤ 200 ms", "errorRate ≤ 1%", "minRps ≥ 50/s": a budget's limit in the series' units. */
export function budgetLimit(b: Pick<BudgetResult, 'budget' | 'limit'>): string {
  switch (b.budget) {
    case 'errorRate':
      return `errorRate ≤ ${formatValue(b.limit, 'ratio')}`;
    case 'minRps':
      return `minRps ≥ ${formatValue(b.limit, '1/s')}`;
    case 'maxRss':
      return `maxRss ≤ ${formatValue(b.limit, 'bytes')}`;
    default:
      return `${b.budget} ≤ ${formatDuration(b.limit)}`;
  }
}

function budgetText(states: readonly SeriesState[], display: LensDisplay): string {
  const all = states.flatMap(s => s.budgets);
  const limits = (bs: BudgetResult[]) => (display.thresholds ? ` (${[...new Set(bs.map(budgetLimit))].join(', ')})` : '');
  const failed = all.filter(b => !b.ok);
  if (failed.length) return ` · budget ✗ ${[...new Set(failed.map(b => b.budget))].join(', ')}${limits(failed)}`;
  return all.length ? ` · budget ✓${limits(all)}` : '';
}

/** " · threshold ±5%" when thresholds are shown and the item was compared. */
function thresholdText(states: readonly SeriesState[], display: LensDisplay): string {
  if (!display.thresholds || display.threshold === undefined || !states.some(s => s.verdict && s.verdict.ratio !== null)) return '';
  return ` · threshold ±${+(display.threshold * 100).toFixed(1)}%`;
}

/** "▲ +35% regression (95% CI +28…+41%, p<0.01)": the change, its interval and test, on one line. */
export function verdictLine(v: Verdict, metric: SeriesState['series']['metric']): string {
  if (v.status === 'new' || v.status === 'missing' || v.ratio === null) return verdictCompact(v);
  const arrow = v.status === 'unchanged' ? '≈' : v.ratio > 1 ? '▲' : '▼';
  const better = !lowerIsBetter(metric) && (v.status === 'regression' || v.status === 'improvement') ? ' (higher is better)' : '';
  return `${arrow} ${verdictCompact(v)}${better}`;
}

/** "▲ +35% regression": the change and the verdict, without the interval (compact lenses). */
function verdictShort(v: Verdict): string {
  if (v.status === 'new') return 'new';
  if (v.ratio === null || v.status === 'missing') return v.status;
  const arrow = v.status === 'unchanged' ? '≈' : v.ratio > 1 ? '▲' : '▼';
  return `${arrow} ${shortPct(v.ratio)} ${v.status}`;
}

function comparison(s: SeriesState, compact = false): string {
  if (s.baseline && !s.baseline.sameMachineClass) return compact ? 'not compared (other machine)' : 'baseline from another machine — not compared';
  if (!s.verdict) return '';
  return compact ? verdictShort(s.verdict) : verdictLine(s.verdict, s.series.metric);
}

/** Compact: only a failed budget is worth the room ("budget ✗ p95"). */
function failedBudgetText(states: readonly SeriesState[]): string {
  const failed = states.flatMap(s => s.budgets).filter(b => !b.ok);
  return failed.length ? ` · budget ✗ ${[...new Set(failed.map(b => b.budget))].join(', ')}` : '';
}

/** The compact title's figure for a handler: its p95 (else p50, else throughput). */
function endpointFigure(s: SeriesState): string {
  const p = s.series.summary.percentiles ?? {};
  if (p.p95 !== undefined) return `p95 ${formatDuration(p.p95)}`;
  if (p.p50 !== undefined) return `p50 ${formatDuration(p.p50)}`;
  const rps = s.series.endpoint?.rps;
  return rps !== undefined ? formatValue(rps, '1/s') : 'no timing';
}

/** "min " when the user chose a statistic; nothing for auto (the label is then the central value's own). */
function statLabel(display: LensDisplay): string {
  return display.statistic === 'auto' ? '' : `${display.statistic} `;
}

/** Parametrized cases: "min 301 ns – 32.7 µs", the range of the chosen statistic ('' when none has it). */
function casesRange(states: readonly SeriesState[], display: LensDisplay): string {
  const values = states.map(s => shown(s.series, display.statistic)?.value).filter((v): v is number => v !== undefined);
  const unit = states[0].series.unit;
  return values.length ? `${statLabel(display)}${formatValue(Math.min(...values), unit)} – ${formatValue(Math.max(...values), unit)}` : '';
}

function compactTitle(item: LensItem, display: LensDisplay): string {
  const states = item.states;
  const w = worst(states) as SeriesState;
  const tail = (s: readonly SeriesState[], cmp: string) => (cmp ? ` · ${cmp}` : '') + approx(s) + failedBudgetText(s);
  if (item.finding.kind === 'endpoint') {
    return `$(pulse) ${endpointFigure(w)}${tail([w], comparison(w, true))}${states.length > 1 ? ` (+${states.length - 1} more)` : ''}`;
  }
  if (states.length === 1) {
    const c = shown(w.series, display.statistic);
    return `$(watch) ${c ? `${statLabel(display)}${formatValue(c.value, w.series.unit)}` : 'no central value'}${tail(states, comparison(w, true))}`;
  }
  const range = casesRange(states, display);
  const cmp = w.verdict && w.verdict.ratio !== null ? `worst ${verdictShort(w.verdict)}` : '';
  return `$(watch) ${states.length} cases${range ? ` · ${range}` : ''}${tail(states, cmp)}`;
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

function endpointTitle(s: SeriesState, display: LensDisplay): string {
  const e = s.series.endpoint;
  const p = s.series.summary.percentiles ?? {};
  const parts = [`${e?.method ?? ''} ${e?.route ?? s.id}`.trim()];
  for (const k of ['p50', 'p95', 'p99']) if (p[k] !== undefined) parts.push(`${k} ${formatDuration(p[k])}`);
  if (e?.rps !== undefined) parts.push(formatValue(e.rps, '1/s'));
  if (e && e.requests > 0) parts.push(`${((100 * e.failures) / e.requests).toFixed(e.failures ? 1 : 0)}% errors`);
  const cmp = comparison(s);
  return parts.join(' · ') + approx([s]) + budgetText([s], display) + (cmp ? ` · ${cmp}` : '') + thresholdText([s], display);
}

function valueTitle(s: SeriesState, display: LensDisplay): string {
  const c = shown(s.series, display.statistic);
  const label = display.statistic === 'auto' ? '' : `${c?.label ?? display.statistic} `;
  const value = c ? `${label}${formatValue(c.value, s.series.unit)}${c.spread ? ` ±${formatValue(c.spread, s.series.unit)}` : ''}` : 'no central value';
  const p95 = display.statistic === 'p95' ? undefined : s.series.summary.percentiles?.p95;
  const cmp = comparison(s);
  return [value, p95 !== undefined ? `p95 ${formatValue(p95, s.series.unit)}` : '', cmp].filter(Boolean).join(' · ') + thresholdText([s], display) + approx([s]) + budgetText([s], display);
}

/** The one-line title of an item with results, in the statistic and with the thresholds the user chose. */
export function lensTitle(item: LensItem, display: LensDisplay = DEFAULT_DISPLAY): string {
  if (display.compact) return compactTitle(item, display);
  const states = item.states;
  if (item.finding.kind === 'endpoint') {
    const s = worst(states) as SeriesState;
    return `$(pulse) ${endpointTitle(s, display)}${states.length > 1 ? ` (+${states.length - 1} more)` : ''}`;
  }
  if (states.length === 1) return `$(watch) ${valueTitle(states[0], display)}`;
  const range = casesRange(states, display);
  const w = worst(states) as SeriesState;
  const verdict = w.verdict && w.verdict.ratio !== null ? ` · worst ${w.id.slice(w.id.lastIndexOf('['))} ${verdictCompact(w.verdict)}` : '';
  return `$(watch) ${states.length} cases · ${range}${verdict}${thresholdText(states, display)}${approx(states)}${budgetText(states, display)}`;
}

/** The same lens line while a suite runs for the item: its icon becomes a spinner, the rest stays. */
export function runningTitle(title: string): string {
  return `$(sync~spin) running… · ${title.replace(/^\$\([^)]*\)\s*/, '')}`;
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

/** "**min 1.02 µs** · median 1.10 µs · mean 1.12 µs · p95 1.30 µs": every statistic known, the lens's in bold. */
function statisticsLine(s: SeriesState, display: LensDisplay): string {
  const picked = display.statistic === 'auto' ? centralAndSpread(s.series)?.label : display.statistic;
  const parts = (['min', 'median', 'mean', 'p95'] as const).flatMap(stat => {
    const v = statisticValue(s.series, stat);
    if (v === undefined) return [];
    const text = `${stat} ${formatValue(v, s.series.unit)}`;
    return [stat === picked ? `**${cell(text)}**` : cell(text)];
  });
  return parts.join(' · ');
}

/** Markdown table of the last runs of each result of the item (newest first). */
export function hoverMarkdown(item: LensItem, display: LensDisplay = DEFAULT_DISPLAY): string {
  const out: string[] = [];
  for (const s of item.states) {
    out.push(`**${cell(s.id)}** — ${cell(comparison(s) || 'no comparison')}`, '');
    const stats = item.finding.kind === 'endpoint' ? '' : statisticsLine(s, display);
    if (stats) out.push(stats, '');
    if (display.thresholds) {
      const limits = [
        ...(display.threshold !== undefined ? [`threshold ±${+(display.threshold * 100).toFixed(1)}% (verdict.threshold)`] : []),
        ...s.budgets.map(b => `${budgetLimit(b)} ${b.ok ? '✓' : '✗'}`),
      ];
      if (limits.length) out.push(`Limits: ${cell(limits.join(' · '))}`, '');
    }
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
