// Status bar: regressions and budget breaches across the workspace; click opens Problems
// when there are any, else the panel.
import * as vscode from 'vscode';
import type { LiveRuns } from '../workspace/liveRuns';
import type { WorkspaceResults } from '../workspace/workspaceResults';

export function register(results: WorkspaceResults, live?: LiveRuns): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('perfLens.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Perf Lens';

  let running = 0;
  /** Latest live figure of a running load test (from its progress events), e.g. "api 812 req/s". */
  let liveText = '';
  const update = () => {
    const n = Math.max(running, live?.running().length ?? 0);
    if (n > 0) {
      item.text = `$(sync~spin) Perf Lens: running ${liveText || `${n} suite${n === 1 ? '' : 's'}`}`;
      item.tooltip = 'A Perf Lens suite is running; its results are ingested when it ends.';
      item.backgroundColor = undefined;
      item.command = 'workbench.action.tasks.showTasks';
      item.show();
      return;
    }
    let regressions = 0;
    let budgets = 0;
    let total = 0;
    let inconclusive = 0;
    for (const s of results.all()) {
      const c = s.counts();
      regressions += c.regressions;
      budgets += c.budgetFailures;
      total += c.total;
      inconclusive += s.all().filter(x => x.verdict?.status === 'inconclusive').length;
    }
    if (!total) {
      item.hide();
      return;
    }
    const bad = regressions + budgets;
    item.text = bad ? `$(graph-line) ${regressions} regression${regressions === 1 ? '' : 's'}${budgets ? ` · ${budgets} over budget` : ''}` : `$(graph-line) ${total} ok`;
    const open = inconclusive ? `, ${inconclusive} inconclusive (their lenses offer "Keep sampling")` : '';
    item.tooltip = `Perf Lens: ${total} results, ${regressions} regressions (significant and beyond the threshold), ${budgets} over budget${open}`;
    item.backgroundColor = bad ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.command = bad ? 'workbench.actions.view.problems' : 'perfLens.showPanel';
    item.show();
  };
  const isPerf = (e: vscode.TaskStartEvent | vscode.TaskEndEvent) => e.execution.task.definition.type === 'perf';
  update();
  return [
    item,
    // What the item shows now, for diagnostics and tests (no palette entry).
    vscode.commands.registerCommand('perfLens.statusBarState', () => ({ text: item.text, tooltip: item.tooltip, running: Math.max(running, live?.running().length ?? 0) })),
    results.onDidChange(update),
    vscode.tasks.onDidStartTask(e => isPerf(e) && (running++, update())),
    ...(live ? [
      live.onDidChangeRunning(() => ((liveText = ''), update())),
      live.onLiveEvent(({ suite, event }) => {
        if (event.type !== 'progress' || typeof event.rps !== 'number') return;
        liveText = `${suite} ${event.rps} req/s${typeof event.failures === 'number' && event.failures ? `, ${event.failures} errors` : ''}`;
        update();
      }),
    ] : []),
    vscode.tasks.onDidEndTask(e => isPerf(e) && ((running = Math.max(0, running - 1)), update())),
  ];
}
