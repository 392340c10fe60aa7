// perf-lens run / load / memory as processes: a real pytest-benchmark suite through the shell,
// a builtin load suite against a local server, a memory suite over a process that really leaks,
// and a suite that fails. Bounded: ~1 s of load, 3 s of sampling.
import * as assert from 'assert';
import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { fixture, repoRoot } from '../helpers';
import { CLI_JS, cleanupWorkspaces, runCli, tempWorkspace } from './harness';
import { LOAD_ENGINE_NODE_FLAGS } from '../../../src/core/config/suiteCommand';

// Retains 1 MB on the JS heap every 50 ms: a steady leak the sampler sees within seconds.
const LEAKER = 'const keep = []; setInterval(() => keep.push(new Array(131072).fill(Math.random())), 50);';

describe('cli: perf-lens run and the engines as processes', function () {
  this.timeout(40000);
  let server: http.Server;
  let target = '';

  before(async () => {
    server = http.createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    cleanupWorkspaces();
  });

  function workspace(): string {
    const config = {
      version: 1,
      suites: {
        bench: {
          kind: 'regression',
          command: '/usr/bin/python3 -m pytest -q -p no:cacheprovider --benchmark-min-rounds=5 --benchmark-max-time=0.005 --benchmark-warmup=off --benchmark-json=results/bench.json tests/perf/test_textops.py',
          results: ['results/*.json'],
        },
        api: { kind: 'load', engine: 'builtin', scenario: 'load.json', target, durationSec: 1 },
        mem: { kind: 'memory', command: `${JSON.stringify(process.execPath)} -e '${LEAKER}'`, durationSec: 3, intervalMs: 100 },
        broken: { kind: 'regression', command: 'echo boom >&2; exit 3', results: ['results/none.json'] },
      },
    };
    return tempWorkspace({
      'perf-lens.config.json': JSON.stringify(config, null, 2),
      'tests/perf/test_textops.py': fs.readFileSync(fixture('pytest-benchmark', 'test_textops.py'), 'utf8'),
      // The scenario points elsewhere: the suite's target must win.
      'load.json': JSON.stringify({ target: 'http://127.0.0.1:9', mode: 'closed', connections: 2, durationSec: 5, requests: [{ path: '/api/ping' }] }),
    });
  }

  it('runs regression, load and memory suites headless, ingests them and prints verdicts; gate catches the leak', async () => {
    const ws = workspace();
    const r = await runCli(['run', 'bench', 'api', 'mem'], { cwd: ws, timeoutMs: 35000 });
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    // Off a TTY every step is a plain line, prefixed with its suite.
    assert.match(r.stderr, /^\[api\] .*requests \d+/m);
    assert.match(r.stderr, /^bench: ingested results\/bench\.json \(3 series\)/m);
    assert.match(r.stderr, /^api: ingested \.perf\/results\/api\.json/m);
    assert.match(r.stderr, /^mem: done in/m);
    assert.match(r.stdout, /^new +tests\/perf\/test_textops\.py::test_sort\[1000\]/m);
    assert.match(r.stdout, /^new +GET \/api\/ping/m);
    assert.match(r.stdout, /memory FAILED \(leak\): Leak: memory keeps rising/);
    const run = JSON.parse(fs.readFileSync(path.join(ws, '.perf', 'results', 'api.json'), 'utf8')) as { suite: string; series: { id: string; endpoint?: { requests: number; failures: number }; extra?: Record<string, unknown> }[] };
    assert.strictEqual(run.suite, 'api');
    const ping = run.series.find(s => s.endpoint)!;
    assert.ok(ping.endpoint!.requests > 10 && ping.endpoint!.failures === 0, JSON.stringify(ping.endpoint));
    // The engine ran with its own V8 flags (core/config/suiteCommand.ts LOAD_ENGINE_NODE_FLAGS), not the CLI's defaults.
    assert.strictEqual(run.series.find(s => s.id === 'Aggregated')!.extra!.generatorNodeFlags, LOAD_ENGINE_NODE_FLAGS.join(' '));

    const gate = await runCli(['gate', '--fail-on', 'leak'], { cwd: ws });
    assert.strictEqual(gate.code, 1, gate.stdout);
    assert.match(gate.stdout, /^FAIL leak: memory:mem: Leak: /m);
    assert.strictEqual((await runCli(['gate', '--fail-on', 'regression'], { cwd: ws })).code, 0);
  });

  it('a failing suite exits 1 with its exit code and last output; an unknown suite is a usage error (2)', async () => {
    const ws = workspace();
    const r = await runCli(['run', 'broken'], { cwd: ws });
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /error: suite broken: exited with code 3; last output: boom/);
    const ref = await runCli(['run', 'bench', '--baseline-ref', 'no-such-ref'], { cwd: ws });
    assert.strictEqual(ref.code, 2, ref.stderr);
    assert.doesNotMatch(ref.stderr, /^bench: /m, 'nothing ran');
    const u = await runCli(['run', 'nosuch'], { cwd: ws });
    assert.strictEqual(u.code, 2);
    assert.match(u.stderr, /no suite "nosuch" \(suites: bench, api, mem, broken\)/);
  });

  it('load and memory pass through to the engines with their exit codes', async () => {
    const ws = tempWorkspace({ 's.json': JSON.stringify({ target, mode: 'closed', connections: 1, durationSec: 0.5, requests: [{ path: '/' }] }) });
    const [load, bad, mem] = await Promise.all([
      runCli(['load', '--scenario', 's.json', '--out', 'l.json'], { cwd: ws }),
      runCli(['load', '--scenario', 's.json'], { cwd: ws }),
      runCli(['--cwd', ws, 'memory', '--out', 'm.json', '--interval', '50', '--', process.execPath, '-e', 'setTimeout(() => {}, 600)'], { cwd: path.dirname(ws) }),
    ]);
    assert.strictEqual(load.code, 0, load.stderr);
    // Started without the generator's V8 flags, `load` started itself again with them.
    const written = JSON.parse(fs.readFileSync(path.join(ws, 'l.json'), 'utf8')) as { series: { id: string; extra?: Record<string, unknown> }[] };
    assert.strictEqual(written.series.find(s => s.id === 'Aggregated')?.extra?.generatorNodeFlags, LOAD_ENGINE_NODE_FLAGS.join(' '));
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--out FILE is required/);
    assert.strictEqual(mem.code, 0, mem.stderr);
    const ing = await runCli(['ingest', 'l.json', 'm.json'], { cwd: ws });
    assert.strictEqual(ing.code, 0, ing.stderr);
    assert.match(ing.stdout, /^new +GET \//m);
  });

  // util-linux script(1) gives the CLI a pseudo-terminal, as a developer's shell would.
  (fs.existsSync('/usr/bin/script') ? it : it.skip)('on a terminal, progress is one line rewritten in place', async () => {
    const ws = workspace();
    const cmd = [process.execPath, CLI_JS, 'run', 'api'].map(a => `'${a}'`).join(' ');
    const out = await new Promise<string>((resolve, reject) =>
      execFile('/usr/bin/script', ['-qec', cmd, '/dev/null'], { cwd: ws, timeout: 20000, env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') } }, (err, stdout) =>
        err ? reject(new Error(`${err.message}\n${stdout}`)) : resolve(stdout),
      ),
    );
    assert.match(out, /\r\x1b\[Kapi · \d+ s · /, JSON.stringify(out.slice(0, 400)));
    assert.doesNotMatch(out, /^\[api\] /m);
    assert.match(out, /^new +GET \/api\/ping/m);
  });

  it('SIGINT stops the running suite gracefully: its partial results are ingested, later suites skipped, exit 130', async () => {
    const ws = workspace();
    const config = JSON.parse(fs.readFileSync(path.join(ws, 'perf-lens.config.json'), 'utf8')) as { suites: Record<string, { durationSec?: number }> };
    config.suites.api.durationSec = 30;
    fs.writeFileSync(path.join(ws, 'perf-lens.config.json'), JSON.stringify(config));
    const child = spawn(process.execPath, [CLI_JS, 'run', 'api', 'bench'], { cwd: ws, env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') } });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => {
      stderr += d;
      // Once the engine reports progress, interrupt the CLI alone (as a CI runner's cancel would).
      if (!sent && /^\[api\] .*requests \d+/m.test(stderr)) sent = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>(r => child.on('close', r));
    assert.strictEqual(code, 130, stderr);
    assert.match(stderr, /^api: ingested \.perf\/results\/api\.json/m);
    assert.match(stderr, /error: suite bench: not run \(stopped by SIGINT\)/);
    assert.match(stdout, /^new +GET \/api\/ping/m);
    const run = JSON.parse(fs.readFileSync(path.join(ws, '.perf', 'results', 'api.json'), 'utf8')) as { notes?: string[]; durationSec: number };
    assert.ok(run.durationSec < 20, `stopped early: ${run.durationSec} s`);
    assert.match((run.notes ?? []).join(' '), /partial/);
  });

  it('a stop reaches the whole suite: a shell command\'s children end too, not only the shell (and a killed CLI leaves none)', async () => {
    const marker = `perf-lens-suite-${process.pid}-${Date.now()}`;
    const kid = `${JSON.stringify(process.execPath)} -e "setInterval(() => {}, 1000)" ${marker}`;
    const ws = tempWorkspace({
      'perf-lens.config.json': JSON.stringify({ version: 1, suites: { slow: { kind: 'regression', command: `${kid} & ${kid}; wait`, results: ['results/none.json'] } } }),
    });
    const running = () => fs.readdirSync('/proc').filter(d => /^\d+$/.test(d)).filter(d => {
      try {
        const argv = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
        return argv[0] === process.execPath && argv.includes(marker); // the two node children, not the shell
      } catch {
        return false;
      }
    }).length;
    const until = async (cond: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!cond() && Date.now() < end) await new Promise(r => setTimeout(r, 50));
      return cond();
    };
    for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
      const child = spawn(process.execPath, [CLI_JS, 'run', 'slow'], { cwd: ws, env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') } });
      let stderr = '';
      child.stderr.on('data', d => (stderr += d));
      if (!(await until(() => running() === 2, 10_000))) {
        child.kill('SIGKILL');
        assert.fail(`both children started (${running()})`);
      }
      child.kill(sig); // the CLI alone, as a CI cancel (TERM) or the OOM killer (KILL) would
      await new Promise(r => child.on('close', r));
      assert.ok(await until(() => running() === 0, 5000), `${sig}: ${running()} of the suite's processes still run; ${stderr}`);
    }
  });
});
