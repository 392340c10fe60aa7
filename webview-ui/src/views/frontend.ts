// A Lighthouse (frontend suite) run: per page, a table of its metrics (median, range over the
// runs, verdict, budget) and one chart per metric with every run's value and the budget line.
import type { FrontendMetricRow, FrontendView } from '../../../src/shared/protocol';
import type { DrawnChart, LineSpec } from '../charts';
import { el, fmtUnit } from '../dom';
import { chartBox, runLabel, viewFrame, type Rendered } from './common';

const LABEL: Record<string, string> = {
  fcp: 'First Contentful Paint',
  lcp: 'Largest Contentful Paint',
  tbt: 'Total Blocking Time',
  'speed-index': 'Speed Index',
  tti: 'Time to Interactive',
  cls: 'Cumulative Layout Shift',
  'js-heap': 'JS heap after load',
};

function budgetText(m: FrontendMetricRow): string {
  if (!m.budgets.length) return '–';
  return m.budgets.map(b => `${b.ok ? '✔' : '✘'} ${b.message}`).join('; ');
}

export function renderFrontend(v: FrontendView, status: (text: string, error?: boolean) => void): Rendered {
  const root = viewFrame('frontend', `Pages · ${runLabel(v.run)}`, v.run, v.notes);
  const charts: DrawnChart[] = [];
  const failed = v.pages.flatMap(p => p.metrics).filter(m => m.budgets.some(b => !b.ok)).length;
  root.append(el('p', `${v.pages.length} page(s), compared with ${v.comparedWith}; ${failed} metric(s) over budget.`, 'muted'));
  const pending: (() => void)[] = [];
  for (const page of v.pages) {
    const section = el('section', undefined, 'page');
    section.append(el('h3', page.url ?? page.path));
    const table = el('table', undefined, 'page-metrics');
    const head = el('tr');
    for (const h of ['Metric', 'Median', 'Runs (min–max)', 'Verdict', 'Budget']) head.append(el('th', h, h === 'Median' || h.startsWith('Runs') ? 'num' : undefined));
    table.append(head);
    for (const m of page.metrics) {
      const tr = el('tr', undefined, m.budgets.some(b => !b.ok) ? 'over-budget' : undefined);
      const range = m.samples.length > 1 ? `${m.samples.length} (${fmtUnit(Math.min(...m.samples), m.unit)}–${fmtUnit(Math.max(...m.samples), m.unit)})` : String(m.samples.length);
      const budgetClass = !m.budgets.length ? undefined : m.budgets.some(b => !b.ok) ? 'budget-over' : 'budget-ok';
      tr.append(el('td', LABEL[m.key] ?? m.key), el('td', fmtUnit(m.median, m.unit), 'num'), el('td', range, 'num'), el('td', m.verdict, `verdict-cell v-${m.verdict}`), el('td', budgetText(m), budgetClass));
      tr.title = m.reason;
      table.append(tr);
    }
    section.append(table);
    const host = el('div', undefined, 'charts');
    section.append(host);
    root.append(section);
    pending.push(() => {
      for (const m of page.metrics) {
        if (!m.samples.length) continue;
        const x = m.samples.map((_, i) => i);
        const lines: LineSpec[] = [{ label: LABEL[m.key] ?? m.key, values: m.samples, colour: 'blue' }];
        for (const b of m.budgets) lines.push({ label: `budget ${fmtUnit(b.limit, m.unit)}`, values: x.map(() => b.limit), colour: b.ok ? 'green' : 'red', dash: true });
        charts.push(
          chartBox(
            host,
            { title: `${page.path} ${LABEL[m.key] ?? m.key} per run`, x, xKind: 'index', xLabels: x.map(i => `run ${i + 1}`), lines, yFormat: y => fmtUnit(y, m.unit), height: 160 },
            status,
          ),
        );
      }
    });
  }
  return { element: root, charts, draw: () => pending.forEach(p => p()) };
}
