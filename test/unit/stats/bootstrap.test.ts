import * as assert from 'assert';
import { bootstrapRatioOfMedians } from '../../../src/core/stats/bootstrap';
import { createRng } from '../../../src/core/stats/random';
import { close, reference } from './reference';

describe('stats/bootstrap', () => {
  it('agrees with scipy.stats.bootstrap(method="percentile") within Monte Carlo error', () => {
    // scipy used 50 000 resamples with its own generator; ours uses 20 000 with xoshiro128**, so
    // the bounds can only agree approximately: within 0.5% of the ratio.
    const ref = reference().bootstrap;
    const r = bootstrapRatioOfMedians(ref.current, ref.baseline, { resamples: 20000 });
    close(r.estimate, ref.estimate, 1e-14, 0, 'estimate');
    close(r.lo, ref.lo, 0.005, 0, 'lo');
    close(r.hi, ref.hi, 0.005, 0, 'hi');
    assert.strictEqual(r.method, 'percentile');
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8];
    const b = [2, 3, 4, 5, 6, 7, 8, 9];
    assert.deepStrictEqual(bootstrapRatioOfMedians(a, b, { seed: 3 }), bootstrapRatioOfMedians(a, b, { seed: 3 }));
    assert.notDeepStrictEqual(bootstrapRatioOfMedians(a, b, { seed: 3 }), bootstrapRatioOfMedians(a, b, { seed: 4 }));
  });

  it('covers the true ratio about 95% of the time (seeded simulation, n = 30 per side)', () => {
    // Log-normal timings with 5% spread, true ratio of medians 1.10. 120 repetitions: a correct
    // 95% interval covers 114 (binomial σ ≈ 2.4); we accept ≥ 106 (about 3σ below).
    const rng = createRng(42);
    const draw = (m: number): number[] => Array.from({ length: 30 }, () => m * Math.exp(0.05 * rng.normal()));
    let covered = 0;
    for (let i = 0; i < 120; i++) {
      const r = bootstrapRatioOfMedians(draw(1.1), draw(1), { resamples: 1000, seed: i });
      if (r.lo <= 1.1 && 1.1 <= r.hi) covered++;
    }
    assert.ok(covered >= 106 && covered <= 120, `covered ${covered}/120`);
  });

  it('bootstraps other quantiles too (the estimate is the type-7 quantile ratio)', () => {
    const a = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    const b = [5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5];
    const r = bootstrapRatioOfMedians(a, b, { quantile: 0.1 });
    close(r.estimate, 10.9 / 5.45, 1e-14);
    assert.ok(r.lo <= r.estimate && r.estimate <= r.hi);
    assert.throws(() => bootstrapRatioOfMedians(a, b, { quantile: 2 }), /quantile/);
  });

  it('constant samples give a zero-width interval; bad options throw', () => {
    const r = bootstrapRatioOfMedians([2, 2, 2], [1, 1, 1]);
    assert.deepStrictEqual([r.lo, r.estimate, r.hi], [2, 2, 2]);
    assert.throws(() => bootstrapRatioOfMedians([], [1]), /at least one/);
    assert.throws(() => bootstrapRatioOfMedians([1], [1], { confidence: 1 }), /confidence/);
  });
});
