// What every view shares: a titled chart box with PNG/CSV export, and a run's label.
import type { RunMeta } from '../../../src/shared/protocol';
import { request } from '../api';
import { drawChart, type ChartSpec, type DrawnChart } from '../charts';
import { button, el, shortDate } from '../dom';

export interface Rendered {
  element: HTMLElement;
  charts: DrawnChart[];
  /** Draws the charts; called once `element` is in the page (uPlot needs its width). */
  draw(): void;
}

export function runLabel(run: RunMeta): string {
  const parts = [shortDate(run.startedAt), run.tool];
  if (run.suite) parts.push(run.suite);
  if (run.commit) parts.push(run.commit.slice(0, 8));
  return parts.join(' · ');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'chart';
}

/** Appends a titled chart with export buttons to `parent`; the chart draws once the box is in the page. */
export function chartBox(parent: HTMLElement, spec: ChartSpec, status: (text: string, error?: boolean) => void): DrawnChart {
  const box = el('section', undefined, 'chart-box');
  const bar = el('div', undefined, 'chart-bar');
  const h = el('h3', spec.title);
  const actions = el('span', undefined, 'chart-actions');
  box.append(bar);
  parent.append(box);
  const chart = drawChart(box, spec);
  const save = async (format: 'png' | 'csv') => {
    try {
      const data = format === 'png' ? chart.pngBase64() : chart.csv();
      const r = await request({ kind: 'save', format, suggestedName: `${slug(spec.title)}.${format}`, data });
      if (r.kind === 'saved') status(r.path ? `Saved ${r.path}` : 'Export cancelled');
    } catch (e) {
      status(`Export failed: ${(e as Error).message}`, true);
    }
  };
  actions.append(button('PNG', () => void save('png'), 'Export the chart as a PNG image'), button('CSV', () => void save('csv'), 'Export the chart data as CSV'));
  bar.append(h, actions);
  return chart;
}

export function notesList(notes: string[]): HTMLElement | undefined {
  if (!notes.length) return undefined;
  const ul = el('ul', undefined, 'notes');
  for (const n of notes) ul.append(el('li', n));
  return ul;
}
