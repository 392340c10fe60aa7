// What every view shares: its frame (title, compare picker, notes), a titled chart box with
// PNG/CSV export, a run's label, and the alignment of two runs by elapsed seconds.
import uPlot from 'uplot';
import type { RunMeta, ServerMetricsColumns } from '../../../src/shared/protocol';
import { request } from '../api';
import { drawChart, type ChartSpec, type DrawnChart } from '../charts';
import { button, el, shortDate } from '../dom';

export interface Rendered {
  element: HTMLElement;
  charts: DrawnChart[];
  /** Draws the charts; called once `element` is in the page (uPlot needs its width). */
  draw(): void;
  /** Load view of a live run: replaces the server metrics section with the scrapes so far. */
  updateServer?(server: ServerMetricsColumns): void;
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

/** Overlay of a second run of the same kind: the runs to offer, the one shown, and what picking does. */
export interface CompareOption {
  runs: RunMeta[];
  kind: RunMeta['kind'];
  current?: string;
  onChange(runId: string | undefined): void;
}

/**
 * A view's root with its heading row (title, and a "Compare with…" picker when `compare` is
 * given) followed by the run's notes; the caller appends the rest.
 */
export function viewFrame(kind: string, title: string, run: RunMeta, notes: string[], compare?: CompareOption): HTMLElement {
  const root = el('div', undefined, `view view-${kind}`);
  const head = el('div', undefined, 'view-head');
  head.append(el('h2', title));
  if (compare) {
    const others = compare.runs.filter(r => r.id !== run.id && r.kind === compare.kind);
    const pick = el('select');
    pick.setAttribute('aria-label', 'Compare with run');
    pick.append(new Option('Compare with… (none)', ''));
    for (const r of others) pick.append(new Option(runLabel(r), r.id, false, r.id === compare.current));
    pick.disabled = others.length === 0;
    pick.addEventListener('change', () => compare.onChange(pick.value || undefined));
    head.append(pick);
  }
  root.append(head);
  const list = notesList(notes);
  if (list) root.append(list);
  return root;
}

/** Columns of a run: x (elapsed seconds) and value columns of the same length. */
export type Columns = [number[], ...(number | null)[][]];

/**
 * Aligns run B's columns to run A's by elapsed seconds (uPlot.join; gaps are null): the shared
 * x, then A's columns, then B's. Without B, A's columns as they are.
 */
export function joinByX(a: Columns, b: Columns | undefined): { x: number[]; a: (number | null)[][]; b: (number | null)[][] } {
  if (!b) return { x: a[0], a: a.slice(1) as (number | null)[][], b: [] };
  const joined = uPlot.join([a as unknown as uPlot.AlignedData, b as unknown as uPlot.AlignedData]);
  const cols = joined.slice(1) as (number | null)[][];
  return { x: joined[0] as number[], a: cols.slice(0, a.length - 1), b: cols.slice(a.length - 1) };
}
