// One ResultsStore per workspace folder, kept fresh by file watchers: result files written
// by runs started anywhere (a task, a terminal, CI scripts) are ingested; history, baselines
// and config edits made elsewhere (the CLI, git checkout) reload the store.
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FILE } from '../core/config/projectConfig';
import { debounce } from '../util/debounce';
import type { Log } from '../util/log';
import { CreatedFolderWatch } from './createdFolders';
import { watchNamedFiles } from './namedFileWatch';
import { ResultsStore } from './resultsStore';
import { relativePosix } from '../core/relativePath';

/** Where suites write result files unless their config says otherwise. */
export const DEFAULT_RESULTS_GLOB = '.perf/results/**/*.{json,jsonl,csv,txt}';
/** Locust writes a family of CSVs; `_stats.csv` stands for all of them. */
const LOCUST_SIBLING = /_(stats_history|failures|exceptions)\.csv$/;
/** A result file must be quiet this long before it is read (tools write in several steps). */
const SETTLE_MS = 1500;
const RESULT_FILE = /\.(json|jsonl|csv|txt)$/;
/** Files in .perf whose change reloads the store. */
const STORE_FILES = new Set(['.perf/baselines.json', '.perf/noise.json']);
/** The run history's month files (core/store/history.ts): a run appended outside the editor reloads the store. */
const HISTORY_FOLDER = '.perf/history';
const HISTORY_FILE = /^\.perf\/history\/[^/]+\.jsonl$/;

export class WorkspaceResults implements vscode.Disposable {
  private readonly stores = new Map<string, { store: ResultsStore; watchers: vscode.Disposable[] }>();
  private readonly changed = new vscode.EventEmitter<ResultsStore>();
  readonly onDidChange = this.changed.event;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly seen = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: Log) {
    for (const f of vscode.workspace.workspaceFolders ?? []) this.add(f);
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(e => {
        e.removed.forEach(f => this.remove(f));
        e.added.forEach(f => this.add(f));
      }),
    );
  }

  /** Every folder's store has read its files once. */
  ready(): Promise<void> {
    return Promise.all([...this.stores.values()].map(s => s.store.reload())).then(() => undefined);
  }

  all(): ResultsStore[] {
    return [...this.stores.values()].map(s => s.store);
  }

  storeFor(uri: vscode.Uri): ResultsStore | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.stores.get(folder.uri.toString())?.store : undefined;
  }

  private add(folder: vscode.WorkspaceFolder): void {
    if (folder.uri.scheme !== 'file') return;
    const store = new ResultsStore(folder.uri.fsPath, { log: this.log });
    const reloadSoon = debounce(() => void store.reload(), 300);
    const watch = (glob: string, onEvent: (uri: vscode.Uri) => void): vscode.Disposable[] => {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
      return [w, w.onDidCreate(onEvent), w.onDidChange(onEvent), w.onDidDelete(onEvent)];
    };
    // A results folder created together with its first file can reach us as the folder only
    // (the watcher starts watching inside it too late): look inside when a folder appears.
    const scanNewFolder = async (dir: vscode.Uri) => {
      const inside = new vscode.RelativePattern(dir, '**/*.{json,jsonl,csv,txt}');
      for (const uri of await vscode.workspace.findFiles(inside)) if (uri.fsPath.includes(`${path.sep}.perf${path.sep}results${path.sep}`)) this.scheduleIngest(store, uri);
    };
    const results = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '{.perf,.perf/results,.perf/results/**}'), false, true, true);
    // Results folders created from now on are watched by us too (a tool's `mkdir -p .perf/results/pages`
    // leaves pages/ unwatched by VS Code): see createdFolders.ts.
    const root = folder.uri.fsPath;
    const created = new CreatedFolderWatch(root, {
      enters: rel => rel === '.perf' || rel === HISTORY_FOLDER || rel === '.perf/results' || rel.startsWith('.perf/results/'),
      onEvent: e => {
        const uri = vscode.Uri.file(path.join(root, e.rel));
        if (STORE_FILES.has(e.rel) || HISTORY_FILE.test(e.rel) || e.rel === HISTORY_FOLDER) reloadSoon();
        else if (e.kind === 'folder') void scanNewFolder(uri);
        else if (e.kind === 'changed' && RESULT_FILE.test(e.rel) && e.rel.startsWith('.perf/results/')) this.scheduleIngest(store, uri);
      },
    });
    // The config and the stores in .perf are watched by us as well (namedFileWatch.ts says why).
    // The history too: `mkdir -p .perf/history` by the first run left it unwatched by VS Code now
    // and then (createdFolders.ts), so runs a terminal or script appended were never shown (seen
    // in CI: a level shift written to the history never reached the hover).
    created.watchFolder('.perf');
    created.watchFolder(HISTORY_FOLDER);
    const watchers = [
      ...watch(`{${[CONFIG_FILE, ...STORE_FILES].join(',')},${HISTORY_FOLDER}/*.jsonl}`, () => reloadSoon()),
      watchNamedFiles(root, [CONFIG_FILE], () => reloadSoon()),
      ...watch(DEFAULT_RESULTS_GLOB, uri => this.scheduleIngest(store, uri)),
      results,
      created,
      results.onDidCreate(uri => {
        if (RESULT_FILE.test(uri.fsPath)) return;
        const rel = relativePosix(root, uri.fsPath);
        // Watch first, then look inside: nothing written in between is missed.
        void created.add(rel).then(() => scanNewFolder(uri)).catch(e => this.log.warn(`results folder ${rel}: ${(e as Error).message}`));
      }),
      store.onDidChange(() => this.changed.fire(store)),
    ];
    this.stores.set(folder.uri.toString(), { store, watchers });
    void store.reload().then(() => this.watchConfiguredResults(folder, store));
  }

  /** Result globs named by the project's suites are watched too (rebuilt when the config changes). */
  private watchConfiguredResults(folder: vscode.WorkspaceFolder, store: ResultsStore): void {
    const entry = this.stores.get(folder.uri.toString());
    if (!entry) return;
    const globs = [...new Set(store.config.suites.flatMap(s => s.results))].filter(g => !g.startsWith('.perf/results/'));
    for (const glob of globs) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
      entry.watchers.push(w, w.onDidCreate(u => this.scheduleIngest(store, u)), w.onDidChange(u => this.scheduleIngest(store, u)));
    }
  }

  private scheduleIngest(store: ResultsStore, uri: vscode.Uri): void {
    if (LOCUST_SIBLING.test(uri.fsPath)) return;
    const key = uri.fsPath;
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.ingestQuietly(store, uri);
      }, SETTLE_MS),
    );
  }

  private async ingestQuietly(store: ResultsStore, uri: vscode.Uri): Promise<void> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (this.seen.get(uri.fsPath) === stat.mtime) return; // the same write, seen twice
      this.seen.set(uri.fsPath, stat.mtime);
      await store.ingest(uri.fsPath, { suite: this.suiteOf(store, uri) });
    } catch (e) {
      if (e instanceof vscode.FileSystemError) return; // deleted before it settled
      this.log.warn(`not ingested: ${(e as Error).message}`);
    }
  }

  /**
   * Ingest a file now (the import command, a finished task). With `skipIfSeen`, a write the
   * watcher already ingested is not stored twice; returns the number of series stored.
   */
  async ingest(uri: vscode.Uri, suite?: string, opts: { skipIfSeen?: boolean } = {}): Promise<number> {
    const store = this.storeFor(uri) ?? this.all()[0];
    if (!store) throw new Error('open a workspace folder to keep results');
    let mtime: number | undefined;
    try {
      mtime = (await vscode.workspace.fs.stat(uri)).mtime;
    } catch {
      /* outside the workspace or gone: nothing to de-duplicate */
    }
    if (opts.skipIfSeen && mtime !== undefined && this.seen.get(uri.fsPath) === mtime) return 0;
    if (mtime !== undefined) this.seen.set(uri.fsPath, mtime);
    clearTimeout(this.pending.get(uri.fsPath));
    const run = await store.ingest(uri.fsPath, { suite: suite ?? this.suiteOf(store, uri) });
    return run.series.length;
  }

  private suiteOf(store: ResultsStore, uri: vscode.Uri): string | undefined {
    const rel = relativePosix(store.folder, uri.fsPath);
    return store.config.suites.find(s => s.results.some(r => r === rel))?.name;
  }

  private remove(folder: vscode.WorkspaceFolder): void {
    const entry = this.stores.get(folder.uri.toString());
    if (!entry) return;
    entry.watchers.forEach(w => w.dispose());
    entry.store.dispose();
    this.stores.delete(folder.uri.toString());
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    for (const f of vscode.workspace.workspaceFolders ?? []) this.remove(f);
    this.changed.dispose();
    this.disposables.forEach(d => d.dispose());
  }
}
