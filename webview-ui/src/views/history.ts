// Benchmark history: the central value per run with its spread band, the accepted baseline as
// a band, regressions marked, level shifts (E-divisive, computed by the host per machine class)
// marked and listed; clicking a point opens that run's benchmark table.
// Runs of other machine classes are another machine's level, not a change of the code: the chart
// shows this machine's class by default, and a switch adds the others as separate purple markers.
import type { HistoryPoint, HistoryView } from '../../../src/shared/protocol';
import type { DrawnChart, LineSpec } from '../charts';
import { el, fmtUnit, shortDate } from '../dom';
import { chartBox, type Rendered } from './common';

/** The class the chart shows by default: the view's, else the newest point's. */
export function currentClass(v: HistoryView): string | undefined {
  return v.machineClass ?? [...v.points].reverse().find(p => p.machineClass)?.machineClass;
}

/** Indices of the points shown: all, or only those of `cls` (points without a class stay). */
export function visiblePoints(points: readonly HistoryPoint[], cls: string | undefined, showOthers: boolean): number[] {
  return points.flatMap((p, i) => (showOthers || !cls || !p.machineClass || p.machineClass === cls ? [i] : []));
}

export function renderHistory(v: HistoryView, openRun: (runId: string) => void, status: (text: string, error?: boolean) => void): Rendered {
  const root = el('div', undefined, 'view view-history');
  const charts: DrawnChart[] = [];
  root.append(el('h2', `History · ${v.name}`));
  const cls = currentClass(v);
  const others = cls ? v.points.filter(p => p.machineClass && p.machineClass !== cls).length : 0;
  let showOthers = false;
  const summary = el('p', undefined, 'muted');
  const list = el('ul', undefined, 'shifts');
  const host = el('div', undefined, 'charts');
  root.append(summary);
  if (others) {
    const label = el('label', undefined, 'history-classes');
    const box = el('input');
    box.type = 'checkbox';
    box.addEventListener('change', () => {
      showOthers = box.checked;
      charts.splice(0).forEach(c => c.destroy());
      host.replaceChildren();
      fill();
      draw();
    });
    label.append(box, ` Show ${others} run(s) of other machines (marked apart; not compared with this machine's)`);
    root.append(label);
  }
  root.append(list, host);

  const base = v.baseline;
  const mine = (p: HistoryPoint) => !cls || !p.machineClass || p.machineClass === cls;
  let shown: number[] = [];
  const fill = () => {
    shown = visiblePoints(v.points, cls, showOthers);
    const pts = shown.map(i => v.points[i]);
    const regressions = pts.filter(p => p.verdict === 'regression' && mine(p)).length;
    const mineCount = pts.length - (showOthers ? others : 0);
    const where = !cls || !others ? '' : showOthers ? `: ${mineCount} on this machine class (${cls}), ${others} of other machines in purple` : ` on this machine class (${cls})`;
    summary.textContent = `${pts.length} run(s)${where}; ${regressions} marked as regression${base ? ` against the baseline ${fmtUnit(base.value, v.unit)}${base.commit ? ` (${base.commit.slice(0, 8)})` : ''}` : ' against the previous run (no baseline accepted)'}. Click a point to open that run.`;
    list.replaceChildren();
    for (const s of visibleShifts()) list.append(el('li', `Level shift: ${s.label} · confidence ${Math.round(s.confidence * 100)}%${s.machineClass && s.machineClass !== cls ? ` · on ${s.machineClass}` : ''}`, 'shift'));
    if (!v.points.length) host.append(el('p', 'No stored run has this benchmark yet.', 'muted'));
  };
  const visibleShifts = () => (v.shifts ?? []).filter(s => showOthers || !cls || !s.machineClass || s.machineClass === cls);

  const draw = () => {
    if (!shown.length) return;
    const pts = shown.map(i => v.points[i]);
    const x = pts.map((_, i) => i);
    const labels = pts.map(p => (p.commit ? p.commit.slice(0, 7) : shortDate(p.startedAt).slice(5)));
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
    if (pts.some(p => p.lo !== undefined && mine(p))) {
      const i = lines.length;
      lines.push({ label: 'spread high', values: pts.map(p => (mine(p) ? p.hi ?? null : null)), colour: 'blue', width: 0 });
      lines.push({ label: 'spread low', values: pts.map(p => (mine(p) ? p.lo ?? null : null)), colour: 'blue', width: 0 });
      bands.push([i, i + 1]);
    }
    lines.push({ label: 'central value', values: pts.map(p => (mine(p) ? p.value : null)), colour: 'blue', width: 2 });
    if (pts.some(p => !mine(p))) lines.push({ label: 'other machine class', values: pts.map(p => (mine(p) ? null : p.value)), colour: 'purple', pointsOnly: true });
    lines.push({ label: 'regression', values: pts.map(p => (p.verdict === 'regression' && mine(p) ? p.value : null)), colour: 'red', pointsOnly: true });
    const shifts = visibleShifts();
    if (shifts.length) {
      const at = new Set(shifts.map(s => s.index));
      lines.push({ label: 'level shift (first run at the new level)', values: shown.map((i, j) => (at.has(i) ? pts[j].value : null)), colour: 'orange', pointsOnly: true });
    }
    charts.push(
      chartBox(
        host,
        { title: `${v.name} per run`, x, xKind: 'index', xLabels: labels, lines, bands, yFormat: n => fmtUnit(n, v.unit), onPointClick: i => openRun(pts[i].runId), height: 280 },
        status,
      ),
    );
  };
  fill();
  return { element: root, charts, draw };
}
