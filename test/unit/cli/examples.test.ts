// The CLI as a process on copies of the example workspaces, as a user or CI would run it:
// node-service (run, baseline accept, gate on a clean and on an injected regression, compare,
// every report format, ingest) and python-service (pytest-benchmark through perf/python.sh,
// compare, JUnit). Bounded: short benchmark rounds, 1 s of load.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanupWorkspaces, editJson, exampleWorkspace, runCli } from './harness';
import { freePort } from './services';
import { parseXml } from './xml';

interface SuiteEdit {
  suites: Record<string, { target?: string; durationSec?: number; env?: Record<string, string>; serve?: unknown }>;
}

describe('cli: on copies of the example workspaces', function () {
  this.timeout(90000);
  after(cleanupWorkspaces);

  describe('examples/node-service', () => {
    let ws = '';
    // Children inherit the CLI's environment: fewer benchmark rounds keep this test short.
    const env = { BENCH_ROUNDS: '15' };
    const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: ws, timeoutMs: 60000, env: { ...env, ...extra } });

    before(async () => {
      ws = exampleWorkspace('node-service');
      const port = await freePort();
      // The load suite starts the example's service itself (`serve`), on this port.
      editJson<SuiteEdit>(path.join(ws, 'perf-lens.config.json'), c => Object.assign(c.suites.load, {
        target: `http://127.0.0.1:${port}`, durationSec: 1, env: { PORT: String(port) }, serve: { command: 'node server.js', url: `http://127.0.0.1:${port}/health`, reuseExisting: false },
      }));
    });

    it('run bench load: the load suite serves the example itself; benchmarks and load test are ingested with verdicts', async () => {
      const r = await cli(['run', 'bench', 'load']);
      assert.strictEqual(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stderr, /^load: `node server\.js` answers at http:\/\/127\.0\.0\.1:\d+\/health after [\d.]+ s/m);
      assert.match(fs.readFileSync(path.join(ws, '.perf', 'live', 'load.serve.log'), 'utf8'), /node-service listening on/);
      assert.match(r.stderr, /^bench: ingested \.perf\/results\/bench\.json \(3 series\)/m);
      assert.match(r.stderr, /^load: ingested \.perf\/results\/load\.json/m);
      assert.match(r.stdout, /^new +bench\/service\.bench\.js::videosPage /m);
      assert.match(r.stdout, /^new +GET \/api\/projects\/\{projectId\}\/videos /m);
    });

    it('baseline accept writes .perf/baselines.json; the gate passes on the accepted results', async () => {
      const r = await cli(['baseline', 'accept', '--by', 'user:test']);
      assert.strictEqual(r.code, 0, r.stderr);
      const doc = JSON.parse(fs.readFileSync(path.join(ws, '.perf', 'baselines.json'), 'utf8')) as { baselines: Record<string, Record<string, { acceptedBy?: string }>> };
      const ids = Object.values(doc.baselines).flatMap(m => Object.keys(m));
      assert.ok(ids.includes('bench/service.bench.js::videosPage') && ids.includes('GET /api/projects/{projectId}/videos'), ids.join(', '));
      // Budgets (p95 ≤ 200 ms) depend on how loaded this box is: the gates here judge regressions.
      const gate = await cli(['gate', '--fail-on', 'regression']);
      assert.strictEqual(gate.code, 0, gate.stdout + gate.stderr);
    });

    it('an injected regression (SLOW=1) fails the gate with exit 1; compare explains it', async () => {
      const run = await cli(['run', 'bench'], { SLOW: '1' });
      assert.strictEqual(run.code, 0, run.stderr);
      const compare = await cli(['compare']);
      assert.strictEqual(compare.code, 0, compare.stderr);
      assert.match(compare.stdout, /^REGRESSION +bench\/service\.bench\.js::videosPage /m);
      const gate = await cli(['gate', '--fail-on', 'regression']);
      assert.strictEqual(gate.code, 1, gate.stdout);
      assert.match(gate.stdout, /^FAIL regression: bench\/service\.bench\.js::videosPage: /m);
    });

    it('report writes md, html, json and JUnit files that say so', async () => {
      for (const format of ['md', 'html', 'json', 'junit']) {
        const r = await cli(['report', '--format', format, '--out', `reports/report.${format}`]);
        assert.strictEqual(r.code, 0, `${format}: ${r.stderr}`);
      }
      const read = (f: string) => fs.readFileSync(path.join(ws, 'reports', f), 'utf8');
      assert.match(read('report.md'), /🔴 REGRESSION \| bench\/service\.bench\.js::videosPage/);
      assert.match(read('report.html'), /<svg[^>]*class="chart"/);
      const json = JSON.parse(read('report.json')) as { format: string; series: { id: string; status: string }[] };
      assert.strictEqual(json.format, 'perf-lens-report');
      assert.strictEqual(json.series.find(r => r.id === 'bench/service.bench.js::videosPage')?.status, 'regression');
      const cases = parseXml(read('report.junit')).children.flatMap(s => s.children.filter(c => c.name === 'testcase'));
      const videos = cases.find(c => c.attrs.name === 'bench/service.bench.js::videosPage')!;
      assert.ok(videos.children.some(c => c.name === 'failure'), 'the regression is a <failure>');
      assert.ok(Number(videos.attrs.time) > 0, videos.attrs.time);
    });

    it('ingest reads a result file written outside a suite; a broken one is refused by name (exit 1)', async () => {
      execFileSync(process.execPath, ['bench/service.bench.js', 'extra.json'], { cwd: ws, env: { ...process.env, ...env } });
      const r = await cli(['ingest', 'extra.json']);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.match(r.stderr + r.stdout, /ingested extra\.json: 3 series \(perf-lens, run /);
      fs.writeFileSync(path.join(ws, 'broken.json'), '{"format": "perf-lens-run", "version": 1, "tool": ');
      const bad = await cli(['ingest', 'broken.json']);
      assert.strictEqual(bad.code, 1, bad.stdout);
      assert.match(bad.stderr, /broken\.json/);
    });
  });

  describe('examples/python-service', () => {
    let ws = '';
    // Short pytest-benchmark runs; the interpreter is whatever perf/python.sh picks (here Debian's).
    const env = { PYTEST_ADDOPTS: '--benchmark-max-time=0.05 --benchmark-min-rounds=15' };
    const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: ws, timeoutMs: 60000, env: { ...env, ...extra } });

    before(() => (ws = exampleWorkspace('python-service')));

    it('perf/python.sh picks $PERF_LENS_PYTHON, else a python3 on PATH with the packages, else /usr/bin/python3', () => {
      // Two stand-in python3 on PATH: one answers the package probe "yes", one "no" (as pyenv's does here).
      const fake = (dir: string, hasPackages: boolean): string => {
        fs.mkdirSync(path.join(ws, dir));
        const script = `#!/bin/sh\nif [ "$1" = -c ] && [ "$2" != 'import sys; print(sys.executable)' ]; then exit ${hasPackages ? 0 : 1}; fi\necho ${dir}\n`;
        fs.writeFileSync(path.join(ws, dir, 'python3'), script, { mode: 0o755 });
        return path.join(ws, dir);
      };
      const withPkgs = fake('venv', true);
      const without = fake('pyenv', false);
      const pick = (pathFirst: string, extra: NodeJS.ProcessEnv = {}): string =>
        execFileSync('sh', ['perf/python.sh', '-c', 'import sys; print(sys.executable)'], {
          cwd: ws,
          encoding: 'utf8',
          env: { ...process.env, PERF_LENS_PYTHON: '', PATH: `${pathFirst}:/usr/bin:/bin`, ...extra },
        }).trim();
      assert.strictEqual(pick(withPkgs), 'venv');
      assert.strictEqual(pick(without), '/usr/bin/python3');
      assert.strictEqual(pick(withPkgs, { PERF_LENS_PYTHON: '/usr/bin/python3' }), '/usr/bin/python3');
    });

    it('run bench: pytest-benchmark through perf/python.sh, 4 series ingested', async () => {
      const r = await cli(['run', 'bench']);
      assert.strictEqual(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stderr, /^bench: ingested \.perf\/results\/bench\.json \(4 series\)/m);
      assert.match(r.stdout, /^new +tests\/performance\/test_api_benchmarks\.py::test_videos_page\[100\] /m);
      assert.strictEqual((await cli(['baseline', 'accept'])).code, 0);
    });

    it('SLOW=1: compare shows the videos page regression and JUnit fails those cases', async () => {
      const run = await cli(['run', 'bench'], { SLOW: '1' });
      assert.strictEqual(run.code, 0, run.stderr);
      const compare = await cli(['compare']);
      assert.strictEqual(compare.code, 0, compare.stderr);
      assert.match(compare.stdout, /^REGRESSION +tests\/performance\/test_api_benchmarks\.py::test_videos_page\[100\] /m);
      const junit = await cli(['report', '--format', 'junit']);
      assert.strictEqual(junit.code, 0, junit.stderr);
      const root = parseXml(junit.stdout);
      const cases = root.children.flatMap(s => s.children.filter(c => c.name === 'testcase'));
      assert.strictEqual(cases.length, 4);
      const failed = cases.filter(c => c.children.some(x => x.name === 'failure')).map(c => c.attrs.name);
      assert.ok(failed.includes('tests/performance/test_api_benchmarks.py::test_videos_page[100]'), failed.join(', '));
      assert.ok(cases.every(c => Number(c.attrs.time) > 0), cases.map(c => c.attrs.time).join(' '));
      assert.strictEqual((await cli(['gate', '--fail-on', 'regression'])).code, 1);
    });
  });
});
