// Code lenses: one line per located test, benchmark or endpoint handler — its latest
// numbers against the baseline with actions, or one quiet lens where nothing is known.
// Reads the in-memory store and source index only; while a document is being re-located
// the previous lenses are served, so the editor does not jump.
import * as vscode from 'vscode';
import type { Log } from '../util/log';
import type { DocumentItems } from '../workspace/documentItems';
import type { LensItem } from '../workspace/lensModel';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { inconclusiveText, verdictCompact } from '../core/verdict';
import { lensTitle, lensTooltip, undecided, worst } from './lensText';
import { PANEL_COMMAND } from './panel';
import { RUN_BENCHMARK_COMMAND } from './tasks';

export const ACCEPT_COMMAND = 'perfLens.acceptBaseline';
export const KEEP_SAMPLING_COMMAND = 'perfLens.keepSampling';
/** Same-machine A/B against the merge base (the A/B feature registers it; the action is always offered). */
export const COMPARE_MERGE_BASE_COMMAND = 'perfLens.compareWithMergeBase';

export function docRef(document: vscode.TextDocument) {
  return {
    key: document.uri.toString(),
    version: document.version,
    relPath: vscode.workspace.asRelativePath(document.uri, false),
    text: () => document.getText(),
  };
}

/** Lenses sit above the whole definition, decorators included, not between them and the def. */
function range(item: LensItem): vscode.Range {
  const r = item.finding.range.start;
  return new vscode.Range(r.line, r.character, r.line, r.character);
}

class PerfLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly results: WorkspaceResults,
    private readonly documents: DocumentItems,
    private readonly log: Log,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const config = vscode.workspace.getConfiguration('perfLens', document.uri);
    if (!config.get<boolean>('codeLens.enabled', true)) return [];
    const ref = docRef(document);
    if (!this.documents.supports(ref.relPath)) return [];
    let items: LensItem[];
    try {
      items = await this.documents.items(ref, this.results.storeFor(document.uri));
    } catch (e) {
      this.log.warn(`could not locate tests in ${ref.relPath}: ${(e as Error).message}`);
      items = this.documents.settled(ref.key) ?? [];
    }
    const show = {
      benchmark: config.get<boolean>('codeLens.benchmarks', true),
      test: config.get<boolean>('codeLens.benchmarks', true),
      endpoint: config.get<boolean>('codeLens.endpoints', true),
      'load-task': false,
    };
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString();
    // Results imported by hand carry no suite: A/B then uses the project's only regression suite.
    const regression = this.results.storeFor(document.uri)?.config.suites.filter(s => s.kind === 'regression') ?? [];
    const onlySuite = regression.length === 1 ? regression[0].name : undefined;
    return items.filter(i => show[i.finding.kind]).flatMap(item => this.lenses(item, ref.relPath, folder, onlySuite));
  }

  private lenses(item: LensItem, file: string, folder: string | undefined, onlySuite: string | undefined): vscode.CodeLens[] {
    const at = range(item);
    const focus = { file, line: at.start.line, label: item.finding.id };
    const target = { id: item.finding.id, name: item.finding.name, file, suite: item.states[0]?.run.suite };
    if (!item.states.length) {
      // Plain tests with no timing stay quiet; benchmarks and handlers offer one lens.
      if (item.finding.kind === 'test' && !item.ambiguous.length) return [];
      if (item.ambiguous.length) {
        const title = `$(question) ${item.ambiguous.length} result(s) match this and another definition equally well`;
        return [new vscode.CodeLens(at, { title, tooltip: lensTooltip(item), command: PANEL_COMMAND, arguments: [focus] })];
      }
      if (item.finding.kind === 'endpoint') {
        return [new vscode.CodeLens(at, { title: '$(pulse) Perf Lens · no load results yet', tooltip: 'Run a load suite to see latency and throughput here.', command: PANEL_COMMAND, arguments: [focus] })];
      }
      return [new vscode.CodeLens(at, { title: '$(play) Perf Lens · no results yet — Run', tooltip: 'Run this benchmark through its suite', command: RUN_BENCHMARK_COMMAND, arguments: [target] })];
    }
    const ids = item.states.map(s => s.id);
    // The panel opens on what the lens headlines: the load run's charts for a handler, the
    // most alarming case's history for a benchmark.
    const head = worst(item.states) ?? item.states[0];
    const open = item.finding.kind === 'endpoint' ? { ...focus, runId: head.run.id } : { ...focus, seriesId: head.id };
    const callable = item.finding.kind !== 'endpoint';
    const run = callable ? [new vscode.CodeLens(at, { title: 'Run', tooltip: 'Run it again through its suite', command: RUN_BENCHMARK_COMMAND, arguments: [target] })] : [];
    // Inconclusive: more rounds of the same benchmark, judged with sequential levels, until it is decided.
    const toDecide = callable && folder ? undecided(item.states) : undefined;
    const keep = toDecide?.verdict
      ? [new vscode.CodeLens(at, {
          title: 'Keep sampling',
          tooltip: `${toDecide.id}: ${inconclusiveText(toDecide.verdict)} (${verdictCompact(toDecide.verdict)}). Re-run it through its suite until the interval clears the threshold either way.`,
          command: KEEP_SAMPLING_COMMAND,
          arguments: [folder, toDecide.id],
        })]
      : [];
    const abSuite = target.suite ?? onlySuite;
    const ab = callable && folder && abSuite
      ? [new vscode.CodeLens(at, {
          title: 'A/B',
          tooltip: 'Compare with the merge base on this machine: base and HEAD run interleaved, judged from the pairs',
          command: COMPARE_MERGE_BASE_COMMAND,
          arguments: [{ folder, suite: abSuite, ids }],
        })]
      : [];
    return [
      new vscode.CodeLens(at, { title: lensTitle(item), tooltip: lensTooltip(item), command: PANEL_COMMAND, arguments: [open] }),
      ...run,
      ...keep,
      ...ab,
      new vscode.CodeLens(at, { title: 'History', tooltip: 'Open its history in the Perf Lens panel', command: PANEL_COMMAND, arguments: [{ ...focus, seriesId: head.id }] }),
      new vscode.CodeLens(at, { title: 'Accept baseline', tooltip: `Accept the latest result as the baseline: ${ids.join(', ')}`, command: ACCEPT_COMMAND, arguments: [ids, file] }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function register(results: WorkspaceResults, documents: DocumentItems, log: Log): vscode.Disposable[] {
  const provider = new PerfLensProvider(results, documents, log);
  return [
    provider,
    vscode.languages.registerCodeLensProvider(
      ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'go'].map(language => ({ scheme: 'file', language })),
      provider,
    ),
    results.onDidChange(() => provider.refresh()),
    vscode.workspace.onDidChangeTextDocument(e => {
      if (e.contentChanges.length && e.document.uri.scheme === 'file') documents.edit(docRef(e.document), e.contentChanges);
    }),
    vscode.workspace.onDidCloseTextDocument(d => documents.forget(d.uri.toString())),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('perfLens.codeLens')) provider.refresh();
    }),
  ];
}
