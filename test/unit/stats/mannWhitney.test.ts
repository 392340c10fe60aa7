import * as assert from 'assert';
import { Alternative, exactUDistribution, mannWhitneyU } from '../../../src/core/stats/mannWhitney';
import { close, reference } from './reference';

// Expected values: scipy.stats.mannwhitneyu(x, y, alternative, method="auto") 1.10 (reference.py):
// exact for small samples without ties, normal approximation with tie and continuity corrections
// otherwise.
describe('stats/mannWhitney', () => {
  const alts: Alternative[] = ['two-sided', 'less', 'greater'];
  for (const [i, c] of (reference().mannWhitney as { x: number[]; y: number[]; [k: string]: unknown }[]).entries()) {
    it(`matches scipy on case ${i + 1} (n=${c.x.length}/${c.y.length})`, () => {
      for (const alt of alts) {
        const exp = c[alt] as { u1: number; p: number };
        const r = mannWhitneyU(c.x, c.y, { alternative: alt });
        assert.strictEqual(r.u1, exp.u1, `U1 ${alt}`);
        close(r.pValue, exp.p, 1e-10, 1e-300, `p ${alt}`);
      }
    });
  }

  it('uses the exact distribution for small samples without ties and the normal one otherwise', () => {
    assert.strictEqual(mannWhitneyU([1, 2, 3], [4, 5, 6]).method, 'exact');
    assert.strictEqual(mannWhitneyU([1, 2, 2], [4, 5, 6]).method, 'asymptotic');
    const big = Array.from({ length: 9 }, (_, i) => i);
    assert.strictEqual(mannWhitneyU(big, big.map((v) => v + 0.5)).method, 'asymptotic');
    assert.throws(() => mannWhitneyU([1, 1], [2, 3], { method: 'exact' }), /without ties/);
  });

  it('exact null distribution: textbook values for m = n = 3 (counts 1,1,2,3,3,3,3,2,1,1 of 20)', () => {
    // The Gaussian binomial [6 choose 3]_q; e.g. Siegel & Castellan, Table J.
    const pmf = Array.from(exactUDistribution(3, 3), (p) => Math.round(p * 20));
    assert.deepStrictEqual(pmf, [1, 1, 2, 3, 3, 3, 3, 2, 1, 1]);
    // Complete separation of 3 vs 3: one-sided p = 1/20.
    close(mannWhitneyU([1, 2, 3], [4, 5, 6], { alternative: 'less' }).pValue, 0.05, 1e-14);
  });

  it('all values equal gives p = 1, and bad input throws', () => {
    assert.strictEqual(mannWhitneyU([2, 2, 2, 2, 2, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2, 2, 2, 2]).pValue, 1);
    assert.throws(() => mannWhitneyU([], [1]), /at least one/);
    assert.throws(() => mannWhitneyU([NaN], [1]), /non-finite/);
  });
});
