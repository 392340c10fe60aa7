// All benchmarks of one run with their verdicts: sortable, filterable; a row opens its history.
import type { BenchmarkRow, BenchmarksView } from '../../../src/shared/protocol';
import { el, fmtNumber, fmtUnit } from '../dom';
import { dataTable } from '../table';
import { runLabel, type Rendered } from './common';

const ORDER: Record<string, number> = { regression: 0, inconclusive: 1, missing: 2, new: 3, improvement: 4, unchanged: 5 };

/** 1.352 → "+35%", 0.97 → "−3.0%". */
function change(ratio: number): string {
  const v = (ratio - 1) * 100;
  const t = Math.abs(v) >= 10 ? Math.abs(v).toFixed(0) : Math.abs(v).toFixed(1);
  return t === '0.0' ? '0.0%' : `${v > 0 ? '+' : '−'}${t}%`;
}

function verdictText(r: BenchmarkRow): string {
  if (r.verdict !== 'inconclusive' || r.moreRounds === undefined) return r.verdict;
  return `inconclusive — ${r.moreRounds} more round${r.moreRounds === 1 ? '' : 's'} would decide`;
}

export function renderBenchmarks(v: BenchmarksView, openHistory: (seriesId: string) => void): Rendered {
  const root = el('div', undefined, 'view view-benchmarks');
  root.append(el('h2', `Benchmarks · ${runLabel(v.run)}`));
  const counts = new Map<string, number>();
  for (const r of v.rows) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  root.append(el('p', `${v.rows.length} benchmark(s) compared with ${v.comparedWith}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}. Click a row for its history.`, 'muted'));
  root.append(
    dataTable<BenchmarkRow>({
      filterPlaceholder: 'Filter benchmarks',
      rows: [...v.rows].sort((a, b) => (ORDER[a.verdict] ?? 9) - (ORDER[b.verdict] ?? 9) || a.name.localeCompare(b.name)),
      onRowClick: r => openHistory(r.id),
      columns: [
        { title: 'Benchmark', text: r => r.name },
        { title: 'Group', text: r => r.group ?? '' },
        { title: 'Central value', text: r => fmtUnit(r.value, r.unit), key: r => r.value, numeric: true },
        { title: 'Spread', text: r => (r.spread === undefined ? '–' : `${fmtUnit(r.spread, r.unit)} ${r.spreadKind === 'iqr' ? 'IQR' : 'σ'}`), key: r => r.spread, numeric: true },
        { title: 'n', text: r => fmtNumber(r.n), key: r => r.n, numeric: true },
        { title: 'Change', text: r => (r.ratio === undefined ? '–' : change(r.ratio)), key: r => r.ratio, numeric: true },
        { title: 'How sure', text: r => r.sure ?? '–', className: () => 'sure', tip: r => r.method },
        { title: 'Verdict', text: r => verdictText(r), key: r => ORDER[r.verdict], className: r => `verdict-cell v-${r.verdict}` },
        { title: 'Why', text: r => r.reason, className: () => 'reason', tip: r => r.method },
        { title: 'Approx.', text: r => (r.approximations?.length ? 'approx.' : ''), className: () => 'approx', tip: r => r.approximations?.join('\n') },
      ],
    }),
  );
  return { element: root, charts: [], draw: () => undefined };
}
