// "Perf Lens: Compare with Merge Base": runs `perf-lens ab` (the bundled CLI) as a task — long
// work never runs on the extension host — then opens its Markdown report in the preview.
// Argument (from the A/B code lens action, or none for quick picks):
//   { folder?: string /* folder uri */, suite?: string, ids?: string[], rounds?: number }
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Log } from '../util/log';
import type { WorkspaceResults } from '../workspace/workspaceResults';

export const COMPARE_WITH_MERGE_BASE = 'perfLens.compareWithMergeBase';
export const AB_TASK_TYPE = 'perf-lens-ab';

export interface AbCompareArgs {
  folder?: string;
  suite?: string;
  ids?: string[];
  /** Rounds per side (default: the CLI's). */
  rounds?: number;
}

export interface AbCompareOutcome {
  report: string;
  exitCode: number | undefined;
}

async function pickFolder(arg: AbCompareArgs | undefined): Promise<vscode.WorkspaceFolder | undefined> {
  if (arg?.folder) {
    const f = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(arg.folder));
    if (!f) void vscode.window.showErrorMessage(`Perf Lens: ${arg.folder} is not a folder of this workspace.`);
    return f;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.length <= 1 ? folders[0] : vscode.window.showWorkspaceFolderPick({ placeHolder: 'Compare which folder with its merge base?' });
}

function waitForEnd(execution: vscode.TaskExecution): Promise<number | undefined> {
  return new Promise(resolve => {
    const sub = vscode.tasks.onDidEndTaskProcess(e => {
      if (e.execution !== execution) return;
      sub.dispose();
      resolve(e.exitCode);
    });
  });
}

export function register(results: WorkspaceResults, log: Log, extensionUri: vscode.Uri): vscode.Disposable[] {
  const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;

  async function compare(arg?: AbCompareArgs): Promise<AbCompareOutcome | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showInformationMessage('Perf Lens: A/B runs benchmarks; trust the workspace first.');
      return undefined;
    }
    await results.ready();
    const folder = await pickFolder(arg);
    if (!folder) return undefined;
    const store = results.storeFor(folder.uri);
    const regression = store?.config.suites.filter(s => s.kind === 'regression') ?? [];
    let suite = arg?.suite;
    if (!suite) {
      suite = regression.length === 1 ? regression[0].name : await vscode.window.showQuickPick(regression.map(s => s.name), { placeHolder: 'Compare which suite with the merge base?' });
    }
    if (!suite) {
      if (!regression.length) void vscode.window.showInformationMessage('Perf Lens: A/B needs a regression suite in perf-lens.config.json.');
      return undefined;
    }
    let ids = arg?.ids;
    if (!arg) {
      // Benchmarks seen in this suite's results; none picked (or none known) → the whole suite.
      const known = (store?.all() ?? []).filter(s => !s.run.suite || s.run.suite === suite).map(s => s.id).sort();
      if (known.length) {
        const picked = await vscode.window.showQuickPick(known.map(id => ({ label: id })), { canPickMany: true, placeHolder: 'Which benchmarks? (none = all of the suite)' });
        if (picked === undefined) return undefined;
        ids = picked.map(p => p.label);
      }
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const report = path.join(folder.uri.fsPath, '.perf', 'ab', `${stamp}.md`);
    const args = [cli, 'ab', '--cwd', folder.uri.fsPath, '--suite', suite, '--format', 'md', '--out', report];
    if (arg?.rounds) args.push('--rounds', String(arg.rounds));
    if (ids?.length) args.push('--bench', ...ids);
    const task = new vscode.Task(
      { type: AB_TASK_TYPE, suite, ids: ids ?? [] },
      folder,
      `A/B ${suite} vs merge base`,
      'perf',
      // The CLI is Node code: the editor's own binary runs it as plain Node.
      new vscode.ProcessExecution(process.execPath, args, { cwd: folder.uri.fsPath, env: { ELECTRON_RUN_AS_NODE: '1' } }),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
    log.info(`A/B: ${suite}${ids?.length ? ` (${ids.join(', ')})` : ''} in ${folder.uri.fsPath}`);
    const execution = await vscode.tasks.executeTask(task);
    const exitCode = await waitForEnd(execution);
    if (!fs.existsSync(report)) {
      void vscode.window.showErrorMessage(`Perf Lens: A/B ended (exit ${exitCode ?? 'unknown'}) without a report; see the task's terminal.`);
      return { report, exitCode };
    }
    try {
      await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(report));
    } catch {
      // The built-in Markdown extension is disabled: the source is still readable.
      await vscode.window.showTextDocument(vscode.Uri.file(report), { preview: false });
    }
    return { report, exitCode };
  }

  return [vscode.commands.registerCommand(COMPARE_WITH_MERGE_BASE, compare)];
}
