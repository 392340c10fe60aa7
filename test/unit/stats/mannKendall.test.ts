import * as assert from 'assert';
import { mannKendall } from '../../../src/core/stats/mannKendall';
import { normalSf } from '../../../src/core/stats/distributions';
import { close, reference } from './reference';

// Expected values (reference.py): S recovered from scipy.stats.kendalltau against time (tau-b with
// untied x), Var(S) by the tie-corrected formula, and p from scipy.stats.norm with the continuity
// correction. kendalltau's own p (no continuity correction) cross-checks S and Var(S) together.
describe('stats/mannKendall', () => {
  for (const [i, c] of (reference().mannKendall as { y: number[]; S: number; varS: number; pKendallTauNoContinuity: number; pTwoSided: number; pGreater: number }[]).entries()) {
    it(`matches the scipy-derived values on series ${i + 1} (n=${c.y.length})`, () => {
      const r = mannKendall(c.y);
      assert.strictEqual(r.s, c.S);
      close(r.varS, c.varS, 1e-12, 0, 'var');
      close(2 * normalSf(Math.abs(r.s) / Math.sqrt(r.varS)), c.pKendallTauNoContinuity, 1e-9, 1e-300, 'kendalltau p');
      close(r.pValue, c.pTwoSided, 1e-12, 1e-300, 'two-sided p');
      close(mannKendall(c.y, 'greater').pValue, c.pGreater, 1e-12, 1e-300, 'greater p');
    });
  }

  it('textbook small case: strictly increasing n = 5 has S = 10, Var = 50/3·… and tau = 1', () => {
    // n(n−1)(2n+5)/18 = 5·4·15/18 = 16.667; Z = 9/√16.667 = 2.2045.
    const r = mannKendall([1, 2, 3, 4, 5], 'greater');
    assert.strictEqual(r.s, 10);
    close(r.varS, 50 / 3, 1e-14);
    close(r.z, 9 / Math.sqrt(50 / 3), 1e-14);
    assert.strictEqual(r.tau, 1);
    assert.strictEqual(r.trend, 'increasing');
  });

  it('flat series: no trend, p = 1', () => {
    const r = mannKendall([4, 4, 4, 4, 4]);
    assert.strictEqual(r.s, 0);
    assert.strictEqual(r.pValue, 1);
    assert.strictEqual(r.trend, 'none');
  });
});
