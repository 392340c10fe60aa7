// All benchmarks of one run with their verdicts: sortable, filterable; a row opens its history.
// Narrow enough for a side panel (~500 px): five short columns, and the long texts (the test
// behind a verdict, its interval, the approximations of a source) on hover of their cell.
import type { BenchmarkRow, BenchmarksView } from '../../../src/shared/protocol';
import { el, fmtNumber, fmtUnit } from '../dom';
import { dataTable } from '../table';
import { runLabel, viewFrame, type Rendered } from './common';

const ORDER: Record<string, number> = { regression: 0, inconclusive: 1, missing: 2, new: 3, improvement: 4, unchanged: 5 };

/** 1.352 → "+35%", 0.97 → "−3.0%". */
function change(ratio: number): string {
  const v = (ratio - 1) * 100;
  const t = Math.abs(v) >= 10 ? Math.abs(v).toFixed(0) : Math.abs(v).toFixed(1);
  return t === '0.0' ? '0.0%' : `${v > 0 ? '+' : '−'}${t}%`;
}

/** "±10%": the spread relative to the value, short enough for a narrow column. */
function relSpread(r: BenchmarkRow): string {
  if (r.spread === undefined) return '';
  if (!r.value) return ` ±${fmtUnit(r.spread, r.unit)}`;
  const pct = Math.abs(r.spread / r.value) * 100;
  return ` ±${pct >= 9.95 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

function moreRoundsText(r: BenchmarkRow): string | undefined {
  return r.moreRounds === undefined ? undefined : `about ${r.moreRounds} more round${r.moreRounds === 1 ? '' : 's'} would decide`;
}

/**
 * The sureness in a few characters: the p-value when there is one ("p<0.01"), else the interval's
 * level ("95% CI"), else "threshold". The full text is the cell's hover.
 */
export function compactSure(sure: string | undefined): string {
  if (!sure) return '–';
  const p = /p[<=]\s?[\d.]+/.exec(sure)?.[0];
  if (p) return p.replace(/\s/g, '');
  if (/threshold/.test(sure)) return 'threshold';
  const ci = /\d+% CI/.exec(sure)?.[0];
  return ci ? `${/approx/.test(sure) ? '≈' : ''}${ci}` : sure.slice(0, 12);
}

function lines(...parts: (string | undefined | false)[]): string | undefined {
  const t = parts.filter((p): p is string => !!p).join('\n');
  return t || undefined;
}

function valueTip(r: BenchmarkRow): string | undefined {
  const spread = r.spread === undefined ? undefined : `spread ${fmtUnit(r.spread, r.unit)} (${r.spreadKind === 'iqr' ? 'interquartile range' : 'standard deviation'})`;
  return lines(r.n !== undefined && `n = ${fmtNumber(r.n)} rounds`, spread, ...(r.approximations?.length ? ['Approximate:', ...r.approximations] : []));
}

export function renderBenchmarks(v: BenchmarksView, openHistory: (seriesId: string) => void): Rendered {
  const root = viewFrame('benchmarks', `Benchmarks · ${runLabel(v.run)}`, v.run, []);
  const counts = new Map<string, number>();
  for (const r of v.rows) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  root.append(el('p', `${v.rows.length} benchmark(s) compared with ${v.comparedWith}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}. Hover a cell for details; click a row for its history.`, 'muted'));
  root.append(
    dataTable<BenchmarkRow>({
      filterPlaceholder: 'Filter benchmarks',
      className: 'compact',
      rows: [...v.rows].sort((a, b) => (ORDER[a.verdict] ?? 9) - (ORDER[b.verdict] ?? 9) || a.name.localeCompare(b.name)),
      onRowClick: r => openHistory(r.id),
      // The group and the reason are not columns, but the filter still finds them.
      filterText: r => [r.group ?? '', r.reason, r.sure ?? ''].join(' '),
      columns: [
        { title: 'Benchmark', text: r => r.name, className: () => 'name', tip: r => lines(r.group && `group ${r.group}`, r.id !== r.name && r.id) },
        {
          title: 'Value',
          text: r => `${fmtUnit(r.value, r.unit)}${relSpread(r)}${r.approximations?.length ? ' ≈' : ''}`,
          key: r => r.value,
          numeric: true,
          tip: valueTip,
        },
        { title: 'Change', text: r => (r.ratio === undefined ? '–' : change(r.ratio)), key: r => r.ratio, numeric: true },
        { title: 'Sure', text: r => compactSure(r.sure), className: () => 'sure', tip: r => lines(r.sure, r.method) },
        { title: 'Verdict', text: r => r.verdict, key: r => ORDER[r.verdict], className: r => `verdict-cell v-${r.verdict}`, tip: r => lines(r.reason, moreRoundsText(r), r.method) },
      ],
    }),
  );
  return { element: root, charts: [], draw: () => undefined };
}
