// VS Code side of the workspace index: one WorkspaceIndex per file-scheme folder, scanned on
// activation in a worker thread with progress in the status bar (cancelled when the folder
// goes away or the extension stops), then kept current by a file watcher. Bounded by
// WorkspaceIndex's limits (20,000 files, 1 MiB each).
import * as path from 'path';
import * as vscode from 'vscode';
import { scanIncludes, SKIPPED_DIRS } from '../core/locate/scan';
import { CreatedFolderWatch } from './createdFolders';
import type { Log } from '../util/log';
import { WorkspaceIndex } from './workspaceIndex';
import { relativePosix } from '../core/relativePath';

/** After the first scan, when files modified since it began are located again (scheduleCatchUps). */
const CATCH_UP_AFTER_MS = [5_000, 30_000];
/** Every extension languageForPath knows (src/core/locate/types.ts). */
const SOURCE_GLOB = '**/*.{py,js,cjs,mjs,jsx,ts,cts,mts,tsx,go}';

interface Folder {
  index: WorkspaceIndex;
  cancel: vscode.CancellationTokenSource;
  disposables: vscode.Disposable[];
  scanned: Promise<void>;
}

export class WorkspaceIndexing implements vscode.Disposable {
  private readonly folders = new Map<string, Folder>();
  private readonly changed = new vscode.EventEmitter<{ index: WorkspaceIndex; paths: readonly string[] }>();
  /** Findings of these files (relative to the index's root) changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** The last watcher events, newest last (perfLens.workspaceIndexStatus, for tests and bug reports). */
  private readonly events: string[] = [];

  constructor(private readonly log: Log) {
    for (const f of vscode.workspace.workspaceFolders ?? []) this.add(f);
    this.disposables.push(
      // Not in the palette: what the index holds, for tests and bug reports.
      vscode.commands.registerCommand('perfLens.workspaceIndexStatus', () =>
        [...this.folders.values()].map(({ index }) => ({ root: index.root, status: index.status, files: index.paths(), summary: index.scanSummary, events: [...this.events] })),
      ),
      vscode.workspace.onDidChangeWorkspaceFolders(e => {
        e.removed.forEach(f => this.remove(f));
        e.added.forEach(f => this.add(f));
      }),
    );
  }

  indexes(): WorkspaceIndex[] {
    return [...this.folders.values()].map(f => f.index);
  }

  /** Resolves when every folder's first scan has finished (or was cancelled). */
  ready(): Promise<void> {
    return Promise.all([...this.folders.values()].map(f => f.scanned)).then(() => undefined);
  }

  private add(folder: vscode.WorkspaceFolder): void {
    if (folder.uri.scheme !== 'file' || this.folders.has(folder.uri.toString())) return;
    const root = folder.uri.fsPath;
    const index = new WorkspaceIndex(root);
    const cancel = new vscode.CancellationTokenSource();
    const rel = (uri: vscode.Uri, event?: string) => {
      const r = relativePosix(root, uri.fsPath);
      if (event && this.events.push(`${event} ${r}`) > 50) this.events.shift();
      return r;
    };
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, SOURCE_GLOB), false, false, true);
    // Any path, for folders: one that appears with files in it may be reported as the folder
    // alone, and a deleted folder is reported once, as the folder.
    const anyPath = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'), false, true, false);
    const onError = (e: unknown) => this.log.warn(`workspace index of ${folder.name}: ${(e as Error).message}`);
    // Folders created from now on are watched by us too: VS Code's watcher can miss what happens inside them.
    const created = new CreatedFolderWatch(root, {
      enters: r => scanIncludes(root, r, true),
      onEvent: e => {
        if (this.events.push(`fs.watch ${e.kind} ${e.rel}`) > 50) this.events.shift();
        const work = e.kind === 'folder' ? index.folderCreated(e.rel) : e.kind === 'changed' ? index.fileChanged(e.rel) : index.fileDeleted(e.rel);
        void work.catch(onError);
      },
      onLimit: max => this.log.warn(`workspace index of ${folder.name}: ${max} folders (created since start-up, or holding findings) are watched by Perf Lens itself; edits in further ones may be missed if VS Code's watcher misses them, until the window is reloaded`),
    });
    const folderCreated = async (uri: vscode.Uri) => {
      const r = rel(uri, 'path created');
      if (r.split('/').some(part => SKIPPED_DIRS.has(part))) return; // npm install, builds: no stat per file
      if (!((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory)) return;
      await created.add(r); // watch first, then look inside: nothing created in between is missed
      await index.folderCreated(r);
    };
    const entry: Folder = {
      index,
      cancel,
      disposables: [
        watcher,
        watcher.onDidCreate(u => void index.fileChanged(rel(u, 'created')).catch(onError)),
        watcher.onDidChange(u => void index.fileChanged(rel(u, 'changed')).catch(onError)),
        anyPath,
        created,
        anyPath.onDidCreate(u => void folderCreated(u).catch(() => undefined)), // gone again before the stat
        anyPath.onDidDelete(u => void index.fileDeleted(rel(u, 'deleted')).catch(onError)),
        index.onDidChange(paths => {
          // Folders holding findings are watched by us too: VS Code's watcher can miss a folder
          // created while it starts, and every edit in it after (createdFolders.ts).
          for (const p of paths) {
            const dir = path.posix.dirname(p);
            if (dir !== '.' && index.findings(p).length) created.watchFolder(dir);
          }
          this.changed.fire({ index, paths });
        }),
        cancel,
      ],
      scanned: Promise.resolve(),
    };
    this.folders.set(folder.uri.toString(), entry);
    entry.scanned = this.scan(folder.name, entry).catch(onError);
  }

  private async scan(name: string, entry: Folder): Promise<void> {
    const started = Date.now();
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Perf Lens: indexing ${name}` },
      progress =>
        entry.index.scan(
          p => progress.report({ message: `${p.filesLocated} files` }),
          () => entry.cancel.token.isCancellationRequested,
        ),
    );
    this.scheduleCatchUps(name, entry);
    const s = entry.index.scanSummary;
    if (entry.index.status === 'ready' && s) {
      const skipped = Object.entries(s.skipped).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
      this.log.info(
        `workspace index of ${name}: ${s.filesLocated} files located in ${Date.now() - started} ms, ${entry.index.paths().length} with findings` +
          `${skipped ? ` (skipped: ${skipped})` : ''}${s.truncated ? ' — stopped at the file limit' : ''}`,
      );
    }
  }

  /**
   * Files written as the window opened can get no watcher event at all (seen in CI: a test's
   * files, created while VS Code's watcher started, stayed unindexed, with their diagnostics).
   * Twice after the first scan, files modified since it began are located again (stats only,
   * for the rest).
   */
  private scheduleCatchUps(name: string, entry: Folder): void {
    if (entry.index.status !== 'ready') return;
    const cancelled = () => entry.cancel.token.isCancellationRequested;
    for (const ms of CATCH_UP_AFTER_MS) {
      const timer = setTimeout(() => {
        void entry.index.catchUp(cancelled).then(
          n => n && this.log.info(`workspace index of ${name}: ${n} file${n === 1 ? '' : 's'} modified since the scan began, located again`),
          (e: Error) => this.log.warn(`workspace index of ${name}: catch-up failed: ${e.message}`),
        );
      }, ms);
      entry.disposables.push({ dispose: () => clearTimeout(timer) });
    }
  }

  private remove(folder: vscode.WorkspaceFolder): void {
    this.drop(folder.uri.toString());
  }

  private drop(key: string): void {
    const entry = this.folders.get(key);
    if (!entry) return;
    entry.cancel.cancel();
    entry.disposables.forEach(d => d.dispose());
    entry.index.dispose();
    this.folders.delete(key);
  }

  dispose(): void {
    for (const key of [...this.folders.keys()]) this.drop(key);
    this.disposables.forEach(d => d.dispose());
    this.changed.dispose();
  }
}
