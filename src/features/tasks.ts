// Suites as VS Code tasks of type "perf": one per suite of perf-lens.config.json, plus any
// the user writes in tasks.json. A task shows in the terminal and can be stopped as usual;
// when it ends its result files are ingested (the file watcher also catches runs started
// elsewhere). In an untrusted workspace nothing runs.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SuiteConfig } from '../core/config/projectConfig';
import { defaultResultFile, engineInvocation, narrowCommand, resultFolders, serveLogFile, type Target } from '../core/config/suiteCommand';
import { prepareFrontend } from '../core/ingest/lighthouseRun';
import { SuiteCaptures } from '../core/db/suiteCaptures';
import { ENGINE_NICE_ENV } from '../engines/priority';
import type { Log } from '../util/log';
import type { LiveRuns } from '../workspace/liveRuns';
import type { ResultsStore } from '../workspace/resultsStore';
import type { WorkspaceResults } from '../workspace/workspaceResults';

export const TASK_TYPE = 'perf';
export const RUN_BENCHMARK_COMMAND = 'perfLens.runBenchmark';
/** Runs benchmarks one after the other, each ingested before the next starts (a file's benchmarks). */
export const RUN_BENCHMARKS_COMMAND = 'perfLens.runBenchmarks';
/** The endpoint lens's "Load test": the load suite narrowed to one handler's route where the engine can. */
export const LOAD_TEST_COMMAND = 'perfLens.loadTestRoute';
/** Explorer: run the suite(s) owning a folder or file. */
export const RUN_SUITE_FOR_COMMAND = 'perfLens.runSuiteFor';

interface PerfTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  suite: string;
  /** Narrow a regression suite to one benchmark (series id). */
  only?: string;
  name?: string;
  file?: string;
  /** Narrow a builtin load suite to one handler's route, e.g. "GET /api/videos/{id}". */
  route?: string;
}

/** The definition of a perf task, for features that follow running suites (the lenses). */
export function perfTaskDefinition(task: vscode.Task): PerfTaskDefinition | undefined {
  return task.definition.type === TASK_TYPE && typeof task.definition.suite === 'string' ? (task.definition as PerfTaskDefinition) : undefined;
}

/** Whether the suite can send one route only: our builtin engine can (--only-route); Locust and custom commands run whole. */
export function narrowsToRoute(suite: SuiteConfig): boolean {
  return suite.kind === 'load' && suite.engine === 'builtin' && !suite.command && !!suite.scenario;
}

/**
 * Workspace-relative paths a suite names (its cwd, scenario, and command words that are paths),
 * so the explorer can offer to run the suite owning a folder or file.
 */
export function suitePaths(folder: string, suite: SuiteConfig): string[] {
  const words = [suite.cwd, ...('scenario' in suite && suite.scenario ? [suite.scenario] : []), ...(suite.command ?? '').split(/\s+/)];
  const out = new Set<string>();
  for (const w of words) {
    const rel = path.normalize(path.join(suite.cwd, w.replace(/^['"]|['"]$/g, ''))).replace(/[\\/]+$/, '');
    if (!w || rel === '.' || rel.startsWith('..') || path.isAbsolute(w)) continue;
    if (fs.existsSync(path.join(folder, rel))) out.add(rel);
  }
  return [...out];
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

/** serveMain's argv: start the suite's service, run `inner`, stop the service (engines/serveMain.ts). */
function serveArgs(engines: vscode.Uri, folder: vscode.WorkspaceFolder, suite: SuiteConfig, inner: string[]): string[] {
  return [vscode.Uri.joinPath(engines, 'serveMain.js').fsPath, '--serve', JSON.stringify(suite.serve), '--cwd', path.join(folder.uri.fsPath, suite.cwd),
    '--log', path.join(folder.uri.fsPath, serveLogFile(suite.name)), '--', ...inner];
}

function buildTask(engines: vscode.Uri, store: ResultsStore, folder: vscode.WorkspaceFolder, suite: SuiteConfig, definition: PerfTaskDefinition): vscode.Task | undefined {
  const target = definition.only ? { id: definition.only, name: definition.name ?? definition.only, file: definition.file ?? '' } : undefined;
  const cwd = path.join(folder.uri.fsPath, suite.cwd);
  // The engine appends its progress to .perf/live/<suite>.jsonl; LiveRuns tails it.
  const engine = engineInvocation(suite, store.config, { progressFile: true });
  const route = definition.route && narrowsToRoute(suite) && engine?.script === 'loadMain.js' ? definition.route : undefined;
  if (engine && route) engine.args.push('--only-route', route);
  let execution: vscode.ShellExecution | vscode.ProcessExecution;
  if (engine) {
    // Our engines run as Node child processes of the task, never in the extension host.
    fs.mkdirSync(path.dirname(path.join(folder.uri.fsPath, engine.out)), { recursive: true });
    const argv = [...engine.nodeFlags, vscode.Uri.joinPath(engines, engine.script).fsPath, ...engine.args];
    execution = new vscode.ProcessExecution(process.execPath, suite.serve ? serveArgs(engines, folder, suite, [process.execPath, ...argv]) : argv, {
      cwd: folder.uri.fsPath,
      // The load generator yields the CPU to the editor (engines/priority.ts); the service under test does not.
      env: { ...suite.env, ELECTRON_RUN_AS_NODE: '1', ...(engine.script === 'loadMain.js' ? { [ENGINE_NICE_ENV]: '10' } : {}) },
    });
  } else {
    const command = suite.kind === 'frontend' && !suite.command ? prepareFrontend(folder.uri.fsPath, suite) : commandOf(suite, target);
    if (!command) return undefined;
    ensureResultFolders(folder, suite);
    execution = suite.serve
      ? new vscode.ProcessExecution(process.execPath, serveArgs(engines, folder, suite, ['/bin/sh', '-c', command]), { cwd, env: { ...suite.env, ELECTRON_RUN_AS_NODE: '1' } })
      : new vscode.ShellExecution(command, { cwd, env: suite.env });
  }
  const label = target ? `${suite.name}: ${target.name}` : route ? `${suite.name}: ${route}` : suite.name;
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

  /** Executions whose end someone awaits until their results are ingested (running a file's benchmarks in turn). */
  const waiting = new Map<vscode.TaskExecution, () => void>();
  const done = new WeakSet<vscode.TaskExecution>();
  const ingested = (execution: vscode.TaskExecution) => new Promise<void>(resolve => (done.has(execution) ? resolve() : waiting.set(execution, resolve)));

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

  const trusted = (): boolean => {
    if (!vscode.workspace.isTrusted) void vscode.window.showWarningMessage('Perf Lens runs nothing in an untrusted workspace. Stored results are still shown.');
    return vscode.workspace.isTrusted;
  };

  const runBenchmark = async (target?: Target & { suite?: string }): Promise<vscode.TaskExecution | undefined> => {
    if (!trusted()) return undefined;
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

  const runBenchmarks = async (targets: (Target & { suite?: string })[] = []): Promise<number> => {
    let ran = 0;
    for (const target of targets) {
      const execution = await runBenchmark(target);
      if (!execution) break;
      await ingested(execution);
      ran++;
    }
    return ran;
  };

  const loadTest = async (arg?: { route?: string; suite?: string; folder?: string }): Promise<vscode.TaskExecution | undefined> => {
    if (!trusted()) return undefined;
    const folder = vscode.workspace.workspaceFolders?.find(f => f.uri.toString() === arg?.folder) ?? vscode.workspace.workspaceFolders?.[0];
    const store = folder ? results.storeFor(folder.uri) : undefined;
    const load = store?.config.suites.filter(s => s.kind === 'load') ?? [];
    let suite = load.find(s => s.name === arg?.suite) ?? (load.length === 1 ? load[0] : undefined);
    if (!suite && load.length > 1) {
      const pick = await vscode.window.showQuickPick(load.map(s => ({ label: s.name, description: narrowsToRoute(s) ? `only ${arg?.route ?? 'this route'}` : 'the whole suite' })), { placeHolder: 'Load test with which suite?' });
      suite = load.find(s => s.name === pick?.label);
    }
    if (!folder || !store || !suite) {
      if (!load.length) {
        const open = await vscode.window.showInformationMessage('Perf Lens: no load suite is configured to run this.', 'Open Config');
        if (open) await vscode.commands.executeCommand('perfLens.openConfig');
      }
      return undefined;
    }
    const route = arg?.route && narrowsToRoute(suite) ? arg.route : undefined;
    const task = buildTask(engines, store, folder, suite, { type: TASK_TYPE, suite: suite.name, ...(route ? { route } : {}) });
    return task ? vscode.tasks.executeTask(task) : undefined;
  };

  const runSuiteFor = async (uri?: vscode.Uri): Promise<vscode.TaskExecution | undefined> => {
    const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
    const store = folder ? results.storeFor(folder.uri) : undefined;
    if (!uri || !folder || !store) return undefined;
    const rel = path.relative(folder.uri.fsPath, uri.fsPath);
    const inside = (a: string, b: string) => a === b || a.startsWith(`${b}${path.sep}`);
    // A suite owns what it names, what lies inside it, and the folders holding it.
    const owners = store.config.suites.filter(s => suitePaths(folder.uri.fsPath, s).some(p => inside(rel, p) || inside(p, rel) || rel === ''));
    const pick = owners.length <= 1 ? owners[0]?.name : await vscode.window.showQuickPick(owners.map(s => s.name), { placeHolder: `Run which suite of ${rel || folder.name}?` });
    if (!pick) {
      if (!owners.length) void vscode.window.showInformationMessage(`Perf Lens: no suite in perf-lens.config.json names ${rel || folder.name}.`);
      return undefined;
    }
    return vscode.commands.executeCommand<vscode.TaskExecution>('perfLens.runSuite', pick);
  };

  /** Context key for the explorer menu: absolute paths the suites name. */
  const publishSuitePaths = () => {
    const paths = results.all().flatMap(store => store.config.suites.flatMap(s => suitePaths(store.folder, s).map(p => path.join(store.folder, p))));
    void vscode.commands.executeCommand('setContext', 'perfLens.suitePaths', [...new Set(paths)]);
  };
  publishSuitePaths();

  return [
    vscode.tasks.registerTaskProvider(TASK_TYPE, provider),
    results.onDidChange(() => ((cached = undefined), publishSuitePaths())),
    vscode.commands.registerCommand(RUN_BENCHMARK_COMMAND, runBenchmark),
    vscode.commands.registerCommand(RUN_BENCHMARKS_COMMAND, runBenchmarks),
    vscode.commands.registerCommand(LOAD_TEST_COMMAND, loadTest),
    vscode.commands.registerCommand(RUN_SUITE_FOR_COMMAND, runSuiteFor),
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
      void ingestSuite(e.execution.task, e.exitCode).finally(() => {
        done.add(e.execution);
        waiting.get(e.execution)?.();
        waiting.delete(e.execution);
      });
    }),
  ];
}
