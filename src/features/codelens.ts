// Code lenses: one line per located test, benchmark or endpoint handler — its latest
// numbers against the baseline with actions, or one quiet lens where nothing is known.
// Reads the in-memory store and source index only; while a document is being re-located
// the previous lenses are served, so the editor does not jump. While a suite runs for an
// item its first lens says so on the same line (task start/end events, kept in memory).
import * as vscode from 'vscode';
import { debounce } from '../util/debounce';
import type { Log } from '../util/log';
import type { DocumentItems } from '../workspace/documentItems';
import { endpointRoute, runsFor, type LensItem, type RunningSuite } from '../workspace/lensModel';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import type { SuiteConfig } from '../core/config/projectConfig';
import { inconclusiveText, verdictCompact } from '../core/verdict';
import { DEFAULT_DISPLAY, LENS_STATISTICS, lensTitle, lensTooltip, runningTitle, undecided, worst, type LensDisplay, type LensStatistic } from './lensText';
import { PANEL_COMMAND } from './panel';
import { LOAD_TEST_COMMAND, narrowsToRoute, perfTaskDefinition, RUN_BENCHMARK_COMMAND, RUN_BENCHMARKS_COMMAND } from './tasks';

export const ACCEPT_COMMAND = 'perfLens.acceptBaseline';
/** The compact layout's ⋯ lens: the item's other actions in a quick pick. */
export const LENS_ACTIONS_COMMAND = 'perfLens.lensActions';
export const KEEP_SAMPLING_COMMAND = 'perfLens.keepSampling';
/** Same-machine A/B against the merge base (the A/B feature registers it; the action is always offered). */
export const COMPARE_MERGE_BASE_COMMAND = 'perfLens.compareWithMergeBase';
/** Editor context menu on a file with located benchmarks or handlers. */
export const FILE_COMMANDS = {
  run: 'perfLens.runFileBenchmarks',
  compare: 'perfLens.compareFileWithMergeBase',
  panel: 'perfLens.showPanelForFile',
} as const;

/** The user's display settings for lenses and hovers in this resource (perfLens.codeLens.*). */
export function lensDisplay(config: vscode.WorkspaceConfiguration, threshold?: number): LensDisplay {
  const statistic = config.get<string>('codeLens.statistic', DEFAULT_DISPLAY.statistic);
  return {
    statistic: (LENS_STATISTICS as readonly string[]).includes(statistic) ? (statistic as LensStatistic) : DEFAULT_DISPLAY.statistic,
    thresholds: config.get<boolean>('codeLens.showThresholds', DEFAULT_DISPLAY.thresholds),
    threshold,
    compact: config.get<string>('codeLens.layout', 'full') === 'compact',
  };
}

/** What the Load test action will do with a suite: narrowed to the route, or the whole suite (said so). */
function loadTestTooltip(route: string | undefined, suites: readonly SuiteConfig[]): string {
  const load = suites.filter(s => s.kind === 'load');
  if (!load.length) return 'No load suite in perf-lens.config.json yet: Load test offers to open it.';
  const one = load.length === 1 ? load[0] : undefined;
  if (one && !narrowsToRoute(one)) return `Runs the whole load suite "${one.name}": ${one.kind === 'load' && one.engine === 'locust' ? 'Locust cannot be narrowed to one route' : 'its own command cannot be narrowed to one route'}.`;
  return `Runs ${one ? `the load suite "${one.name}"` : 'a load suite'} narrowed to ${route ?? 'this route'} (builtin engine --only-route; other engines run whole).`;
}

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

interface LensContext {
  file: string;
  folder: string | undefined;
  onlySuite: string | undefined;
  display: LensDisplay;
  suites: readonly SuiteConfig[];
}

class PerfLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Suite tasks running now (from task start/end events). */
  readonly running = new Map<vscode.TaskExecution, RunningSuite>();
  /** Files whose located items include benchmarks / handlers (context keys for the editor menu). */
  private readonly files = { benchmark: new Set<string>(), endpoint: new Set<string>() };

  constructor(
    private readonly results: WorkspaceResults,
    private readonly documents: DocumentItems,
    private readonly log: Log,
  ) {}

  private publishFiles(path: string, items: readonly LensItem[]): void {
    for (const kind of ['benchmark', 'endpoint'] as const) {
      const set = this.files[kind];
      const has = items.some(i => i.finding.kind === kind);
      if (has === set.has(path)) continue;
      if (has) set.add(path);
      else set.delete(path);
      void vscode.commands.executeCommand('setContext', `perfLens.${kind}Files`, [...set]);
    }
  }

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
    this.publishFiles(document.uri.path, items);
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString();
    const project = this.results.storeFor(document.uri)?.config;
    // Results imported by hand carry no suite: A/B then uses the project's only regression suite.
    const regression = project?.suites.filter(s => s.kind === 'regression') ?? [];
    const ctx: LensContext = {
      file: ref.relPath,
      folder,
      onlySuite: regression.length === 1 ? regression[0].name : undefined,
      display: lensDisplay(config, project?.verdict.threshold),
      suites: project?.suites ?? [],
    };
    const running = [...this.running.values()];
    // One handler serving several methods (api_route(methods=["GET", "HEAD"])) is one item per
    // method: with no results yet they would repeat the same quiet lens on one line.
    const quiet = new Set<string>();
    return items.filter(i => show[i.finding.kind]).flatMap(item => {
      const lenses = this.lenses(item, ctx);
      if (!item.states.length && lenses.length === 1) {
        const key = `${lenses[0].range.start.line} ${lenses[0].command?.title}`;
        if (quiet.has(key)) return [];
        quiet.add(key);
      }
      // Running: the first lens of the line says so; the line and its actions stay where they are.
      if (lenses[0]?.command && runsFor(item, running)) lenses[0].command.title = runningTitle(lenses[0].command.title);
      return lenses;
    });
  }

  private lenses(item: LensItem, ctx: LensContext): vscode.CodeLens[] {
    const { file, folder, onlySuite } = ctx;
    const at = range(item);
    const focus = { file, line: at.start.line, label: item.finding.id };
    const target = { id: item.finding.id, name: item.finding.name, file, suite: item.states[0]?.run.suite };
    const route = endpointRoute(item.finding);
    const loadTest = (title: string) => new vscode.CodeLens(at, {
      title,
      tooltip: loadTestTooltip(route, ctx.suites),
      command: LOAD_TEST_COMMAND,
      arguments: [{ route, folder, suite: item.states[0]?.run.suite }],
    });
    if (!item.states.length) {
      // Plain tests with no timing stay quiet; benchmarks and handlers offer one lens.
      if (item.finding.kind === 'test' && !item.ambiguous.length) return [];
      if (item.ambiguous.length) {
        const title = `$(question) ${item.ambiguous.length} result(s) match this and another definition equally well`;
        return [new vscode.CodeLens(at, { title, tooltip: lensTooltip(item), command: PANEL_COMMAND, arguments: [focus] })];
      }
      if (item.finding.kind === 'endpoint') return [loadTest('$(pulse) Perf Lens · no load results yet — Load test')];
      return [new vscode.CodeLens(at, { title: '$(play) Perf Lens · no results yet — Run', tooltip: 'Run this benchmark through its suite', command: RUN_BENCHMARK_COMMAND, arguments: [target] })];
    }
    const ids = item.states.map(s => s.id);
    // The panel opens on what the lens headlines: the load run's charts for a handler, the
    // most alarming case's history for a benchmark.
    const head = worst(item.states) ?? item.states[0];
    const open = item.finding.kind === 'endpoint' ? { ...focus, runId: head.run.id } : { ...focus, seriesId: head.id };
    const callable = item.finding.kind !== 'endpoint';
    const run = callable
      ? [new vscode.CodeLens(at, { title: 'Run', tooltip: 'Run it again through its suite', command: RUN_BENCHMARK_COMMAND, arguments: [target] })]
      : [
          loadTest('Load test'),
          new vscode.CodeLens(at, { title: 'Chart', tooltip: 'Latency and throughput over the load run, in the Perf Lens panel', command: PANEL_COMMAND, arguments: [{ ...focus, runId: head.run.id, seriesId: head.id }] }),
        ];
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
    const history = new vscode.CodeLens(at, { title: 'History', tooltip: 'Open its history in the Perf Lens panel', command: PANEL_COMMAND, arguments: [{ ...focus, seriesId: head.id }] });
    const accept = new vscode.CodeLens(at, { title: 'Accept baseline', tooltip: `Accept the latest result as the baseline: ${ids.join(', ')}`, command: ACCEPT_COMMAND, arguments: [ids, file] });
    const title = new vscode.CodeLens(at, { title: lensTitle(item, ctx.display), tooltip: lensTooltip(item), command: PANEL_COMMAND, arguments: [open] });
    if (!ctx.display.compact) return [title, ...run, ...keep, ...ab, history, accept];
    // Compact (narrow editors): Run / Load test stays one click away; the rest is behind ⋯, the
    // views first, then what decides (keep sampling, A/B), then accepting.
    const [primary, ...views] = run;
    const more = [...views, history, ...keep, ...ab, accept].map(l => l.command!);
    return [title, primary, new vscode.CodeLens(at, { title: '$(ellipsis)', tooltip: more.map(c => c.title).join(' · '), command: LENS_ACTIONS_COMMAND, arguments: [more] })];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** `indexChanged`: the workspace index changed (a router mounted in another file may give handlers new routes). */
export function register(results: WorkspaceResults, documents: DocumentItems, log: Log, indexChanged?: vscode.Event<unknown>): vscode.Disposable[] {
  const provider = new PerfLensProvider(results, documents, log);
  // DocumentItems sees new mounts itself (a new CrossFileRoutes object); the editor must ask again.
  const remapSoon = debounce(() => provider.refresh(), 300);
  const track = (execution: vscode.TaskExecution) => {
    const def = perfTaskDefinition(execution.task);
    const scope = execution.task.scope;
    if (!def || !scope || typeof scope !== 'object') return;
    const kind = results.storeFor(scope.uri)?.config.suites.find(s => s.name === def.suite)?.kind;
    provider.running.set(execution, { suite: def.suite, kind, only: def.only, route: def.route });
    provider.refresh();
  };
  for (const execution of vscode.tasks.taskExecutions) track(execution);

  /** The located items of a file (from memory when it is open), for the editor menu's commands. */
  const fileItems = async (uri?: vscode.Uri) => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) return undefined;
    const ref = docRef(doc);
    return { ref, folder: vscode.workspace.getWorkspaceFolder(doc.uri), items: documents.supports(ref.relPath) ? await documents.items(ref, results.storeFor(doc.uri)) : [] };
  };
  const benchmarksOf = (items: readonly LensItem[]) => items.filter(i => i.finding.kind === 'benchmark');

  return [
    provider,
    vscode.tasks.onDidStartTask(e => track(e.execution)),
    vscode.tasks.onDidEndTask(e => {
      if (provider.running.delete(e.execution)) provider.refresh();
    }),
    // `quiet`: from auto-run on save, where a file without benchmarks is not worth a message.
    vscode.commands.registerCommand(FILE_COMMANDS.run, async (uri?: vscode.Uri, opts?: { quiet?: boolean }) => {
      const f = await fileItems(uri);
      const targets = benchmarksOf(f?.items ?? []).map(i => ({ id: i.finding.id, name: i.finding.name, file: f!.ref.relPath, suite: i.states[0]?.run.suite }));
      if (!targets.length) {
        if (!opts?.quiet) void vscode.window.showInformationMessage('Perf Lens: no benchmarks located in this file.');
        return 0;
      }
      return vscode.commands.executeCommand<number>(RUN_BENCHMARKS_COMMAND, targets);
    }),
    vscode.commands.registerCommand(FILE_COMMANDS.compare, async (uri?: vscode.Uri) => {
      const f = await fileItems(uri);
      const benches = benchmarksOf(f?.items ?? []);
      const ids = benches.flatMap(i => (i.states.length ? i.states.map(s => s.id) : [i.finding.id]));
      const suite = benches.find(i => i.states[0]?.run.suite)?.states[0].run.suite;
      if (!f?.folder || !ids.length) return undefined;
      return vscode.commands.executeCommand(COMPARE_MERGE_BASE_COMMAND, { folder: f.folder.uri.toString(), ...(suite ? { suite } : {}), ids });
    }),
    vscode.commands.registerCommand(FILE_COMMANDS.panel, async (uri?: vscode.Uri) => {
      const f = await fileItems(uri);
      const item = f?.items.find(i => i.states.length);
      const head = item && (worst(item.states) ?? item.states[0]);
      return vscode.commands.executeCommand(PANEL_COMMAND, item && head ? { file: f!.ref.relPath, line: item.finding.range.start.line, label: item.finding.id, seriesId: head.id } : undefined);
    }),
    // The compact layout's ⋯: the chosen action runs as its own lens would (its result returned).
    vscode.commands.registerCommand(LENS_ACTIONS_COMMAND, async (actions: readonly vscode.Command[] = []) => {
      const picked = await vscode.window.showQuickPick(actions.map(a => ({ label: a.title, detail: a.tooltip, action: a })), { placeHolder: 'Perf Lens: more actions' });
      return picked && vscode.commands.executeCommand(picked.action.command, ...(picked.action.arguments ?? []));
    }),
    vscode.languages.registerCodeLensProvider(
      ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'go'].map(language => ({ scheme: 'file', language })),
      provider,
    ),
    results.onDidChange(() => provider.refresh()),
    ...(indexChanged ? [indexChanged(remapSoon)] : []),
    vscode.workspace.onDidChangeTextDocument(e => {
      if (e.contentChanges.length && e.document.uri.scheme === 'file') documents.edit(docRef(e.document), e.contentChanges);
    }),
    vscode.workspace.onDidCloseTextDocument(d => documents.forget(d.uri.toString())),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('perfLens.codeLens')) provider.refresh();
    }),
  ];
}
