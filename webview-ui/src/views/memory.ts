// Memory check: RSS and heap over time, the Theil–Sen trend with its confidence band, the load
// window shaded, and the verdict with the rules behind it.
import type { MemoryView } from '../../../src/shared/protocol';
import type { DrawnChart, LineSpec } from '../charts';
import { el, fmtBytes, fmtNumber } from '../dom';
import { chartBox, notesList, runLabel, type Rendered } from './common';

export function renderMemory(v: MemoryView, status: (text: string, error?: boolean) => void): Rendered {
  const root = el('div', undefined, 'view view-memory');
  const charts: DrawnChart[] = [];
  root.append(el('h2', `Memory · ${v.seriesName} · ${runLabel(v.run)}`));
  const verdict = el('div', undefined, `verdict verdict-${v.verdict.status.replace(' ', '-')}`);
  verdict.append(el('strong', v.verdict.status === 'leak' ? 'Leak suspected' : v.verdict.status === 'no leak' ? 'No leak' : 'Inconclusive'));
  if (v.trend) verdict.append(el('span', ` · RSS slope ${fmtBytes(v.trend.slope)}/s (${fmtBytes(v.trend.slope * 3600)}/h)`));
  root.append(verdict);
  const rules = el('ul', undefined, 'rules');
  for (const r of v.verdict.rules) {
    const li = el('li', undefined, r.passed ? 'rule-pass' : 'rule-fail');
    li.append(el('span', r.passed ? '✔ ' : '✘ ', 'mark'), el('strong', r.rule), el('span', ` — ${r.detail}`));
    rules.append(li);
  }
  root.append(rules);
  const notes = notesList(v.notes);
  if (notes) root.append(notes);
  const host = el('div', undefined, 'charts');
  root.append(host);
  if (!v.x.length) host.append(el('p', 'This run has no memory samples.', 'muted'));
  const draw = () => {
    if (!v.x.length) return;
    const lines: LineSpec[] = [{ label: 'RSS', values: v.rss, colour: 'blue' }];
    if (v.heap.some(h => h !== null)) lines.push({ label: 'heap used', values: v.heap, colour: 'purple' });
    let bands: [number, number][] | undefined;
    const tr = v.trend;
    if (tr) {
      const at = (slope: number) => v.x.map(x => tr.yMid + slope * (x - tr.xMid));
      lines.push({ label: `trend (${fmtBytes(tr.slope)}/s)`, values: at(tr.slope), colour: 'orange', width: 2 });
      if (Number.isFinite(tr.lo) && Number.isFinite(tr.hi)) {
        // The band is the set of lines through the fit's centre with a slope inside the CI.
        const hiLine = v.x.map(x => tr.yMid + (x >= tr.xMid ? tr.hi : tr.lo) * (x - tr.xMid));
        const loLine = v.x.map(x => tr.yMid + (x >= tr.xMid ? tr.lo : tr.hi) * (x - tr.xMid));
        const i = lines.length;
        lines.push({ label: `${Math.round(tr.confidence * 100)}% band high`, values: hiLine, colour: 'orange', width: 0.5, dash: true });
        lines.push({ label: `${Math.round(tr.confidence * 100)}% band low`, values: loLine, colour: 'orange', width: 0.5, dash: true });
        bands = [[i, i + 1]];
      }
    }
    const thinned = v.rawPoints > v.x.length ? ` — ${fmtNumber(v.rawPoints)} samples thinned to ${v.x.length}` : '';
    charts.push(
      chartBox(
        host,
        {
          title: `Memory over time${thinned}`,
          x: v.x,
          xKind: 'seconds',
          lines,
          bands,
          yFormat: fmtBytes,
          shade: v.loadWindow ? { from: v.loadWindow[0], to: v.loadWindow[1], label: 'load' } : undefined,
          height: 300,
        },
        status,
      ),
    );
  };
  return { element: root, charts, draw };
}
