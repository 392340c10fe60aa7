// Runs as the unit: a stored baseline pools several accepted runs, and whole runs shift by more
// than their samples' spread suggests. These simulations give each run its own offset (drift)
// and check that the default verdict stays within its error rate where the samples-only rule
// does not; bench/verdicts.ts measures the same on real timings of separate processes.
import * as assert from 'assert';
import { createRng } from '../../src/core/stats/random';
import { boundSamples, effectiveOfRuns, samplesPerRun, type BaselineRun } from '../../src/core/store/baselines';
import { compare, runLevelTest, verdictMethod, type Measurement } from '../../src/core/verdict';

/** One run: n samples around center·e^(drift·z) with within-run relative spread cv. */
function run(rng: ReturnType<typeof createRng>, n: number, center: number, drift: number, cv: number): number[] {
  const level = center * Math.exp(drift * rng.normal());
  return Array.from({ length: n }, () => level * Math.exp(cv * rng.normal()));
}

/** The stored baseline a pool of runs becomes (as store/baselines.ts builds it). */
function pool(runs: number[][]): Measurement {
  const kept: BaselineRun[] = runs.map((s) => ({ summary: {}, samples: boundSamples(s, samplesPerRun(runs.length)), acceptedAt: '2026-11-01T00:00:00Z', acceptedBy: 'user:t' }));
  const eff = effectiveOfRuns(kept);
  return { metric: 'duration', unit: 's', samples: eff.samples, summary: eff.summary, runs: kept };
}
const m = (samples: number[]): Measurement => ({ metric: 'duration', unit: 's', samples, summary: {} });

describe('verdict: runs as the unit', () => {
  it('A/A with 4% run-to-run drift: the samples-only rule cries wolf, the default stays ≤ 1.5% (200 trials)', () => {
    const rng = createRng(7);
    let old = 0;
    let now = 0;
    for (let i = 0; i < 200; i++) {
      const base = pool(Array.from({ length: 5 }, () => run(rng, 30, 0.1, 0.04, 0.01)));
      const cur = m(run(rng, 30, 0.1, 0.04, 0.01));
      if (compare(cur, base, { resamples: 200, seed: i, samplesOnly: true }).status === 'regression') old++;
      if (compare(cur, base, { resamples: 200, seed: i }).status === 'regression') now++;
    }
    assert.ok(old > 10, `samples-only false regressions ${old}/200: the drift should fool it`);
    assert.ok(now <= 3, `default false regressions ${now}/200`);
  });

  it('a +20% change with 1% run-to-run drift is caught (≥ 95 of 100) with a pool of 5', () => {
    const rng = createRng(8);
    let caught = 0;
    for (let i = 0; i < 100; i++) {
      const base = pool(Array.from({ length: 5 }, () => run(rng, 30, 0.1, 0.01, 0.02)));
      const v = compare(m(run(rng, 30, 0.12, 0.01, 0.02)), base, { resamples: 200, seed: i });
      if (v.status === 'regression') caught++;
    }
    assert.ok(caught >= 95, `caught ${caught}/100`);
  });

  it('reports how sure with both tests: p is the larger, the CI the hull, the method says so', () => {
    const rng = createRng(9);
    const base = pool(Array.from({ length: 5 }, () => run(rng, 30, 0.1, 0.02, 0.02)));
    const v = compare(m(run(rng, 30, 0.13, 0, 0.02)), base);
    assert.strictEqual(v.status, 'regression');
    assert.ok(v.runs, 'run-level result present');
    assert.strictEqual(v.runs.baselineRuns, 5);
    assert.strictEqual(v.runs.df, 4);
    assert.strictEqual(v.runs.source, 'baseline runs');
    assert.ok(v.ci && v.ci[0] <= v.runs.ci[0] && v.ci[1] >= v.runs.ci[1]);
    assert.ok((v.pValue ?? 0) >= v.runs.pValue);
    assert.match(v.reason, /Mann–Whitney and run-to-run t \(5 baseline runs, sd \d+\.\d%\), n=30\/150\)/);
    assert.match(verdictMethod(v), /t-test of this run's centre against 5 baseline runs \(run-to-run sd \d+\.\d%, 4 df\)/);
  });

  it('an estimate beyond the threshold that the run-to-run spread explains is inconclusive, and more rounds will not help', () => {
    const rng = createRng(10);
    // Baseline runs spread ±6%; the new run is +8%: the samples differ, the runs do not.
    const runs = [0.94, 1.0, 1.06, 0.97, 1.03].map((c) => run(rng, 30, 0.1 * c, 0, 0.005));
    const v = compare(m(run(rng, 30, 0.108, 0, 0.005)), pool(runs));
    assert.strictEqual(compare(m(run(rng, 30, 0.108, 0, 0.005)), pool(runs), { samplesOnly: true }).status, 'regression');
    assert.strictEqual(v.status, 'inconclusive');
    assert.strictEqual(v.moreRounds, undefined);
    assert.match(v.reason, /run-to-run spread limits the interval/);
  });

  it('one baseline run: no run-to-run spread unless calibrated — then the calibration is the spread', () => {
    const rng = createRng(11);
    const one = pool([run(rng, 30, 0.1, 0, 0.02)]);
    const cur = m(run(rng, 30, 0.13, 0, 0.02));
    const v = compare(cur, one);
    assert.strictEqual(v.status, 'regression');
    assert.strictEqual(v.runs, undefined);
    assert.notStrictEqual(v.confidence, 'high');
    assert.match(v.reason, /run-to-run spread unknown \(one baseline run, no calibration\): within-run test only$/);
    const cal = compare(cur, one, { runSpread: { sd: 0.02, df: 9 } });
    assert.strictEqual(cal.runs?.source, 'calibrated');
    assert.strictEqual(cal.runs?.df, 9);
    assert.strictEqual(cal.status, 'regression');
    // A plain pair of sample sets (no stored runs) is judged as before, without the note.
    assert.doesNotMatch(compare(cur, m(one.samples as number[])).reason, /run-to-run/);
  });

  it('summaries only: Welch is combined with the runs of the baseline the same way', () => {
    const runs: BaselineRun[] = [0.94, 1.0, 1.06, 0.97, 1.03].map((c) => ({ summary: { mean: c, median: c, stddev: 0.01, n: 30 }, acceptedAt: '2026-11-01T00:00:00Z', acceptedBy: 'user:t' }));
    const eff = effectiveOfRuns(runs);
    const base: Measurement = { metric: 'duration', unit: 's', summary: eff.summary, runs };
    const cur: Measurement = { metric: 'duration', unit: 's', summary: { mean: 1.08, median: 1.08, stddev: 0.01, n: 30 } };
    assert.strictEqual(compare(cur, base, { samplesOnly: true }).status, 'regression');
    const v = compare(cur, base);
    assert.strictEqual(v.test, 'welch');
    assert.strictEqual(v.status, 'inconclusive');
    assert.strictEqual(v.runs?.baselineRuns, 5);
    const big = compare({ ...cur, summary: { ...cur.summary, mean: 1.4, median: 1.4 } }, base);
    assert.strictEqual(big.status, 'regression');
  });

  it('runLevelTest: t on log centres with k − 1 (+ calibration) df; undefined without any spread', () => {
    const runs = [1, 1.1, 0.9].map((c) => ({ summary: { median: c } }));
    const rl = runLevelTest({ metric: 'duration', unit: 's', summary: { median: 1 } }, { metric: 'duration', unit: 's', summary: { median: 1 }, runs });
    assert.ok(rl);
    assert.strictEqual(rl.df, 2);
    const logs = [0, Math.log(1.1), Math.log(0.9)];
    const mu = logs.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mu) ** 2, 0) / 2);
    assert.ok(Math.abs(rl.sd - sd) < 1e-12);
    assert.ok(Math.abs(Math.log(rl.ratio) + mu) < 1e-12);
    const both = runLevelTest({ metric: 'duration', unit: 's', summary: { median: 1 } }, { metric: 'duration', unit: 's', summary: { median: 1 }, runs }, 0.95, { runSpread: { sd: 0.05, df: 8 } });
    assert.strictEqual(both?.df, 10);
    assert.strictEqual(both?.source, 'baseline runs + calibrated');
    assert.strictEqual(runLevelTest({ metric: 'duration', unit: 's', summary: { median: 1 } }, { metric: 'duration', unit: 's', summary: { median: 1 }, runs: runs.slice(0, 1) }), undefined);
  });
});
