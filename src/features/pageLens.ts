// Page lenses: at the top of a page's route/component file (the frontend suite's `pages` map, or
// conventions: core/ingest/lighthousePages.ts), one line per Lighthouse metric of that page —
// median of the runs with their range, the verdict against the baseline and the budget.
// Reads the in-memory store only.
import * as vscode from 'vscode';
import { formatValue } from '../core/format';
import { PAGE_METRICS, pageSeriesId } from '../core/ingest/lighthouse';
import { pagesForFile, type PageRef } from '../core/ingest/lighthousePages';
import { verdictCompact } from '../core/verdict';
import type { SeriesState } from '../workspace/resultsStore';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { PANEL_COMMAND } from './panel';

const SHORT: Record<string, string> = { fcp: 'FCP', lcp: 'LCP', tbt: 'TBT', 'speed-index': 'Speed Index', tti: 'TTI', cls: 'CLS', 'js-heap': 'JS heap' };

/** "LCP 932 ms (880 ms–990 ms, 3 runs) · +3.0% unchanged · budget ✓ ≤ 1.00 s". */
export function pageLensTitle(key: string, state: SeriesState): string {
  const s = state.series;
  const v = (x: number | undefined) => (x === undefined ? '—' : formatValue(x, s.unit));
  const n = s.samples?.length ?? s.summary.n ?? 1;
  const range = n > 1 ? ` (${v(s.summary.min)}–${v(s.summary.max)}, ${n} runs)` : '';
  const verdict = state.verdict ? ` · ${verdictCompact(state.verdict)}` : '';
  const failed = state.budgets.filter(b => !b.ok);
  const budget = state.budgets.length ? (failed.length ? ` · $(error) over budget: ${failed.map(b => b.message).join('; ')}` : ' · budget ✓') : '';
  return `${SHORT[key] ?? key} ${v(s.summary.median ?? s.summary.mean)}${range}${verdict}${budget}`;
}

class PageLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly results: WorkspaceResults) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('perfLens', document.uri).get<boolean>('codeLens.enabled', true)) return [];
    const store = this.results.storeFor(document.uri);
    if (!store) return [];
    const file = vscode.workspace.asRelativePath(document.uri, false);
    const pages = pagesForFile(file, store.config.suites);
    const top = new vscode.Range(0, 0, 0, 0);
    return pages.flatMap(page => this.lenses(page, file, top, (id: string) => store.get(id)));
  }

  private lenses(page: PageRef, file: string, at: vscode.Range, get: (id: string) => SeriesState | undefined): vscode.CodeLens[] {
    const found = PAGE_METRICS.flatMap(m => {
      const state = get(pageSeriesId(page.path, m.key));
      return state ? [{ key: m.key, state }] : [];
    });
    if (!found.length) {
      return [new vscode.CodeLens(at, { title: `$(play) Perf Lens · page ${page.path}: no Lighthouse results yet — Run ${page.suite}`, command: 'perfLens.runSuite', arguments: [page.suite] })];
    }
    return found.map(({ key, state }, i) =>
      new vscode.CodeLens(at, {
        title: `${i === 0 ? `$(browser) ${page.path} · ` : ''}${pageLensTitle(key, state)}`,
        tooltip: `${state.id} — ${state.verdict?.reason ?? 'no baseline comparison'}${(state.series.notes ?? []).map(n => `\n${n}`).join('')}`,
        command: PANEL_COMMAND,
        arguments: [{ file, line: 0, label: state.id, runId: state.run.id }],
      }),
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function register(results: WorkspaceResults): vscode.Disposable[] {
  const provider = new PageLensProvider(results);
  return [provider, results.onDidChange(() => provider.refresh()), vscode.languages.registerCodeLensProvider({ scheme: 'file' }, provider)];
}
