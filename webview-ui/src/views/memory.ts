// Memory check: RSS and heap over time, the Theil–Sen trend with its confidence band, the load
// window shaded, and the verdict with the rules behind it; a second memory run overlaid by elapsed time.
import type { MemoryView, RunMeta } from '../../../src/shared/protocol';
import type { DrawnChart, LineSpec } from '../charts';
import { el, fmtBytes, fmtNumber } from '../dom';
import { chartBox, joinByX, runLabel, viewFrame, type Rendered } from './common';

export interface MemoryHandlers {
  compareWith(runId: string | undefined): void;
  status(text: string, error?: boolean): void;
}

const VERDICT_TEXT = { leak: 'Leak suspected', 'no leak': 'No leak', inconclusive: 'Inconclusive' } as const;

export function renderMemory(v: MemoryView, runs: RunMeta[], h: MemoryHandlers): Rendered {
  const root = viewFrame('memory', `Memory · ${v.seriesName} · ${runLabel(v.run)}`, v.run, v.notes, { runs, kind: 'memory', current: v.compare?.run.id, onChange: h.compareWith });
  const charts: DrawnChart[] = [];
  const verdict = el('div', undefined, `verdict verdict-${v.verdict.status.replace(' ', '-')}`);
  verdict.append(el('strong', VERDICT_TEXT[v.verdict.status]));
  if (v.trend) verdict.append(el('span', ` · RSS slope ${fmtBytes(v.trend.slope)}/s (${fmtBytes(v.trend.slope * 3600)}/h)`));
  if (v.compare) verdict.append(el('span', ` · B (${v.compare.seriesName}, ${runLabel(v.compare.run)}): ${VERDICT_TEXT[v.compare.verdict].toLowerCase()}`, 'muted'));
  root.append(verdict);
  const rules = el('ul', undefined, 'rules');
  for (const r of v.verdict.rules) {
    const li = el('li', undefined, r.passed ? 'rule-pass' : 'rule-fail');
    li.append(el('span', r.passed ? '✔ ' : '✘ ', 'mark'), el('strong', r.rule), el('span', ` — ${r.detail}`));
    rules.append(li);
  }
  root.append(rules);
  const host = el('div', undefined, 'charts');
  root.append(host);
  if (!v.x.length) host.append(el('p', 'This run has no memory samples.', 'muted'));
  const draw = () => {
    if (!v.x.length) return;
    const cmp = v.compare;
    const j = joinByX([v.x, v.rss, v.heap], cmp && [cmp.x, cmp.rss]);
    const [rss, heap] = j.a;
    const ab = cmp ? ' (A)' : '';
    const lines: LineSpec[] = [{ label: `RSS${ab}`, values: rss, colour: 'blue' }];
    if (v.heap.some(x => x !== null)) lines.push({ label: `heap used${ab}`, values: heap, colour: 'purple' });
    if (cmp) lines.push({ label: 'RSS (B)', values: j.b[0], colour: 'blue', dash: true });
    let bands: [number, number][] | undefined;
    const tr = v.trend;
    if (tr) {
      // Lines of x: defined on every x of the joined axis, so they stay straight.
      const at = (slope: number) => j.x.map(x => tr.yMid + slope * (x - tr.xMid));
      lines.push({ label: `trend (${fmtBytes(tr.slope)}/s)`, values: at(tr.slope), colour: 'orange', width: 2 });
      if (Number.isFinite(tr.lo) && Number.isFinite(tr.hi)) {
        // The band is the set of lines through the fit's centre with a slope inside the CI.
        const hiLine = j.x.map(x => tr.yMid + (x >= tr.xMid ? tr.hi : tr.lo) * (x - tr.xMid));
        const loLine = j.x.map(x => tr.yMid + (x >= tr.xMid ? tr.lo : tr.hi) * (x - tr.xMid));
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
          x: j.x,
          xKind: 'seconds',
          lines,
          bands,
          yFormat: fmtBytes,
          shade: v.loadWindow ? { from: v.loadWindow[0], to: v.loadWindow[1], label: 'load' } : undefined,
          height: 300,
        },
        h.status,
      ),
    );
  };
  return { element: root, charts, draw };
}
