// Status bar: regressions and budget breaches across the workspace; click opens Problems
// when there are any, else the panel.
import * as vscode from 'vscode';
import type { WorkspaceResults } from '../workspace/workspaceResults';

export function register(results: WorkspaceResults): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('perfLens.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Perf Lens';

  const update = () => {
    let regressions = 0;
    let budgets = 0;
    let total = 0;
    for (const s of results.all()) {
      const c = s.counts();
      regressions += c.regressions;
      budgets += c.budgetFailures;
      total += c.total;
    }
    if (!total) {
      item.hide();
      return;
    }
    const bad = regressions + budgets;
    item.text = bad ? `$(graph-line) ${regressions} regression${regressions === 1 ? '' : 's'}${budgets ? ` · ${budgets} over budget` : ''}` : `$(graph-line) ${total} ok`;
    item.tooltip = `Perf Lens: ${total} results, ${regressions} regressions, ${budgets} over budget`;
    item.backgroundColor = bad ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.command = bad ? 'workbench.actions.view.problems' : 'perfLens.showPanel';
    item.show();
  };
  update();
  return [item, results.onDidChange(update)];
}
