// The Node example inside VS Code: its load suite runs our engine as a task against the
// running service, and the Express handlers get endpoint lenses with the measured latencies.
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import { untilTrue, workspaceUri } from '../../util';

const repo = path.resolve(__dirname, '..', '..', '..', '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 500 }, res => (res.resume(), resolve(res.statusCode === 200)));
    req.on('error', () => resolve(false));
  });
}

describe('examples/node-service in the editor', () => {
  let service: ChildProcess | undefined;

  before(async function () {
    this.timeout(60_000);
    const ws = workspaceUri().fsPath;
    // The copy lives outside the repository: let it find express where npm ci put it.
    if (!fs.existsSync(path.join(ws, 'node_modules'))) fs.symlinkSync(path.join(repo, 'node_modules'), path.join(ws, 'node_modules'), 'dir');
    const port = await freePort();
    service = spawn(process.execPath, ['server.js'], { cwd: ws, env: { ...process.env, PORT: String(port), ELECTRON_RUN_AS_NODE: '1' }, stdio: 'ignore' });
    await untilTrue(() => healthy(port), ok => ok, 20_000);
    // Point the load suite at this port (the suite target overrides the scenario's) and make it short.
    const file = workspaceUri('perf-lens.config.json');
    const config = JSON.parse(fs.readFileSync(file.fsPath, 'utf8'));
    config.suites.load.target = `http://127.0.0.1:${port}`;
    config.suites.load.durationSec = 4;
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
    assert.match(videos, /p95 [\d.]+ (µs|ms) · p99 [\d.]+ (µs|ms) · [\d.]+\/s · 0% errors · budget ✓ · new · no baseline$/);
    for (const route of ['/api/videos/{videoId}/detections', '/api/dashboard/stats', 'POST /api/videos/upload']) {
      assert.ok(titles.some(t => t.includes(route)), `${route} has a lens: ${titles.join(' | ')}`);
    }
  });
});
