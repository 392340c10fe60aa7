import * as assert from 'assert';
import { compare, compareAll, seriesById, type Measurement } from '../../src/core/verdict';
import { createRng } from '../../src/core/stats/random';
import type { Metric, Series } from '../../src/core/model';

// Synthetic timings: log-normal around `center` with relative spread `cv`, from a seeded PRNG.
function timings(seed: number, n: number, center: number, cv: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => center * Math.exp(cv * rng.normal()));
}
const m = (samples: number[], metric: Metric = 'duration'): Measurement => ({
  metric,
  unit: metric === 'throughput' ? '1/s' : 's',
  samples,
  summary: {},
});

describe('verdict', () => {
  it('regression: +20% with 3% noise, n=30 — significant, CI above 1, reason in one line', () => {
    const v = compare(m(timings(1, 30, 0.12, 0.03)), m(timings(2, 30, 0.1, 0.03)));
    assert.strictEqual(v.status, 'regression');
    assert.strictEqual(v.method, 'samples');
    assert.ok(v.ratio !== null && v.ratio > 1.15 && v.ratio < 1.25, String(v.ratio));
    assert.ok(v.ci && v.ci[0] > 1.05 && v.ci[1] < 1.3, String(v.ci));
    assert.ok((v.pValue ?? 1) < 0.001);
    assert.strictEqual(v.confidence, 'high');
    assert.ok(v.effect !== undefined && v.effect > 0.015);
    assert.match(v.reason, /^Regression: \+\d+\.\d% median \(95% CI \+\d+\.\d%…\+\d+\.\d%, p<0\.001, Mann–Whitney, n=30\/30\)$/);
  });

  it('improvement: −20% duration', () => {
    const v = compare(m(timings(3, 30, 0.08, 0.03)), m(timings(4, 30, 0.1, 0.03)));
    assert.strictEqual(v.status, 'improvement');
    assert.ok(v.ratio !== null && v.ratio < 0.85);
  });

  it('higher is better for throughput: 20% fewer requests per second is a regression', () => {
    const v = compare(m(timings(5, 30, 800, 0.03), 'throughput'), m(timings(6, 30, 1000, 0.03), 'throughput'));
    assert.strictEqual(v.status, 'regression');
    const up = compare(m(timings(7, 30, 1200, 0.03), 'throughput'), m(timings(8, 30, 1000, 0.03), 'throughput'));
    assert.strictEqual(up.status, 'improvement');
  });

  it('unchanged with high confidence when the whole CI lies within ±5%', () => {
    const v = compare(m(timings(9, 100, 0.1, 0.02)), m(timings(10, 100, 0.1, 0.02)));
    assert.strictEqual(v.status, 'unchanged');
    assert.strictEqual(v.confidence, 'high');
    assert.ok(v.ci && v.ci[0] >= 0.95 && v.ci[1] <= 1.05);
    assert.match(v.reason, /^Unchanged: .* CI within ±5%$/);
  });

  it('a significant but tiny shift (+2%) is unchanged, not a regression', () => {
    const v = compare(m(timings(11, 300, 0.102, 0.01)), m(timings(12, 300, 0.1, 0.01)));
    assert.ok((v.pValue ?? 1) < 0.01);
    assert.strictEqual(v.status, 'unchanged');
  });

  it('inconclusive: +8% but only 4 noisy samples per side', () => {
    const v = compare(m(timings(13, 4, 0.108, 0.1)), m(timings(14, 4, 0.1, 0.1)));
    assert.strictEqual(v.status, 'inconclusive');
    assert.strictEqual(v.confidence, 'low');
    assert.match(v.reason, /the baseline's 4 rounds limit the interval \(and the rule wants 10 per side\)$/);
    assert.strictEqual(v.moreRounds, undefined);
  });

  it('inconclusive: estimate within ±5% but the CI reaches past it with fewer than minSamples', () => {
    const v = compare(m(timings(15, 6, 0.1, 0.08)), m(timings(16, 6, 0.1, 0.08)));
    assert.ok(v.ratio !== null && Math.abs(v.ratio - 1) < 0.05, String(v.ratio));
    assert.strictEqual(v.status, 'inconclusive');
    assert.match(v.reason, /only 6 samples/);
  });

  it('new when there is no baseline; missing ids and new ids from a whole run', () => {
    assert.strictEqual(compare(m([1, 2, 3]), undefined).status, 'new');
    const series: Series[] = [
      { id: 'a', metric: 'duration', unit: 's', samples: timings(17, 30, 0.1, 0.02), summary: {} },
      { id: 'b', metric: 'duration', unit: 's', samples: timings(18, 30, 0.1, 0.02), summary: {} },
    ];
    const baselines = { a: m(timings(19, 30, 0.1, 0.02)), gone: m(timings(20, 30, 0.1, 0.02)) };
    const out = compareAll(seriesById(series), baselines);
    assert.deepStrictEqual(
      out.map((v) => [v.id, v.status]),
      [
        ['a', 'unchanged'],
        ['b', 'new'],
        ['gone', 'missing'],
      ],
    );
  });

  it('hard limit: 1.6× on 3 samples is not significant, but the 1.5× limit makes it a regression', () => {
    const cur = m([0.16, 0.17, 0.155]);
    const base = m([0.1, 0.105, 0.098]);
    assert.strictEqual(compare(cur, base).status, 'inconclusive');
    const v = compare(cur, base, { hardLimit: 1.5 });
    assert.strictEqual(v.status, 'regression');
    assert.deepStrictEqual(v.hardLimit, { limit: 1.5, exceeded: true });
    assert.match(v.reason, /^Hard limit 1\.5× exceeded: \+6\d\.\d% median/);
    const fine = compare(m(timings(21, 30, 0.1, 0.02)), m(timings(22, 30, 0.1, 0.02)), { hardLimit: 1.5 });
    assert.deepStrictEqual(fine.hardLimit, { limit: 1.5, exceeded: false });
    assert.throws(() => compare(cur, base, { hardLimit: 0.5 }), /hardLimit/);
  });

  it('summary only with mean, stddev and n: Welch t, medium confidence at most', () => {
    const cur: Measurement = { metric: 'duration', unit: 's', summary: { mean: 0.12, stddev: 0.006, n: 25, median: 0.119 } };
    const base: Measurement = { metric: 'duration', unit: 's', summary: { mean: 0.1, stddev: 0.005, n: 25, median: 0.1 } };
    const v = compare(cur, base);
    assert.strictEqual(v.status, 'regression');
    assert.strictEqual(v.method, 'summary');
    assert.strictEqual(v.test, 'welch');
    assert.strictEqual(v.statistic, 'mean');
    assert.strictEqual(v.confidence, 'medium');
    assert.ok(v.ci && v.ci[0] > 1.1 && v.ci[1] < 1.3);
    assert.match(v.reason, /Welch t from summaries/);
  });

  it('summary only without spread: threshold rule on the shared statistic, low confidence, said so', () => {
    const cur: Measurement = { metric: 'duration', unit: 's', summary: { percentiles: { p50: 0.11, p95: 0.3 } } };
    const base: Measurement = { metric: 'duration', unit: 's', summary: { percentiles: { p50: 0.1, p95: 0.25 } } };
    const v = compare(cur, base);
    assert.strictEqual(v.status, 'regression');
    assert.strictEqual(v.method, 'summary');
    assert.strictEqual(v.test, 'threshold');
    assert.strictEqual(v.confidence, 'low');
    assert.strictEqual(v.pValue, undefined);
    assert.match(v.reason, /summary only, no spread reported/);
    const p95only = compare(
      { metric: 'duration', unit: 's', summary: { percentiles: { p95: 0.251 } } },
      { metric: 'duration', unit: 's', summary: { percentiles: { p95: 0.25 } } },
    );
    assert.strictEqual(p95only.status, 'unchanged');
    assert.strictEqual(p95only.statistic, 'p95');
  });

  it('mixed: samples on one side only fall back to summaries derived from them', () => {
    const v = compare(m(timings(23, 30, 0.13, 0.02)), { metric: 'duration', unit: 's', summary: { mean: 0.1, stddev: 0.002, n: 30 } });
    assert.strictEqual(v.method, 'summary');
    assert.strictEqual(v.status, 'regression');
  });

  it('different units are not compared; a zero baseline has no ratio', () => {
    const v = compare(m([1, 2, 3]), { metric: 'memory', unit: 'bytes', samples: [1, 2, 3], summary: {} });
    assert.strictEqual(v.status, 'inconclusive');
    assert.match(v.reason, /Not comparable/);
    const errs = compare(
      { metric: 'errorRate', unit: 'ratio', summary: { mean: 0.02 } },
      { metric: 'errorRate', unit: 'ratio', summary: { mean: 0 } },
    );
    assert.strictEqual(errs.status, 'regression');
    assert.strictEqual(errs.ratio, null);
    assert.strictEqual(errs.confidence, 'low');
  });

  it('quantile option: judges the 10th percentile, robust to slow outliers on one side', () => {
    // Baseline clean; current has the same fast mode but 60% of samples hit by 3× interference.
    const base = timings(30, 40, 0.1, 0.02);
    const cur = timings(31, 40, 0.1, 0.02).map((v, i) => (i % 5 < 3 ? v * 3 : v));
    assert.strictEqual(compare(m(cur), m(base)).status, 'regression'); // the median moved
    const v = compare(m(cur), m(base), { quantile: 0.1 });
    assert.strictEqual(v.statistic, 'p10');
    assert.notStrictEqual(v.status, 'regression');
    assert.match(v.reason, / p10 \(95% CI/);
  });

  it('is deterministic: same data, same verdict (seeded bootstrap)', () => {
    const a = m(timings(24, 30, 0.1, 0.05));
    const b = m(timings(25, 30, 0.1, 0.05));
    assert.deepStrictEqual(compare(a, b), compare(a, b));
  });

  it('simulation: ≤ 1% false regressions on 300 A/A pairs, ≥ 95% of +10% caught (n=30, 5% noise)', () => {
    // iid log-normal samples; a 10% shift is 2σ per sample, so n = 30 has ample power.
    let falseAlarms = 0;
    let caught = 0;
    for (let i = 0; i < 300; i++) {
      const base = m(timings(1000 + i, 30, 0.1, 0.05));
      if (compare(m(timings(5000 + i, 30, 0.1, 0.05)), base, { resamples: 400 }).status === 'regression') falseAlarms++;
      if (compare(m(timings(9000 + i, 30, 0.11, 0.05)), base, { resamples: 400 }).status === 'regression') caught++;
    }
    assert.ok(falseAlarms <= 3, `false alarms ${falseAlarms}/300`);
    assert.ok(caught >= 285, `caught ${caught}/300`);
  });
});
