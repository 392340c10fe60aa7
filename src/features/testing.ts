// Test Explorer: a "Performance" controller listing each folder's suites and the results they
// produced. Run profiles (Benchmark, Memory, Load) run suites — or one benchmark — through the
// same perf tasks as the lenses; outcomes come from the store's verdicts and budgets, with the
// comparison as the message and the central value as the duration.
import * as path from 'path';
import * as vscode from 'vscode';
import type { SuiteConfig } from '../core/config/projectConfig';
import { centralAndSpread } from '../core/format';
import type { SuiteKind } from '../core/model';
import type { Log } from '../util/log';
import type { ResultsStore, SeriesState } from '../workspace/resultsStore';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { perfTaskDefinition, RUN_BENCHMARK_COMMAND } from './tasks';

interface ItemData {
  store: ResultsStore;
  suite?: SuiteConfig;
  seriesId?: string;
}

export type Outcome = { id: string; state: 'passed' | 'failed' | 'skipped'; message?: string };

function fileOf(id: string): string | undefined {
  const i = id.indexOf('::');
  return i > 0 ? id.slice(0, i) : undefined;
}

function nameOf(id: string): string {
  const tail = id.slice(id.lastIndexOf('::') + 2 || 0);
  return tail.replace(/\[.*$/, '');
}

/** The Test Explorer id of a folder's suite item (also what task runs are matched by). */
function suiteItemId(store: ResultsStore, suite: string): string {
  return `${vscode.Uri.file(store.folder).toString()}#${suite}`;
}

/** Series `id` is benchmark `only` or one of its parametrized cases. */
function matches(id: string, only: string): boolean {
  return id === only || id.startsWith(`${only}[`);
}

function durationMs(s: SeriesState): number | undefined {
  const c = centralAndSpread(s.series);
  return c && s.series.unit === 's' ? c.value * 1000 : undefined;
}

export function register(results: WorkspaceResults, log: Log): vscode.Disposable[] {
  const ctrl = vscode.tests.createTestController('perfLens', 'Performance');
  const data = new WeakMap<vscode.TestItem, ItemData>();
  let lastOutcomes: Outcome[] = [];
  /** Outcomes of the last run that followed a task started elsewhere (for tests). */
  let followedOutcomes: Outcome[] = [];

  const seriesItem = (store: ResultsStore, folder: vscode.Uri, s: SeriesState, suite?: SuiteConfig): vscode.TestItem => {
    const file = fileOf(s.id);
    const item = ctrl.createTestItem(`${folder.toString()}::${s.id}`, s.series.name ?? s.id, file ? vscode.Uri.joinPath(folder, file) : undefined);
    item.description = s.verdict?.status ?? '';
    data.set(item, { store, suite, seriesId: s.id });
    return item;
  };

  const rebuild = (): void => {
    const roots: vscode.TestItem[] = [];
    for (const store of results.all()) {
      const folder = vscode.Uri.file(store.folder);
      const states = store.all();
      for (const suite of store.config.suites) {
        const item = ctrl.createTestItem(suiteItemId(store, suite.name), suite.name, vscode.Uri.file(store.config.file));
        item.description = `${suite.kind} suite`;
        data.set(item, { store, suite });
        item.children.replace(states.filter(s => s.run.suite === suite.name).map(s => seriesItem(store, folder, s, suite)));
        roots.push(item);
      }
      const loose = states.filter(s => !store.config.suites.some(c => c.name === s.run.suite));
      if (loose.length) {
        const item = ctrl.createTestItem(`${folder.toString()}#imported`, 'Imported results', undefined);
        item.description = 'not produced by a configured suite';
        data.set(item, { store });
        item.children.replace(loose.map(s => seriesItem(store, folder, s)));
        roots.push(item);
      }
    }
    ctrl.items.replace(roots);
  };

  const report = (run: vscode.TestRun, item: vscode.TestItem, outcomes: Outcome[] = lastOutcomes, only?: string): void => {
    const d = data.get(item);
    if (!d?.seriesId) {
      item.children.forEach(child => report(run, child, outcomes, only));
      return;
    }
    if (only && !matches(d.seriesId, only)) return;
    const s = d.store.get(d.seriesId);
    if (!s) {
      run.skipped(item);
      outcomes.push({ id: d.seriesId, state: 'skipped' });
      return;
    }
    const failedBudgets = s.budgets.filter(b => !b.ok);
    if (s.verdict?.status === 'regression' || failedBudgets.length) {
      const message = [s.verdict?.status === 'regression' ? s.verdict.reason : '', ...failedBudgets.map(b => b.message)].filter(Boolean).join('\n');
      run.failed(item, new vscode.TestMessage(message), durationMs(s));
      outcomes.push({ id: s.id, state: 'failed', message });
    } else {
      if (s.verdict) run.appendOutput(`${s.id}: ${s.verdict.reason}\r\n`, undefined, item);
      run.passed(item, durationMs(s));
      outcomes.push({ id: s.id, state: 'passed', message: s.verdict?.reason });
    }
  };

  /** Resolves on the store's next change (the task's results ingested), or after a minute without one. */
  const storeChanged = (store: ResultsStore) =>
    new Promise<void>(resolve => {
      const sub = store.onDidChange(() => (sub.dispose(), resolve()));
      setTimeout(() => (sub.dispose(), resolve()), 60_000);
    });

  /** Runs the task for `item` and resolves when it ended and the store has taken its results. */
  const execute = async (item: vscode.TestItem, token: vscode.CancellationToken): Promise<boolean> => {
    const d = data.get(item);
    if (!d?.suite) return false;
    const changed = storeChanged(d.store);
    const execution = d.seriesId
      ? await vscode.commands.executeCommand<vscode.TaskExecution | undefined>(RUN_BENCHMARK_COMMAND, {
          id: d.seriesId,
          name: nameOf(d.seriesId),
          file: fileOf(d.seriesId) ?? '',
          suite: d.suite.name,
        })
      : await vscode.commands.executeCommand<vscode.TaskExecution | undefined>('perfLens.runSuite', d.suite.name);
    if (!execution) return false;
    const cancel = token.onCancellationRequested(() => execution.terminate());
    await new Promise<void>(resolve => {
      const sub = vscode.tasks.onDidEndTaskProcess(e => e.execution === execution && (sub.dispose(), resolve()));
    });
    cancel.dispose();
    await changed;
    return true;
  };

  const runHandler = (kinds: SuiteKind[]) => async (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => {
    const run = ctrl.createTestRun(request);
    lastOutcomes = [];
    const queue: vscode.TestItem[] = [];
    if (request.include) queue.push(...request.include);
    else ctrl.items.forEach(i => queue.push(i));
    for (const item of queue) {
      if (token.isCancellationRequested) break;
      if (request.exclude?.includes(item)) continue;
      const d = data.get(item);
      if (!d?.suite || !kinds.includes(d.suite.kind)) {
        if (!d?.suite && d?.seriesId) {
          run.skipped(item);
          lastOutcomes.push({ id: d.seriesId, state: 'skipped', message: 'no configured suite produces this result' });
        }
        continue;
      }
      run.started(item);
      const suiteKey = suiteItemId(d.store, d.suite.name);
      fromExplorer.set(suiteKey, (fromExplorer.get(suiteKey) ?? 0) + 1);
      try {
        const ran = await execute(item, token);
        if (!ran) {
          run.errored(item, new vscode.TestMessage('the suite did not start (see the Perf Lens log)'));
          continue;
        }
        rebuild();
        const fresh = findItem(item.id) ?? item;
        report(run, fresh);
      } catch (e) {
        log.error(e as Error);
        run.errored(item, new vscode.TestMessage((e as Error).message));
      } finally {
        fromExplorer.set(suiteKey, (fromExplorer.get(suiteKey) ?? 1) - 1);
      }
    }
    run.end();
  };

  /**
   * A suite task started elsewhere (a lens, the palette, auto-run on save, tasks.json) shows in
   * Test Explorer as running, and its outcome when its results are in: an unsaved test run.
   */
  const followTask = (execution: vscode.TaskExecution): void => {
    const def = perfTaskDefinition(execution.task);
    const scope = execution.task.scope;
    if (!def || !scope || typeof scope !== 'object' || following.has(execution)) return;
    const store = results.storeFor(scope.uri);
    if (!store) return;
    const id = suiteItemId(store, def.suite);
    if (fromExplorer.get(id)) return; // the explorer's own run reports it
    const item = findItem(id);
    if (!item) return;
    const run = ctrl.createTestRun(new vscode.TestRunRequest([item]), `${def.suite} (task)`, false);
    followedOutcomes = [];
    const startedIds: string[] = [];
    const start = (i: vscode.TestItem) => (run.started(i), startedIds.push(i.id));
    const only = def.only;
    if (only) item.children.forEach(i => matches(data.get(i)?.seriesId ?? '', only) && start(i));
    if (!startedIds.length) start(item); // the whole suite, or a benchmark with no item yet
    following.set(execution, { run, id, only: def.only, startedIds, changed: storeChanged(store) });
  };
  const following = new Map<vscode.TaskExecution, { run: vscode.TestRun; id: string; only?: string; startedIds: string[]; changed: Promise<void> }>();
  /** Suites being run by the explorer's own handler now (suite item id → count). */
  const fromExplorer = new Map<string, number>();

  const taskEnded = async (execution: vscode.TaskExecution, exitCode: number | undefined): Promise<void> => {
    const f = following.get(execution);
    if (!f) return;
    following.delete(execution);
    if (exitCode === 0 || exitCode === undefined) await f.changed;
    rebuild();
    const item = findItem(f.id);
    const outcomes: Outcome[] = [];
    if (item && exitCode !== undefined && exitCode !== 0) {
      const message = `the ${execution.task.name} task exited with code ${exitCode}`;
      f.run.errored(item, new vscode.TestMessage(message));
      outcomes.push({ id: f.id, state: 'failed', message });
    } else if (item) report(f.run, item, outcomes, f.only);
    followedOutcomes = outcomes;
    f.run.end();
  };

  const findItem = (id: string): vscode.TestItem | undefined => {
    let found: vscode.TestItem | undefined;
    const walk = (items: vscode.TestItemCollection): void =>
      items.forEach(i => {
        if (i.id === id) found = i;
        else walk(i.children);
      });
    walk(ctrl.items);
    return found;
  };

  const profiles = [
    ctrl.createRunProfile('Benchmark', vscode.TestRunProfileKind.Run, runHandler(['regression']), true),
    ctrl.createRunProfile('Memory', vscode.TestRunProfileKind.Run, runHandler(['memory']), false),
    ctrl.createRunProfile('Load', vscode.TestRunProfileKind.Run, runHandler(['load']), false),
  ];
  ctrl.refreshHandler = async () => {
    await Promise.all(results.all().map(s => s.reload()));
    rebuild();
  };
  rebuild();

  return [
    ctrl,
    ...profiles,
    results.onDidChange(rebuild),
    vscode.tasks.onDidStartTask(e => followTask(e.execution)),
    vscode.tasks.onDidEndTaskProcess(e => void taskEnded(e.execution, e.exitCode)),
    vscode.tasks.onDidEndTask(e => void taskEnded(e.execution, undefined)),
    // Test-only view of the controller for integration tests (hidden from the palette).
    vscode.commands.registerCommand('perfLens._testing.items', () => {
      const tree = (items: vscode.TestItemCollection): unknown[] => {
        const out: unknown[] = [];
        items.forEach(i => out.push({
          label: i.label,
          description: i.description,
          file: i.uri ? path.basename(i.uri.fsPath) : undefined,
          // Started in a run that follows a task (not the explorer's own), and not ended yet.
          running: [...following.values()].some(f => f.startedIds.includes(i.id)),
          children: tree(i.children),
        }));
        return out;
      };
      return tree(ctrl.items);
    }),
    vscode.commands.registerCommand('perfLens._testing.followed', () => followedOutcomes),
    vscode.commands.registerCommand('perfLens._testing.run', async (label: string, profile = 'Benchmark') => {
      let target: vscode.TestItem | undefined;
      const walk = (items: vscode.TestItemCollection): void =>
        items.forEach(i => {
          if (i.label === label) target = i;
          else walk(i.children);
        });
      walk(ctrl.items);
      const p = profiles.find(x => x.label === profile);
      if (!target || !p) return undefined;
      const source = new vscode.CancellationTokenSource();
      await p.runHandler(new vscode.TestRunRequest([target], undefined, p), source.token);
      return lastOutcomes;
    }),
  ];
}
