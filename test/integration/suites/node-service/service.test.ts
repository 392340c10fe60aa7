// The Node example inside VS Code: its load suite runs our engine as a task against the
// running service, and the Express handlers get endpoint lenses with the measured latencies.
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { answers200, untilTrue, workspaceUri } from '../../util';
import { freeLoopbackPort } from '../../../../src/core/env/ports';

const repo = path.resolve(__dirname, '..', '..', '..', '..', '..');

describe('examples/node-service in the editor', () => {
  let service: ChildProcess | undefined;
  let port = 0;

  before(async function () {
    this.timeout(60_000);
    const ws = workspaceUri().fsPath;
    // The copy lives outside the repository: let it find express where npm ci put it.
    if (!fs.existsSync(path.join(ws, 'node_modules'))) fs.symlinkSync(path.join(repo, 'node_modules'), path.join(ws, 'node_modules'), 'dir');
    port = await freeLoopbackPort();
    service = spawn(process.execPath, ['server.js'], { cwd: ws, env: { ...process.env, PORT: String(port), ELECTRON_RUN_AS_NODE: '1' }, stdio: 'ignore' });
    await untilTrue(() => answers200(port, '/health'), ok => ok, 20_000);
    // Point the load suite at this port (the suite target overrides the scenario's) and make it short.
    const file = workspaceUri('perf-lens.config.json');
    const config = JSON.parse(fs.readFileSync(file.fsPath, 'utf8'));
    config.suites.load.target = `http://127.0.0.1:${port}`;
    config.suites.load.durationSec = 4;
    // The example's load suite serves itself; here the service above is already up: reuse it.
    config.suites.load.env.PORT = String(port);
    config.suites.load.serve = { ...config.suites.load.serve, url: `http://127.0.0.1:${port}/health`, reuseExisting: true };
    fs.writeFileSync(file.fsPath, JSON.stringify(config, null, 2));
    await vscode.extensions.getExtension('perf-lens.perf-lens')?.activate();
    await untilTrue(
      async () => (await vscode.tasks.fetchTasks({ type: 'perf' })).find(t => t.name === 'load')?.execution,
      e => !!e && (e as vscode.ProcessExecution).args?.includes(`http://127.0.0.1:${port}`),
    );
  });

  after(() => service?.kill('SIGTERM'));

  it('runs the load suite as a task and shows p50/p95/p99 and throughput on the Express handlers', async function () {
    this.timeout(120_000);
    const server = workspaceUri('server.js');
    await vscode.window.showTextDocument(server);
    const ended = new Promise<number | undefined>(resolve => {
      const sub = vscode.tasks.onDidEndTaskProcess(e => {
        if (e.execution.task.definition.type === 'perf') (sub.dispose(), resolve(e.exitCode));
      });
    });
    const execution = await vscode.commands.executeCommand<vscode.TaskExecution>('perfLens.runSuite', 'load');
    assert.ok(execution, 'the load task did not start');
    assert.strictEqual(await ended, 0, 'the load engine failed');
    const titles = await untilTrue(
      async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', server)) ?? []).map(l => `${l.range.start.line}: ${l.command?.title}`),
      t => t.some(x => x.includes('GET /api/projects/{projectId}/videos · p50')),
      30_000,
    );
    const videos = titles.find(t => t.includes('/videos · p50')) as string;
    // On the app.get line of the handler (0-based line of `app.get('/api/projects/:projectId/videos'`).
    const line = fs.readFileSync(server.fsPath, 'utf8').split('\n').findIndex(l => l.includes("app.get('/api/projects/:projectId/videos'"));
    assert.ok(videos.startsWith(`${line}: $(pulse) GET /api/projects/{projectId}/videos · p50 `), videos);
    // On a quiet box 0% errors and within budget; on a loaded one (load 18 seen) the scenario's 0.5 s
    // response-time checks fail some requests and the budget says so: the format is what is tested.
    assert.match(videos, /p95 [\d.]+ (µs|ms|s) · p99 [\d.]+ (µs|ms|s) · [\d.]+\/s · [\d.]+% errors · budget (✓|✗ [\w, ]+) · new · no baseline$/);
    for (const route of ['/api/videos/{videoId}/detections', '/api/dashboard/stats', 'POST /api/videos/upload']) {
      assert.ok(titles.some(t => t.includes(route)), `${route} has a lens: ${titles.join(' | ')}`);
    }
  });

  it('Load test on a handler runs the load suite narrowed to its route; only that lens line says running… meanwhile', async function () {
    this.timeout(120_000);
    const server = workspaceUri('server.js');
    const lines = fs.readFileSync(server.fsPath, 'utf8').split('\n');
    const statsLine = lines.findIndex(l => l.includes("app.get('/api/dashboard/stats'"));
    const videosLine = lines.findIndex(l => l.includes("app.get('/api/projects/:projectId/videos'"));
    const lensesAt = async (line: number) =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', server)) ?? []).filter(l => l.range.start.line === line);
    const before = await lensesAt(statsLine);
    assert.deepStrictEqual(before.map(l => l.command?.title).slice(1), ['Load test', 'Chart', 'History', 'Accept baseline']);
    const [loadTest, chart] = [before[1].command!, before[2].command!];
    assert.strictEqual(loadTest.command, 'perfLens.loadTestRoute');
    assert.deepStrictEqual({ ...loadTest.arguments?.[0], folder: undefined }, { route: 'GET /api/dashboard/stats', folder: undefined, suite: 'load' });
    assert.match(loadTest.tooltip ?? '', /narrowed to GET \/api\/dashboard\/stats/);
    assert.strictEqual(chart.command, 'perfLens.showPanel');
    assert.strictEqual(chart.arguments?.[0].seriesId, 'GET /api/dashboard/stats');
    const oldRun = chart.arguments?.[0].runId;

    const started = new Promise<vscode.Task>(resolve => {
      const sub = vscode.tasks.onDidStartTask(e => e.execution.task.definition.type === 'perf' && (sub.dispose(), resolve(e.execution.task)));
    });
    let ended = false;
    const end = new Promise<number | undefined>(resolve => {
      const sub = vscode.tasks.onDidEndTaskProcess(e => {
        if (e.execution.task.definition.type === 'perf') (sub.dispose(), (ended = true), resolve(e.exitCode));
      });
    });
    await vscode.commands.executeCommand(loadTest.command, ...(loadTest.arguments ?? []));
    const task = await started;
    assert.strictEqual(task.name, 'load: GET /api/dashboard/stats');
    const args = (task.execution as vscode.ProcessExecution).args;
    assert.deepStrictEqual(args.slice(args.indexOf('--only-route'), args.indexOf('--only-route') + 2), ['--only-route', 'GET /api/dashboard/stats']);
    const seen = new Set<string>();
    while (!ended) {
      const [stats, videos] = [await lensesAt(statsLine), await lensesAt(videosLine)];
      seen.add(`stats ${stats.length}: ${stats[0]?.command?.title.replace(/ · p50 .*/, '')}`);
      seen.add(`videos ${videos.length}: ${videos[0]?.command?.title.replace(/ · p50 .*/, '')}`);
      await new Promise(r => setTimeout(r, 100));
    }
    assert.strictEqual(await end, 0, 'the narrowed load run failed');
    assert.ok(seen.has('stats 5: $(sync~spin) running… · GET /api/dashboard/stats'), [...seen].join(' | '));
    assert.ok(![...seen].some(x => x.startsWith('videos') && x.includes('running')), [...seen].join(' | '));
    assert.ok([...seen].every(x => / 5: /.test(x)), `one lens line of five lenses throughout: ${[...seen].join(' | ')}`);
    // The new run has the stats route only: its lens moves to the new run, the videos lens keeps the old one.
    const after = await untilTrue(() => lensesAt(statsLine), l => l[2]?.command?.arguments?.[0].runId !== oldRun && !l[0].command?.title.includes('running'), 30_000);
    assert.match(after[0].command?.title ?? '', /^\$\(pulse\) GET \/api\/dashboard\/stats · p50 /);
    const videosNow = await lensesAt(videosLine);
    assert.strictEqual(videosNow[2]?.command?.arguments?.[0].runId, oldRun);
  });

  it('the status bar spins for an engine started outside the editor, from its live progress file alone', async function () {
    this.timeout(60_000);
    type State = { text: string; running: number };
    const state = () => vscode.commands.executeCommand<State>('perfLens.statusBarState');
    assert.strictEqual((await state()).running, 0);
    // As a CLI or a terminal would start it: no task, only the progress file the engine appends to.
    const ws = workspaceUri().fsPath;
    const engine = spawn(process.execPath, [path.join(repo, 'dist', 'loadMain.js'), '--scenario', 'perf/scenario.json', '--out', '.perf/cli/load.json',
      '--suite', 'cli-load', '--target', `http://127.0.0.1:${port}`, '--duration', '4', '--progress-file', '.perf/live/cli-load.jsonl'], { cwd: ws, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'ignore' });
    const exited = new Promise<number | null>(resolve => engine.on('exit', code => resolve(code)));
    try {
      const spinning = await untilTrue(state, s => s.running > 0, 20_000);
      assert.match(spinning.text, /^\$\(sync~spin\) Perf Lens: running /);
      assert.strictEqual(await exited, 0);
      const after = await untilTrue(state, s => s.running === 0, 20_000);
      assert.doesNotMatch(after.text, /sync~spin/);
    } finally {
      engine.kill('SIGTERM');
    }
  });

  it('the explorer\'s "Run Perf Suite for This" on the scenario folder runs the load suite that names it', async function () {
    this.timeout(120_000);
    const end = new Promise<vscode.Task>(resolve => {
      const sub = vscode.tasks.onDidEndTaskProcess(e => e.execution.task.definition.type === 'perf' && (sub.dispose(), resolve(e.execution.task)));
    });
    const execution = await vscode.commands.executeCommand<vscode.TaskExecution>('perfLens.runSuiteFor', workspaceUri('perf'));
    assert.strictEqual(execution?.task.name, 'load');
    assert.strictEqual((await end).name, 'load');
  });

  it('stopping the load task (Terminate Task) keeps what it measured: the partial run is ingested, marked so', async function () {
    this.timeout(120_000);
    const history = workspaceUri('.perf', 'history');
    const runs = () =>
      fs.readdirSync(history.fsPath).filter(f => f.endsWith('.jsonl'))
        .flatMap(f => fs.readFileSync(path.join(history.fsPath, f), 'utf8').split('\n').filter(Boolean))
        .map(l => (JSON.parse(l) as { run: { suite?: string; notes?: string[]; startedAt: string; series: { id: string; extra?: Record<string, unknown> }[] } }).run);
    const live = workspaceUri('.perf', 'live', 'load.jsonl').fsPath;
    const ended = new Promise<void>(resolve => {
      const sub = vscode.tasks.onDidEndTaskProcess(e => e.execution.task.definition.type === 'perf' && (sub.dispose(), resolve()));
    });
    const started = Date.now();
    const execution = await vscode.commands.executeCommand<vscode.TaskExecution>('perfLens.runSuite', 'load');
    assert.ok(execution, 'the load task did not start');
    // Stop it once it has measured something (its live progress file has a second's numbers).
    await untilTrue(async () => (fs.existsSync(live) && fs.statSync(live).mtimeMs >= started ? fs.readFileSync(live, 'utf8') : ''), t => t.includes('"type":"progress"'), 30_000);
    execution.terminate(); // VS Code closes the task's terminal: the engine gets SIGHUP
    await ended; // (VS Code reports no exit code for a terminated task)
    // This task's run: the previous test's load run may still be on its way into the history
    // (its task ends as soon as its result file is written).
    const mine = await untilTrue(async () => runs().filter(r => r.suite === 'load' && Date.parse(r.startedAt) >= started), r => r.length > 0, 30_000);
    const run = mine[mine.length - 1];
    // The task started the engine with its V8 flags (core/config/suiteCommand.ts LOAD_ENGINE_NODE_FLAGS).
    assert.match(String(run.series.find(x => x.id === 'Aggregated')?.extra?.generatorNodeFlags), /--max-semi-space-size=64/);
    assert.match(run.notes?.join(' ') ?? '', /partial: stopped \(SIGHUP\)/);
  });

  it('a load suite with `serve` starts its own service for the task; Terminate Task still keeps the partial run, then stops the service', async function () {
    this.timeout(120_000);
    const servedPort = await freeLoopbackPort();
    const file = workspaceUri('perf-lens.config.json');
    const config = JSON.parse(fs.readFileSync(file.fsPath, 'utf8'));
    config.suites.served = { ...config.suites.load, target: `http://127.0.0.1:${servedPort}`, durationSec: 30, env: { PORT: String(servedPort) },
      serve: { command: `${JSON.stringify(process.execPath)} server.js`, url: `http://127.0.0.1:${servedPort}/health`, reuseExisting: false } };
    fs.writeFileSync(file.fsPath, JSON.stringify(config, null, 2));
    await untilTrue(async () => (await vscode.tasks.fetchTasks({ type: 'perf' })).find(t => t.name === 'served')?.execution,
      e => !!e && ((e as vscode.ProcessExecution).args ?? []).some(a => a.endsWith('serveMain.js')), 20_000);
    assert.strictEqual(await answers200(servedPort, '/health'), false, 'nothing runs on the port before the task');
    const history = workspaceUri('.perf', 'history');
    const runs = () =>
      fs.readdirSync(history.fsPath).filter(f => f.endsWith('.jsonl'))
        .flatMap(f => fs.readFileSync(path.join(history.fsPath, f), 'utf8').split('\n').filter(Boolean))
        .map(l => (JSON.parse(l) as { run: { suite?: string; notes?: string[]; series: { id: string; endpoint?: { requests?: number } }[] } }).run)
        .filter(r => r.suite === 'served');
    const live = workspaceUri('.perf', 'live', 'served.jsonl').fsPath;
    const ended = new Promise<void>(resolve => {
      const sub = vscode.tasks.onDidEndTaskProcess(e => e.execution.task.name === 'served' && (sub.dispose(), resolve()));
    });
    const started = Date.now();
    const execution = await vscode.commands.executeCommand<vscode.TaskExecution>('perfLens.runSuite', 'served');
    assert.ok(execution, 'the served task did not start');
    await untilTrue(async () => (fs.existsSync(live) && fs.statSync(live).mtimeMs >= started ? fs.readFileSync(live, 'utf8') : ''), t => t.includes('"type":"progress"'), 40_000);
    assert.strictEqual(await answers200(servedPort, '/health'), true, 'the task started the service');
    execution.terminate();
    await ended;
    const all = await untilTrue(async () => runs(), r => r.length > 0, 30_000);
    const run = all[all.length - 1];
    assert.match(run.notes?.join(' ') ?? '', /partial: stopped \(SIGHUP\)/);
    assert.ok((run.series.find(s => s.id === 'Aggregated')?.endpoint?.requests ?? 0) > 0, 'the service answered the load');
    assert.strictEqual(await untilTrue(() => answers200(servedPort, '/health'), up => !up, 10_000), false, 'the service stopped with the task');
    assert.match(fs.readFileSync(workspaceUri('.perf', 'live', 'served.serve.log').fsPath, 'utf8'), /./, 'its output went to the serve log');
  });
});
