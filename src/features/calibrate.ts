// "Perf Lens: Calibrate Noise on This Machine": `perf-lens calibrate` run as a VS Code task (its
// output in a terminal, stoppable as usual; never on the extension host). When it ends, the store
// reloads: .perf/noise.json is watched, and the A/A runs were ingested into the history.
import * as vscode from 'vscode';
import type { Log } from '../util/log';
import type { WorkspaceResults } from '../workspace/workspaceResults';

export const CALIBRATE_COMMAND = 'perfLens.calibrateNoise';

export function register(results: WorkspaceResults, log: Log, extensionUri: vscode.Uri): vscode.Disposable[] {
  const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
  const calibrate = async (arg?: { suite?: string; runs?: number }): Promise<vscode.TaskExecution | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Perf Lens runs nothing in an untrusted workspace.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const store = folder ? results.storeFor(folder.uri) : undefined;
    const suites = store?.config.suites.filter(s => s.kind === 'regression').map(s => s.name) ?? [];
    if (!folder || !suites.length) {
      void vscode.window.showInformationMessage('Perf Lens: calibration runs a regression suite of perf-lens.config.json; there is none yet.');
      return undefined;
    }
    const suite = arg?.suite ?? (suites.length === 1 ? suites[0] : await vscode.window.showQuickPick(suites, { placeHolder: 'Calibrate with which suite?' }));
    if (!suite) return undefined;
    let runs = arg?.runs;
    if (runs === undefined) {
      const text = await vscode.window.showInputBox({
        prompt: `Run ${suite} how many times on the same code? More runs, steadier noise figures.`,
        value: '5',
        validateInput: v => (/^\d+$/.test(v) && +v >= 2 && +v <= 100 ? undefined : 'a whole number from 2 to 100'),
      });
      if (text === undefined) return undefined;
      runs = Number(text);
    }
    const args = [cli, 'calibrate', '--suite', suite, '--runs', String(runs), '--no-progress'];
    const task = new vscode.Task(
      { type: 'perf-calibrate', suite },
      folder,
      `calibrate noise: ${suite} × ${runs}`,
      'perf',
      new vscode.ProcessExecution(process.execPath, args, { cwd: folder.uri.fsPath, env: { ELECTRON_RUN_AS_NODE: '1' } }),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
    log.info(`calibrating noise: ${suite} × ${runs}`);
    return vscode.tasks.executeTask(task);
  };
  return [vscode.commands.registerCommand(CALIBRATE_COMMAND, calibrate)];
}
