// The Perf Lens panel: one webview panel per window, restored after a reload by
// a serializer. The page is dist/webview.js under a strict CSP; it asks for
// content with `ready` and renders everything as text.
import * as vscode from 'vscode';
import type { Log } from '../util/log';
import {
  isWebviewMessage,
  type HostMessage,
  type LiveTimelinePoint,
  type PanelContent,
  type PanelFocus,
  type PanelState,
  type ViewQuery,
  type WebviewMessage,
  type WebviewRequest,
  type ReplyResult,
  type ServerMetricsColumns,
} from '../shared/protocol';
import type { TimelinePoint } from '../core/model';
import type { MetricsPoint } from '../core/metrics/derive';
import type { LiveEvent, LiveRuns } from '../workspace/liveRuns';
import { panelHtml } from './panelHtml';
import { buildView, HistoryDataSource, isMetricsPoint, liveServerColumns, ResultsStoreSource, runMeta, viewFor, type PanelDataSource, type StoredRun } from './panelData';
import type { ResultsStore } from '../workspace/resultsStore';

export const PANEL_VIEW_TYPE = 'perfLens.panel';
export const PANEL_COMMAND = 'perfLens.showPanel';
/** The only commands the webview may ask for (protocol: runCommand). */
const WEBVIEW_COMMANDS: ReadonlySet<string> = new Set(['perfLens.showLog', 'perfLens.openConfig']);

export class PerfLensPanel implements vscode.Disposable {
  private static current: PerfLensPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  /** A view is being built: live points wait for its reply (the webview drops points for other views). */
  private building = false;
  /** What the webview shows now (it tells us), so live points go only where they belong. */
  private view: ViewQuery | undefined;

  static createOrShow(extensionUri: vscode.Uri, log: Log, focus?: PanelFocus): PerfLensPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (PerfLensPanel.current) {
      PerfLensPanel.current.panel.reveal(column);
      PerfLensPanel.current.focus = focus ?? PerfLensPanel.current.focus;
      void PerfLensPanel.current.update();
      return PerfLensPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Perf Lens', column, webviewOptions(extensionUri));
    PerfLensPanel.current = new PerfLensPanel(panel, extensionUri, log, focus);
    return PerfLensPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: Log, state: PanelState | undefined): void {
    panel.webview.options = webviewOptions(extensionUri);
    PerfLensPanel.current?.dispose();
    PerfLensPanel.current = new PerfLensPanel(panel, extensionUri, log, state?.focus);
  }

  /** The open panel, if any (integration tests use it through the showPanel command's return value). */
  static get instance(): PerfLensPanel | undefined {
    return PerfLensPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: Log,
    private focus: PanelFocus | undefined,
  ) {
    panel.webview.html = panelHtml(panel.webview, extensionUri);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage(m => this.onMessage(m), undefined, this.disposables);
    this.disposables.push(dataSource().onDidChange(() => void this.update()));
  }

  /**
   * Live load test: appends points to the load chart when it shows `runId` (the engine calls
   * this as it streams; `done` marks the end). Returns false when no panel shows that run.
   */
  static appendTimeline(runId: string, seriesId: string, points: LiveTimelinePoint[], done = false): boolean {
    const p = PerfLensPanel.current;
    if (!p?.ready || p.building || p.view?.view !== 'load' || p.view.runId !== runId) return false;
    void p.post({ type: 'timeline', runId, seriesId, points, done });
    return true;
  }

  /** Live load test: the server metrics so far, to the open panel when it shows `runId`. */
  static postServer(runId: string): boolean {
    const p = PerfLensPanel.current;
    if (!p?.ready || p.building || p.view?.view !== 'load' || p.view.runId !== runId) return false;
    const server = liveServer(runId);
    if (!server) return false;
    void p.post({ type: 'server', runId, server });
    return true;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** What the webview shows now, as it told us. */
  get currentView(): ViewQuery | undefined {
    return this.view;
  }

  /** A live run started: switch the open panel to it (the view is served from the live run). */
  static showLive(runId: string): void {
    const p = PerfLensPanel.current;
    if (!p) return;
    p.focus = { runId };
    if (!p.ready) return; // `ready` shows the focus
    void p.content().then(content => p.post({ type: 'show', content }));
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) {
      this.log.warn('panel: ignored a malformed message from the webview');
      return;
    }
    await this.handle(message);
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.focus = this.focus ?? message.state?.focus;
        this.view = message.state?.view;
        await this.update();
        return;
      case 'state':
        this.view = message.state.view;
        return;
      case 'request':
        try {
          const result = await this.serve(message.request);
          await this.post({ type: 'reply', requestSeq: message.seq, ok: true, result });
          if (result.kind === 'view' && result.data.view === 'load') this.catchUp(result.data.run.id, result.data.timeline?.rawPoints ?? 0);
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          this.log.warn(`panel: ${message.request.kind} failed: ${error}`);
          await this.post({ type: 'reply', requestSeq: message.seq, ok: false, error });
        }
        return;
    }
  }

  private async serve(request: WebviewRequest): Promise<ReplyResult> {
    switch (request.kind) {
      case 'openFile': {
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (!folder) throw new Error('no workspace folder is open');
        const uri = vscode.Uri.joinPath(folder.uri, request.file);
        const line = request.line ?? 0;
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
        return { kind: 'openedFile' };
      }
      case 'runCommand':
        // The message is only type-checked on arrival: never let a webview run any other command.
        if (!WEBVIEW_COMMANDS.has(request.command)) throw new Error(`the panel may not run ${String(request.command)}`);
        await vscode.commands.executeCommand(request.command);
        return { kind: 'ranCommand' };
      case 'view': {
        this.building = true;
        try {
          const data = await buildView(dataSource(), request.query);
          // A live load run's server metrics are not stored yet: from its `metrics` events.
          if (data.view === 'load' && !data.server) data.server = liveServer(data.run.id);
          this.view = request.query;
          return { kind: 'view', data };
        } finally {
          this.building = false;
        }
      }
      case 'save':
        return { kind: 'saved', path: await save(request.format, request.suggestedName, request.data) };
    }
  }

  /** Points of a live run that arrived after its view was built. */
  private catchUp(runId: string, shown: number): void {
    const run = live.runs.get(runId);
    const tl = run?.series[0].timeline;
    if (!run || !tl) return;
    if (tl.length > shown && PerfLensPanel.appendTimeline(runId, run.series[0].id, tl.slice(shown), live.done.has(runId))) live.postedPoints += tl.length - shown;
    else if (live.done.has(runId)) PerfLensPanel.appendTimeline(runId, run.series[0].id, [], true);
  }

  private async update(): Promise<void> {
    if (!this.ready) return; // the webview asks with `ready`; posting earlier would be lost
    await this.post({ type: 'show', content: await this.content() });
  }

  private async content(): Promise<PanelContent> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const source = dataSource();
    const runs = await source.listRuns(300);
    return {
      focus: this.focus,
      workspaces: folders.map(f => f.name),
      runCount: runs.length,
      headline: runs.length ? `${runs.length} stored run${runs.length === 1 ? '' : 's'}` : 'No runs stored yet — run a suite to see charts here',
      runs,
      initialView: await initialView(source, this.focus),
    };
  }

  private post(message: HostMessage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (PerfLensPanel.current === this) PerfLensPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/** The view a focus asks for: a run, a series' history, or the newest run of the lens's file. */
async function initialView(source: PanelDataSource, focus: PanelFocus | undefined): Promise<ViewQuery | undefined> {
  if (!focus) return undefined;
  if (focus.seriesId) return { view: 'history', seriesId: focus.seriesId };
  if (focus.runId) {
    const run = await source.getRun(focus.runId);
    return run ? viewFor(run) : undefined;
  }
  // A lens's label is the located item's id: when runs hold a series by that id, chart its history.
  if (focus.label && (await source.seriesHistory(focus.label, 1)).length) return { view: 'history', seriesId: focus.label };
  const file = focus.file;
  if (!file) return undefined;
  const isLoadFile = /(^|\/)locustfile\.py$|\.k6\.js$/.test(file);
  for (const meta of await source.listRuns(100)) {
    if (isLoadFile && meta.kind !== 'load') continue;
    const run = await source.getRun(meta.id);
    if (!run) continue;
    if (isLoadFile || run.source === file || run.series.some(s => s.id.startsWith(`${file}::`))) return viewFor(run);
  }
  return undefined;
}

async function save(format: 'png' | 'csv', suggestedName: string, data: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = suggestedName.replace(/[^\w.-]+/g, '_');
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: format === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] },
    title: `Export chart ${format === 'png' ? 'image' : 'data'}`,
  });
  if (!target) return undefined;
  const bytes = format === 'png' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
  return target.fsPath;
}

let source: PanelDataSource | undefined;

// ---- live load runs ----------------------------------------------------------------

/**
 * Load runs streaming now (and the last few that finished), as runs the panel can show: the
 * load view of a live run is built from here and then fed point by point (appendTimeline).
 */
const live = {
  runs: new Map<string, StoredRun>(),
  byKey: new Map<string, string>(),
  done: new Set<string>(),
  /** Server metrics of live runs (`metrics` and `alert` events of the engine's scraper). */
  server: new Map<string, { points: MetricsPoint[]; findings: string[] }>(),
  /** Counters for `perfLens.liveStatus` (diagnostics; the integration tests read them). */
  events: 0,
  postedPoints: 0,
};
const LIVE_KEEP = 5;
const LIVE_SERIES = 'Aggregated';

function isPoint(v: unknown): v is TimelinePoint {
  const p = v as TimelinePoint | undefined;
  return !!p && typeof p === 'object' && typeof p.t === 'number' && typeof p.requests === 'number' && typeof p.failures === 'number';
}

/** One event of a running engine → the live run it belongs to, and the open panel. */
export function onLiveEvent(e: LiveEvent): void {
  live.events++;
  const key = `${e.folder}\0${e.suite}`;
  const ev = e.event;
  if (ev.type === 'start') {
    if (ev.kind !== 'load') return;
    const startedAt = typeof ev.startedAt === 'string' ? ev.startedAt : new Date().toISOString();
    const id = `live:${e.suite}:${startedAt}`;
    live.runs.set(id, {
      id, tool: 'perf-lens', kind: 'load', suite: e.suite, startedAt,
      series: [{ id: LIVE_SERIES, group: 'Aggregated', metric: 'duration', unit: 's', summary: {}, timeline: [] }],
      notes: ['live: the load test is running; this view updates every second'],
    });
    live.byKey.set(key, id);
    while (live.runs.size > LIVE_KEEP) {
      const oldest = live.runs.keys().next().value as string;
      live.runs.delete(oldest);
      live.done.delete(oldest);
      live.server.delete(oldest);
    }
    PerfLensPanel.showLive(id);
    return;
  }
  const id = live.byKey.get(key);
  const run = id ? live.runs.get(id) : undefined;
  if (!id || !run || live.done.has(id)) return;
  if (ev.type === 'metrics' && isMetricsPoint(ev)) {
    const s = live.server.get(id) ?? { points: [], findings: [] };
    live.server.set(id, s);
    s.points.push(ev);
    PerfLensPanel.postServer(id);
  } else if (ev.type === 'alert' && ev.state === 'firing' && typeof ev.message === 'string') {
    const s = live.server.get(id) ?? { points: [], findings: [] };
    live.server.set(id, s);
    s.findings.push(`alert ${ev.message}`);
    PerfLensPanel.postServer(id);
  } else if (ev.type === 'progress' && isPoint(ev.point)) {
    const point: TimelinePoint = ev.point;
    run.series[0].timeline!.push(point);
    if (PerfLensPanel.appendTimeline(id, LIVE_SERIES, [point])) live.postedPoints++;
  } else if (ev.type === 'done' || ev.type === 'error' || ev.type === 'ended') {
    live.done.add(id);
    run.notes = [ev.type === 'done' ? 'live: finished; the stored run is in the run list' : `live: stopped (${typeof ev.message === 'string' ? ev.message : `exit ${String(ev.exitCode)}`})`];
    PerfLensPanel.appendTimeline(id, LIVE_SERIES, [], true);
  }
}

/** Server columns of a live run, on the client timeline's time axis; undefined before its first scrape interval. */
function liveServer(runId: string): ServerMetricsColumns | undefined {
  const run = live.runs.get(runId);
  const s = live.server.get(runId);
  if (!run || !s?.points.length) return undefined;
  const t0 = run.series[0].timeline?.[0]?.t ?? Date.parse(run.startedAt) / 1000;
  return liveServerColumns(s.points, s.findings, runMeta(run), t0);
}

/** Live runs first, then the stored ones. */
function withLive(base: PanelDataSource): PanelDataSource {
  return {
    listRuns: async limit => [...[...live.runs.values()].reverse().map(runMeta), ...(await base.listRuns(limit))],
    getRun: async id => live.runs.get(id) ?? base.getRun(id),
    seriesHistory: (id, limit) => base.seriesHistory(id, limit),
    baseline: base.baseline ? (id, mc) => base.baseline!(id, mc) : undefined,
    onDidChange: listener => base.onDidChange(listener),
  };
}

/** The integrator swaps in the workspace results store here; the default reads .perf/history of the first folder. */
export function setPanelDataSource(s: PanelDataSource): void {
  source = s;
}

function baseSource(): PanelDataSource {
  if (!source) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    source = new HistoryDataSource(folder ? folder.uri.fsPath : process.cwd());
  }
  return source;
}

function dataSource(): PanelDataSource {
  return live.runs.size ? withLive(baseSource()) : baseSource();
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * `results`: the workspace's results stores (WorkspaceResults): the panel then reads the first
 * folder's store, the one the lenses read; without it, .perf/history with a watcher of its own.
 */
export function register(context: vscode.ExtensionContext, log: Log, liveRuns?: LiveRuns, results?: { all(): ResultsStore[] }): vscode.Disposable[] {
  const store = results?.all()[0];
  if (store) setPanelDataSource(new ResultsStoreSource(store));
  const watcher = vscode.workspace.createFileSystemWatcher('**/.perf/{history/*.jsonl,baselines.json}');
  const changed = () => {
    const s = baseSource();
    if (s instanceof HistoryDataSource) s.notify();
  };
  return [
    ...(liveRuns ? [liveRuns.onLiveEvent(onLiveEvent)] : []),
    vscode.commands.registerCommand('perfLens.liveStatus', () => ({
      running: liveRuns?.running() ?? [],
      events: live.events,
      postedPoints: live.postedPoints,
      liveRuns: [...live.runs.keys()],
      panelView: PerfLensPanel.instance?.currentView,
    })),
    watcher,
    watcher.onDidChange(changed),
    watcher.onDidCreate(changed),
    watcher.onDidDelete(changed),
    vscode.commands.registerCommand(PANEL_COMMAND, (focus?: PanelFocus) =>
      PerfLensPanel.createOrShow(context.extensionUri, log, focus),
    ),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        PerfLensPanel.revive(panel, context.extensionUri, log, state as PanelState | undefined);
      },
    }),
    { dispose: () => PerfLensPanel.instance?.dispose() },
  ];
}
