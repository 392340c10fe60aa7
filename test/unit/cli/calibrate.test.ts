// perf-lens calibrate as a process: a real hyperfine suite (two commands) run 3 times (A/A),
// its noise recorded per benchmark, and the verdicts using it where it is above the configured
// threshold. ~3 s (hyperfine -N, 10 runs per command).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { cleanupWorkspaces, runCli, tempWorkspace } from './harness';

describe('cli: perf-lens calibrate', function () {
  this.timeout(60000);
  after(cleanupWorkspaces);

  it('runs the suite N times, writes .perf/noise.json, and verdicts use the calibrated threshold', async () => {
    const config = {
      version: 1,
      suites: {
        bench: {
          kind: 'regression',
          command: "hyperfine -N --style none --runs 10 --warmup 1 --export-json results/bench.json 'true' '/bin/echo hi'",
          results: ['results/*.json'],
        },
      },
      // A configured threshold of 0.5 %: a real machine's run-to-run noise is larger for most benchmarks.
      verdict: { threshold: 0.005 },
    };
    const ws = tempWorkspace({ 'perf-lens.config.json': JSON.stringify(config, null, 2) });
    const bad = await runCli(['calibrate', '--runs', '1'], { cwd: ws });
    assert.strictEqual(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--runs: expected a whole number from 2 to 100/);

    const r = await runCli(['calibrate', '--runs', '3'], { cwd: ws, timeoutMs: 55000 });
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /bench: calibration run 3 of 3/);
    const noise = JSON.parse(fs.readFileSync(path.join(ws, '.perf', 'noise.json'), 'utf8'));
    const [cls] = Object.keys(noise.noise);
    const entries = noise.noise[cls] as Record<string, { runs: number; threshold: number; withinRunCv: number }>;
    assert.strictEqual(Object.keys(entries).length, 2, JSON.stringify(entries));
    for (const [id, e] of Object.entries(entries)) {
      assert.strictEqual(e.runs, 3, id);
      assert.ok(e.withinRunCv >= 0 && e.threshold >= 0);
      assert.match(r.stdout, new RegExp(`^${id.replace(/[[\]().*+?]/g, '\\$&')} .*(calibrated noise|configured)`, 'm'));
    }

    // Baseline = the newest calibration run's pool; compare the latest run with it.
    assert.strictEqual((await runCli(['baseline', 'accept', '--by', 'tool:test'], { cwd: ws })).code, 0);
    const c = await runCli(['report', '--format', 'json'], { cwd: ws });
    assert.strictEqual(c.code, 0, c.stderr);
    const rows = (JSON.parse(c.stdout) as { series: { id: string; verdict?: { reason: string } }[] }).series;
    assert.strictEqual(rows.length, 2);
    for (const row of rows) {
      const calibrated = entries[row.id].threshold > 0.005;
      const said = /threshold [\d.]+% \(calibrated noise on this machine\)/.test(row.verdict?.reason ?? '');
      // The latest run is its own baseline here (ratio 1): the note is said exactly when calibration raised the threshold.
      assert.strictEqual(said, calibrated, `${row.id}: ${row.verdict?.reason}`);
    }
  });
});
