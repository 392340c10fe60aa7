// A suite's `serve`: the service under test started for the run and stopped after it — by the
// core (startService), by `perf-lens run`, and by the task wrapper (serveMain) when the run is
// stopped mid-way. Real processes throughout: a small node HTTP server on a free loopback port.
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import type { ServeConfig } from '../../../src/core/config/serve';
import { freeLoopbackPort } from '../../../src/core/env/ports';
import { answers, ServeError, startService } from '../../../src/core/env/serve';
import { repoRoot } from '../helpers';
import { cleanupWorkspaces, runCli, tempWorkspace } from './harness';

const node = JSON.stringify(process.execPath);
/** A server on $PORT that starts listening after `delayMs` and logs a line per request (like an access log). */
const server = (delayMs = 0) =>
  `${node} -e 'setTimeout(() => require("http").createServer((q, s) => { console.log("GET", q.url); s.end("ok"); }).listen(+process.env.PORT, "127.0.0.1", () => console.log("listening")), ${delayMs})'`;
const SERVE_MAIN = path.resolve(__dirname, '../../../src/engines/serveMain.js');
const LOAD_MAIN = path.resolve(__dirname, '../../../src/engines/loadMain.js');

describe('serve: the service under test, started for a suite and stopped after it', function () {
  this.timeout(40000);
  let dir: string;
  let port: number;
  let url: string;
  const cfg = (over: Partial<ServeConfig> = {}): ServeConfig => ({ command: server(), url, timeoutSec: 10, reuseExisting: false, ...over });
  const env = () => ({ ...process.env, PORT: String(port) });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-serve-'));
    port = await freeLoopbackPort();
    url = `http://127.0.0.1:${port}/`;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  after(() => cleanupWorkspaces());

  it('waits until the URL answers (a slow start too), then stop() frees the port; output goes to the log file', async () => {
    const svc = await startService(cfg({ command: server(800) }), { cwd: dir, env: env(), logFile: path.join(dir, 'live/s.serve.log') });
    assert.strictEqual(svc.reused, false);
    assert.ok(await answers(url), 'answering when startService resolves');
    assert.match(fs.readFileSync(path.join(dir, 'live/s.serve.log'), 'utf8'), /listening/);
    assert.ok(fs.existsSync(path.join(dir, 'live/.gitignore')), 'the log folder it created is git-ignored');
    await svc.stop();
    assert.strictEqual(await answers(url), false, 'stopped: nothing answers any more');
    await svc.stop(); // twice is fine
  });

  it('a command that exits before answering: a clear error quoting its last output, nothing left running', async () => {
    const bad = cfg({ command: 'echo "Error: Cannot find module /app/server.js" >&2; exit 1' });
    await assert.rejects(startService(bad, { cwd: dir, env: env(), logFile: path.join(dir, 'x.log') }), (e: Error) => {
      assert.ok(e instanceof ServeError);
      assert.match(e.message, /exited with code 1 before http:\/\/127\.0\.0\.1:\d+\/ answered; its last output \(.*x\.log\):\nError: Cannot find module/);
      return true;
    });
  });

  it('a service that never answers in time: an error naming the timeout, and the service is stopped', async () => {
    const marker = `perf-lens-never-${process.pid}-${port}`;
    const never = cfg({ command: `${node} -e "setInterval(() => {}, 1000)" ${marker}`, timeoutSec: 1 });
    await assert.rejects(startService(never, { cwd: dir, env: env(), logFile: path.join(dir, 'n.log') }), /did not answer within 1 s \(set serve\.timeoutSec/);
    const left = fs.readdirSync('/proc').filter(d => /^\d+$/.test(d)).filter(d => {
      try {
        return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    });
    assert.deepStrictEqual(left, []);
  });

  it('something already answering: reused when allowed (nothing started, nothing stopped), else an error', async () => {
    const other = http.createServer((_q, s) => s.end('other'));
    await new Promise<void>(r => other.listen(port, '127.0.0.1', r));
    try {
      const svc = await startService(cfg({ reuseExisting: true }), { cwd: dir, env: env(), logFile: path.join(dir, 'r.log') });
      assert.strictEqual(svc.reused, true);
      await svc.stop();
      assert.ok(await answers(url), 'the server we did not start keeps running');
      await assert.rejects(startService(cfg(), { cwd: dir, env: env(), logFile: path.join(dir, 'r.log') }), /already answers before .* was started: stop what is running there, or set "reuseExisting": true/);
    } finally {
      other.close();
    }
  });

  it('a local https dev server (self-signed certificate) counts as answering; a refused port does not', async function () {
    const key = path.join(dir, 'k.pem');
    const cert = path.join(dir, 'c.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    if (made.status !== 0) this.skip(); // no openssl here: nothing to serve https with
    const tls = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_q, s) => s.end('ok'));
    await new Promise<void>(r => tls.listen(port, '127.0.0.1', r));
    try {
      assert.strictEqual(await answers(`https://127.0.0.1:${port}/`), true);
    } finally {
      tls.close();
    }
    assert.strictEqual(await answers(`https://127.0.0.1:${port}/`), false);
  });

  it('perf-lens run: a load suite with serve starts its service, measures it, stops it; a broken serve fails only that suite', async () => {
    const config = {
      version: 1,
      suites: {
        api: { kind: 'load', engine: 'builtin', scenario: 'load.json', target: url, durationSec: 1, env: { PORT: String(port) }, serve: { command: server(300), reuseExisting: false } },
        down: { kind: 'load', engine: 'builtin', scenario: 'load.json', target: `http://127.0.0.1:${port}/`, durationSec: 1, serve: { command: 'echo no database >&2; exit 2', reuseExisting: false } },
      },
    };
    const ws = tempWorkspace({
      'perf-lens.config.json': JSON.stringify(config),
      'load.json': JSON.stringify({ target: 'http://127.0.0.1:9', mode: 'closed', connections: 2, durationSec: 5, requests: [{ path: '/api/ping' }] }),
    });
    const r = await runCli(['run', 'api', 'down'], { cwd: ws, timeoutMs: 30000 });
    assert.strictEqual(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /api: `.*` answers at http:\/\/127\.0\.0\.1:\d+\/ after [\d.]+ s \(its output: \.perf\/live\/api\.serve\.log\)/);
    assert.match(r.stderr, /^api: ingested \.perf\/results\/api\.json/m);
    const served = fs.readFileSync(path.join(ws, '.perf/live/api.serve.log'), 'utf8').split('\n').filter(l => l.startsWith('GET /api/ping')).length;
    assert.ok(served > 10, `the service we started answered the load (${served} requests in its log)`);
    assert.match(r.stderr + r.stdout, /down.*serve: `echo no database >&2; exit 2` exited with code 2 before .* answered; its last output .*\nno database/s);
    assert.strictEqual(await answers(url), false, 'the service was stopped after its suite');
  });

  it('serveMain (the task wrapper): Ctrl+C mid-run reaches the load engine once — partial results written, exit 130 — then the service stops', async () => {
    const scenario = path.join(dir, 's.json');
    fs.writeFileSync(scenario, JSON.stringify({ target: url, mode: 'closed', connections: 2, durationSec: 30, requests: [{ path: '/' }] }));
    const out = path.join(dir, 'out.json');
    const child = spawn(process.execPath, [SERVE_MAIN, '--serve', JSON.stringify(cfg()), '--cwd', dir, '--log', path.join(dir, 'w.log'), '--',
      process.execPath, LOAD_MAIN, '--scenario', scenario, '--out', out, '--progress-json'], { env: { ...env(), NODE_PATH: path.join(repoRoot, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', d => (stderr += d));
    child.stdout.on('data', d => {
      stdout += d;
      // As a terminal does: SIGINT to the whole foreground group (here: the wrapper, the only one in it).
      if (!sent && stdout.includes('"type":"progress"')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>(res => child.on('close', c => res(c)));
    assert.ok(sent, stderr);
    assert.strictEqual(code, 130, stderr);
    assert.match(stderr, /perf-lens serve: `.*` answers at/);
    const run = JSON.parse(fs.readFileSync(out, 'utf8')) as { notes?: string[]; series: unknown[] };
    assert.match((run.notes ?? []).join(' '), /partial: stopped/);
    assert.ok(run.series.length > 0);
    assert.strictEqual(await answers(url), false, 'the service stopped after the suite');
  });
});
