import * as assert from 'assert';
import { welchRatioInterval, welchTest } from '../../../src/core/stats/welch';
import { Alternative } from '../../../src/core/stats/mannWhitney';
import { close, reference } from './reference';

// Expected values: scipy.stats.ttest_ind_from_stats(..., equal_var=False, alternative) 1.10.
describe('stats/welch', () => {
  const alts: Alternative[] = ['two-sided', 'greater', 'less'];
  for (const [i, c] of (reference().welch as { a: { mean: number; stddev: number; n: number }; b: { mean: number; stddev: number; n: number }; [k: string]: unknown }[]).entries()) {
    it(`matches scipy on case ${i + 1}`, () => {
      for (const alt of alts) {
        const exp = c[alt] as { t: number; p: number };
        const r = welchTest(c.a, c.b, alt);
        close(r.t, exp.t, 1e-12, 0, `t ${alt}`);
        close(r.pValue, exp.p, 1e-10, 1e-300, `p ${alt}`);
      }
    });
  }

  it('gives a ratio interval around m1/m2 that narrows with n', () => {
    const small = welchRatioInterval({ mean: 1.1, stddev: 0.1, n: 5 }, { mean: 1, stddev: 0.1, n: 5 });
    const large = welchRatioInterval({ mean: 1.1, stddev: 0.1, n: 500 }, { mean: 1, stddev: 0.1, n: 500 });
    close(small.ratio, 1.1, 1e-14);
    assert.ok(small.lo < 1.1 && small.hi > 1.1);
    assert.ok(large.hi - large.lo < (small.hi - small.lo) / 5);
    assert.ok(large.lo > 1.08 && large.hi < 1.12);
  });

  it('handles zero spread and rejects n < 2', () => {
    assert.strictEqual(welchTest({ mean: 2, stddev: 0, n: 3 }, { mean: 1, stddev: 0, n: 3 }).pValue, 0);
    assert.strictEqual(welchTest({ mean: 1, stddev: 0, n: 3 }, { mean: 1, stddev: 0, n: 3 }).pValue, 1);
    assert.throws(() => welchTest({ mean: 1, stddev: 1, n: 1 }, { mean: 1, stddev: 1, n: 3 }), /n must be/);
  });
});
