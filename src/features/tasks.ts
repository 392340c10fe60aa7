// Suites as VS Code tasks of type "perf": one per suite of perf-lens.config.json, plus any
// the user writes in tasks.json. A task shows in the terminal and can be stopped as usual;
// when it ends its result files are ingested (the file watcher also catches runs started
// elsewhere). In an untrusted workspace nothing runs.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SuiteConfig } from '../core/config/projectConfig';
import { defaultResultFile, engineInvocation, narrowCommand, resultFolders, type Target } from '../core/config/suiteCommand';
import { prepareFrontend } from '../core/ingest/lighthouseRun';
import { SuiteCaptures } from '../core/db/suiteCaptures';
import type { Log } from '../util/log';
import type { LiveRuns } from '../workspace/liveRuns';
import type { ResultsStore } from '../workspace/resultsStore';
import type { WorkspaceResults } from '../workspace/workspaceResults';

export const TASK_TYPE = 'perf';
export const RUN_BENCHMARK_COMMAND = 'perfLens.runBenchmark';

interface PerfTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  suite: string;
  /** Narrow a regression suite to one benchmark (series id). */
  only?: string;
  name?: string;
  file?: string;
}

function folderOf(store: ResultsStore): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.find(f => f.uri.fsPath === store.folder);
}

function commandOf(suite: SuiteConfig, target?: Target): string | undefined {
  if (target && suite.kind === 'regression') return narrowCommand(suite, target) ?? suite.command;
  return suite.command;
}

function ensureResultFolders(folder: vscode.WorkspaceFolder, suite: SuiteConfig): void {
  for (const dir of resultFolders(suite)) {
    try {
      fs.mkdirSync(path.join(folder.uri.fsPath, dir), { recursive: true });
    } catch {
      /* the tool will say what is wrong */
    }
  }
}

/** Result files of a suite: those the config names, else where our engine writes. */
export function resultGlobs(suite: SuiteConfig): string[] {
  return suite.results.length ? suite.results : [defaultResultFile(suite)];
}

function buildTask(engines: vscode.Uri, store: ResultsStore, folder: vscode.WorkspaceFolder, suite: SuiteConfig, definition: PerfTaskDefinition): vscode.Task | undefined {
  const target = definition.only ? { id: definition.only, name: definition.name ?? definition.only, file: definition.file ?? '' } : undefined;
  const cwd = path.join(folder.uri.fsPath, suite.cwd);
  // The engine appends its progress to .perf/live/<suite>.jsonl; LiveRuns tails it.
  const engine = engineInvocation(suite, store.config, { progressFile: true });
  let execution: vscode.ShellExecution | vscode.ProcessExecution;
  if (engine) {
    // Our engines run as Node child processes of the task, never in the extension host.
    fs.mkdirSync(path.dirname(path.join(folder.uri.fsPath, engine.out)), { recursive: true });
    execution = new vscode.ProcessExecution(process.execPath, [vscode.Uri.joinPath(engines, engine.script).fsPath, ...engine.args], {
      cwd: folder.uri.fsPath,
      env: { ...suite.env, ELECTRON_RUN_AS_NODE: '1' },
    });
  } else {
    const command = suite.kind === 'frontend' && !suite.command ? prepareFrontend(folder.uri.fsPath, suite) : commandOf(suite, target);
    if (!command) return undefined;
    ensureResultFolders(folder, suite);
    execution = new vscode.ShellExecution(command, { cwd, env: suite.env });
  }
  const label = target ? `${suite.name}: ${target.name}` : suite.name;
  const task = new vscode.Task(definition, folder, label, 'perf', execution);
  task.detail = `${suite.kind} suite → ${resultGlobs(suite).join(', ')}`;
  task.group = vscode.TaskGroup.Test;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
  return task;
}

export function register(results: WorkspaceResults, log: Log, extensionUri: vscode.Uri, live?: LiveRuns): vscode.Disposable[] {
  const engines = vscode.Uri.joinPath(extensionUri, 'dist');
  let cached: vscode.Task[] | undefined;
  // pg_stat_statements around suites with `database`: the before snapshot is taken as the task
  // starts, concurrently with its process (perf-lens run takes it strictly before; docs/database.md).
  const captures = new SuiteCaptures(message => log.error(message));

  const provider: vscode.TaskProvider = {
    provideTasks() {
      if (!vscode.workspace.isTrusted) return [];
      cached ??= results.all().flatMap(store => {
        const folder = folderOf(store);
        if (!folder) return [];
        return store.config.suites.flatMap(s => buildTask(engines, store, folder, s, { type: TASK_TYPE, suite: s.name }) ?? []);
      });
      return cached;
    },
    resolveTask(task) {
      if (!vscode.workspace.isTrusted) return undefined; // tasks.json "perf" tasks run nothing either
      const def = task.definition as PerfTaskDefinition;
      const folder = task.scope && typeof task.scope === 'object' ? (task.scope as vscode.WorkspaceFolder) : vscode.workspace.workspaceFolders?.[0];
      const store = folder ? results.storeFor(folder.uri) : undefined;
      const suite = store?.config.suites.find(s => s.name === def.suite);
      if (!folder || !suite) {
        log.warn(`task "${task.name}": no suite "${def.suite}" in perf-lens.config.json`);
        return undefined;
      }
      const built = buildTask(engines, store as ResultsStore, folder, suite, { ...def, type: TASK_TYPE });
      // tasks.json tasks must come back with their own definition object.
      return built ? new vscode.Task(def, folder, task.name, 'perf', built.execution, []) : undefined;
    },
  };

  async function ingestSuite(task: vscode.Task, exitCode: number | undefined): Promise<void> {
    const def = task.definition as PerfTaskDefinition;
    const folder = task.scope && typeof task.scope === 'object' ? (task.scope as vscode.WorkspaceFolder) : undefined;
    const store = folder ? results.storeFor(folder.uri) : undefined;
    const suite = store?.config.suites.find(s => s.name === def.suite);
    if (!folder || !store || !suite) return;
    if (exitCode !== 0) log.warn(`suite ${suite.name} exited with ${exitCode}; ingesting what it wrote`);
    const dbFile = await captures.finish(folder.uri.fsPath, suite);
    if (dbFile) await results.ingest(vscode.Uri.file(dbFile), suite.name, { skipIfSeen: true }).catch((e: Error) => log.error(`suite ${suite.name}: ${e.message}`));
    for (const glob of resultGlobs(suite)) {
      for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob))) {
        try {
          await results.ingest(uri, suite.name, { skipIfSeen: true });
        } catch (e) {
          log.error(`suite ${suite.name}: ${(e as Error).message}`);
          void vscode.window.showErrorMessage(`Perf Lens: results of ${suite.name} could not be read: ${(e as Error).message}`);
        }
      }
    }
  }

  const runBenchmark = async (target?: Target & { suite?: string }): Promise<vscode.TaskExecution | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Perf Lens runs nothing in an untrusted workspace. Stored results are still shown.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const store = folder ? results.storeFor(folder.uri) : undefined;
    const regression = store?.config.suites.filter(s => s.kind === 'regression') ?? [];
    let suite = regression.find(s => s.name === target?.suite) ?? (regression.length === 1 ? regression[0] : undefined);
    if (!suite && regression.length > 1) {
      const pick = await vscode.window.showQuickPick(regression.map(s => s.name), { placeHolder: 'Run it with which suite?' });
      suite = regression.find(s => s.name === pick);
    }
    if (!folder || !suite) {
      const open = await vscode.window.showInformationMessage('Perf Lens: no regression suite is configured to run this.', 'Open Config');
      if (open) await vscode.commands.executeCommand('perfLens.openConfig');
      return undefined;
    }
    const task = buildTask(engines, store as ResultsStore, folder, suite, { type: TASK_TYPE, suite: suite.name, only: target?.id, name: target?.name, file: target?.file });
    return task ? vscode.tasks.executeTask(task) : undefined;
  };

  return [
    vscode.tasks.registerTaskProvider(TASK_TYPE, provider),
    results.onDidChange(() => (cached = undefined)),
    vscode.commands.registerCommand(RUN_BENCHMARK_COMMAND, runBenchmark),
    vscode.commands.registerCommand('perfLens.runSuite', async (name?: string) => {
      const tasks = await vscode.tasks.fetchTasks({ type: TASK_TYPE });
      const whole = tasks.filter(t => !(t.definition as PerfTaskDefinition).only);
      const pick = name ?? (await vscode.window.showQuickPick(whole.map(t => t.name), { placeHolder: 'Run which suite?' }));
      const task = whole.find(t => t.name === pick);
      if (!task) {
        if (!whole.length) void vscode.window.showInformationMessage('Perf Lens: no suites in perf-lens.config.json yet (or the workspace is not trusted).');
        return undefined;
      }
      return vscode.tasks.executeTask(task);
    }),
    vscode.commands.registerCommand('perfLens.runAllSuites', async () => {
      for (const task of await vscode.tasks.fetchTasks({ type: TASK_TYPE })) await vscode.tasks.executeTask(task);
    }),
    vscode.tasks.onDidStartTask(e => {
      const folder = e.execution.task.scope;
      if (e.execution.task.definition.type === TASK_TYPE && folder && typeof folder === 'object') live?.expect(folder.uri.fsPath);
    }),
    vscode.tasks.onDidStartTask(e => {
      const { definition, scope } = e.execution.task;
      const suite = definition.type === TASK_TYPE && scope && typeof scope === 'object' ? results.storeFor(scope.uri)?.config.suites.find(s => s.name === definition.suite) : undefined;
      if (suite && scope && typeof scope === 'object') captures.begin(scope.uri.fsPath, suite);
    }),
    vscode.tasks.onDidEndTaskProcess(e => {
      if (e.execution.task.definition.type !== TASK_TYPE) return;
      const folder = e.execution.task.scope;
      if (folder && typeof folder === 'object') live?.ended(folder.uri.fsPath, (e.execution.task.definition as PerfTaskDefinition).suite, e.exitCode);
      void ingestSuite(e.execution.task, e.exitCode);
    }),
  ];
}
