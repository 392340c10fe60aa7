// Wiring only: shared workspace state first, then each feature registers itself and
// returns its disposables.
import * as vscode from 'vscode';
import { setGrammarDir } from './core/locate/parser';
import * as abCompare from './features/abCompare';
import * as codelens from './features/codelens';
import * as commands from './features/commands';
import * as diagnostics from './features/diagnostics';
import * as calibrate from './features/calibrate';
import * as hover from './features/hover';
import * as shiftHover from './features/shiftHover';
import * as keepSampling from './features/keepSampling';
import * as autoRun from './features/autoRun';
import * as metricsAlerts from './features/metricsAlerts';
import { createLog } from './features/log';
import * as pageLens from './features/pageLens';
import * as panel from './features/panel';
import * as queryLens from './features/queryLens';
import * as setupPrompt from './features/setupPrompt';
import * as statusbar from './features/statusbar';
import * as tasks from './features/tasks';
import * as testing from './features/testing';
import { DocumentItems } from './workspace/documentItems';
import { LiveRuns } from './workspace/liveRuns';
import { WorkspaceResults } from './workspace/workspaceResults';
import { WorkspaceIndexing } from './workspace/workspaceIndexing';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  setGrammarDir(vscode.Uri.joinPath(context.extensionUri, 'dist', 'grammars').fsPath);
  const results = new WorkspaceResults(log);
  const documents = new DocumentItems();
  // Findings of every file (not only open ones), scanned in a worker thread, kept fresh by a watcher.
  const workspaceIndex = new WorkspaceIndexing(log);
  // Handlers of a router mounted in another file (include_router, app.use) get the full route from it.
  documents.useCrossFileRoutes(doc => {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(doc.key));
    return workspaceIndex.indexes().find(i => i.root === folder?.uri.fsPath)?.crossFileRoutes;
  });
  // Progress of running engines, tailed from .perf/live/*.jsonl (panel, status bar, alerts).
  const live = new LiveRuns();
  for (const f of vscode.workspace.workspaceFolders ?? []) live.addFolder(f.uri.fsPath);
  context.subscriptions.push(
    live,
    vscode.workspace.onDidChangeWorkspaceFolders(e => {
      for (const f of e.added) live.addFolder(f.uri.fsPath);
      for (const f of e.removed) live.removeFolder(f.uri.fsPath);
    }),
    log,
    results,
    documents,
    results.onDidChange(() => documents.invalidate()),
    ...panel.register(context, log, live),
    ...codelens.register(results, documents, log, workspaceIndex.onDidChange),
    ...queryLens.register(results),
    ...pageLens.register(results),
    ...hover.register(results, documents),
    ...shiftHover.register(results, documents),
    ...calibrate.register(results, log, context.extensionUri),
    workspaceIndex,
    ...diagnostics.register(results, documents, log, workspaceIndex),
    ...statusbar.register(results, live),
    ...metricsAlerts.register(live, log),
    ...tasks.register(results, log, context.extensionUri, live),
    ...abCompare.register(results, log, context.extensionUri),
    ...keepSampling.register(results, log),
    ...autoRun.register(log),
    ...testing.register(results, log),
    ...commands.register(results, log),
    ...setupPrompt.register(context, results),
  );
  log.info(`Perf Lens ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
