// All benchmarks of one run with their verdicts: sortable, filterable; a row opens its history.
import type { BenchmarkRow, BenchmarksView } from '../../../src/shared/protocol';
import { el, fmtNumber, fmtUnit } from '../dom';
import { dataTable } from '../table';
import { runLabel, type Rendered } from './common';

const ORDER: Record<string, number> = { regression: 0, inconclusive: 1, missing: 2, new: 3, improvement: 4, unchanged: 5 };

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
        { title: 'Verdict', text: r => r.verdict, key: r => ORDER[r.verdict], className: r => `verdict-cell v-${r.verdict}` },
        { title: 'Why', text: r => r.reason, className: () => 'reason' },
      ],
    }),
  );
  return { element: root, charts: [], draw: () => undefined };
}
