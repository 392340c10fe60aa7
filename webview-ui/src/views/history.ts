// Benchmark history: the central value per run with its spread band, the accepted baseline as
// a band, regressions marked, level shifts (E-divisive, computed by the host) marked and listed;
// clicking a point opens that run's benchmark table.
import type { HistoryView } from '../../../src/shared/protocol';
import type { DrawnChart, LineSpec } from '../charts';
import { el, fmtUnit, shortDate } from '../dom';
import { chartBox, type Rendered } from './common';

export function renderHistory(v: HistoryView, openRun: (runId: string) => void, status: (text: string, error?: boolean) => void): Rendered {
  const root = el('div', undefined, 'view view-history');
  const charts: DrawnChart[] = [];
  root.append(el('h2', `History · ${v.name}`));
  const regressions = v.points.filter(p => p.verdict === 'regression').length;
  const base = v.baseline;
  root.append(
    el(
      'p',
      `${v.points.length} run(s); ${regressions} marked as regression${base ? ` against the baseline ${fmtUnit(base.value, v.unit)}${base.commit ? ` (${base.commit.slice(0, 8)})` : ''}` : ' against the previous run (no baseline accepted)'}. Click a point to open that run.`,
      'muted',
    ),
  );
  const shifts = v.shifts ?? [];
  if (shifts.length) {
    const list = el('ul', undefined, 'shifts');
    for (const s of shifts) list.append(el('li', `Level shift: ${s.label} · confidence ${Math.round(s.confidence * 100)}%`, 'shift'));
    root.append(list);
  }
  const host = el('div', undefined, 'charts');
  root.append(host);
  if (!v.points.length) host.append(el('p', 'No stored run has this benchmark yet.', 'muted'));
  const draw = () => {
    if (!v.points.length) return;
    const x = v.points.map((_, i) => i);
    const labels = v.points.map(p => (p.commit ? p.commit.slice(0, 7) : shortDate(p.startedAt).slice(5)));
    const lines: LineSpec[] = [];
    const bands: [number, number][] = [];
    if (base) {
      lines.push({ label: 'baseline', values: x.map(() => base.value), colour: 'green', dash: true });
      if (base.lo !== undefined && base.hi !== undefined) {
        const i = lines.length;
        lines.push({ label: 'baseline spread high', values: x.map(() => base.hi ?? null), colour: 'green', width: 0 });
        lines.push({ label: 'baseline spread low', values: x.map(() => base.lo ?? null), colour: 'green', width: 0 });
        bands.push([i, i + 1]);
      }
    }
    if (v.points.some(p => p.lo !== undefined)) {
      const i = lines.length;
      lines.push({ label: 'spread high', values: v.points.map(p => p.hi ?? null), colour: 'blue', width: 0 });
      lines.push({ label: 'spread low', values: v.points.map(p => p.lo ?? null), colour: 'blue', width: 0 });
      bands.push([i, i + 1]);
    }
    lines.push({ label: 'central value', values: v.points.map(p => p.value), colour: 'blue', width: 2 });
    lines.push({ label: 'regression', values: v.points.map(p => (p.verdict === 'regression' ? p.value : null)), colour: 'red', pointsOnly: true });
    if (shifts.length) {
      const at = new Set(shifts.map(s => s.index));
      lines.push({ label: 'level shift (first run at the new level)', values: v.points.map((p, i) => (at.has(i) ? p.value : null)), colour: 'orange', pointsOnly: true });
    }
    charts.push(
      chartBox(
        host,
        { title: `${v.name} per run`, x, xKind: 'index', xLabels: labels, lines, bands, yFormat: n => fmtUnit(n, v.unit), onPointClick: i => openRun(v.points[i].runId), height: 280 },
        status,
      ),
    );
  };
  return { element: root, charts, draw };
}
