// perfLens.autoRun.onSave: saving a file re-runs the benchmarks located in it, through the same
// command as the editor menu's "Run Benchmarks in This File" (tasks, ingest, lenses as usual).
// Off by default: a benchmark run costs seconds of CPU, and only the user knows when that is fine.
import * as vscode from 'vscode';
import { FILE_COMMANDS } from './codelens';
import type { Log } from '../util/log';

export const AUTO_RUN_SETTING = 'perfLens.autoRun.onSave';

export function register(log: Log): vscode.Disposable[] {
  /** Files whose auto-run is under way: a save meanwhile is not queued again. */
  const busy = new Set<string>();
  return [
    vscode.workspace.onDidSaveTextDocument(doc => {
      if (doc.uri.scheme !== 'file' || !vscode.workspace.isTrusted) return; // untrusted: nothing runs
      if (!vscode.workspace.getConfiguration('perfLens', doc.uri).get<boolean>('autoRun.onSave', false)) return;
      if (!vscode.workspace.getWorkspaceFolder(doc.uri)) return;
      const key = doc.uri.toString();
      if (busy.has(key)) return;
      busy.add(key);
      log.info(`auto-run on save: ${vscode.workspace.asRelativePath(doc.uri)}`);
      void Promise.resolve(vscode.commands.executeCommand<number>(FILE_COMMANDS.run, doc.uri, { quiet: true })).then(
        () => busy.delete(key),
        e => {
          busy.delete(key);
          log.error(`auto-run on save failed: ${(e as Error).message}`);
        },
      );
    }),
  ];
}
