// With no project config, say once per workspace what Perf Lens found (pytest-benchmark
// tests, a locustfile, Go benchmarks, a bench script) and offer to write a config for it.
import * as vscode from 'vscode';
import { detectSetups } from '../core/config/detectSetup';
import type { WorkspaceResults } from '../workspace/workspaceResults';

const DISMISSED = 'perfLens.setupPrompt.dismissed';

export function register(context: vscode.ExtensionContext, results: WorkspaceResults): vscode.Disposable[] {
  if (!vscode.workspace.isTrusted || context.workspaceState.get<boolean>(DISMISSED)) return [];
  void results.ready().then(async () => {
    for (const store of results.all()) {
      if (store.config.file || store.loadProblems.length) continue; // has a config (or a broken one, already reported)
      const found = await detectSetups(store.folder);
      if (!found.length) continue;
      const answer = await vscode.window.showInformationMessage(
        `Perf Lens found ${found.map(f => f.evidence).join('; ')}. Create perf-lens.config.json with ${found.length === 1 ? 'a suite' : 'suites'} for ${found.length === 1 ? 'it' : 'them'}?`,
        'Create Config',
        'Not Now',
      );
      if (answer === 'Create Config') {
        const uri = await vscode.commands.executeCommand<vscode.Uri>('perfLens.createConfig', vscode.Uri.file(store.folder));
        if (uri) await vscode.window.showTextDocument(uri);
      } else if (answer === 'Not Now') {
        await context.workspaceState.update(DISMISSED, true);
      }
    }
  });
  return [];
}
