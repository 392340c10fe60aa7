// Code lenses on test, benchmark and load-test files. For now one honest lens per
// file (no results are stored yet) that opens the panel on that file; later the
// located tests and handlers each get their own line from the results store.
import * as vscode from 'vscode';
import { PANEL_COMMAND } from './panel';

/** Files whose names say they hold tests, benchmarks or load scenarios (VS Code globs do not nest braces). */
export const PERF_FILE_PATTERNS = [
  '**/test_*.py',
  '**/*_test.py',
  '**/locustfile.py',
  '**/*_test.go',
  '**/*.{test,spec,bench}.{js,mjs,cjs,ts,jsx,tsx}',
];

class PerfFileLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('perfLens', document.uri).get<boolean>('codeLens.enabled', true)) {
      return [];
    }
    const file = vscode.workspace.asRelativePath(document.uri, false);
    const range = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(range, {
        title: '$(watch) Perf Lens · no results yet',
        tooltip: 'No performance results are stored for this file yet. Open the Perf Lens panel.',
        command: PANEL_COMMAND,
        arguments: [{ file, line: 0, label: file }],
      }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function register(): vscode.Disposable[] {
  const provider = new PerfFileLensProvider();
  return [
    provider,
    vscode.languages.registerCodeLensProvider(
      PERF_FILE_PATTERNS.map(pattern => ({ scheme: 'file', pattern })),
      provider,
    ),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('perfLens.codeLens')) provider.refresh();
    }),
  ];
}
