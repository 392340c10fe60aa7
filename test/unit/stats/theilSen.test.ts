import * as assert from 'assert';
import { roundHalfEven, theilSen } from '../../../src/core/stats/theilSen';
import { close, reference } from './reference';

// Expected values: scipy.stats.theilslopes(y, x, alpha=confidence) 1.10, method='separate'.
describe('stats/theilSen', () => {
  for (const [i, c] of (reference().theilSen as { x: number[]; y: number[]; confidence: number; slope: number; intercept: number; lo: number; hi: number }[]).entries()) {
    it(`matches scipy.theilslopes on case ${i + 1} (n=${c.x.length})`, () => {
      const r = theilSen(c.x, c.y, c.confidence);
      close(r.slope, c.slope, 1e-12, 1e-15, 'slope');
      close(r.intercept, c.intercept, 1e-12, 1e-12, 'intercept');
      close(r.lo, c.lo, 1e-12, 1e-15, 'lo');
      close(r.hi, c.hi, 1e-12, 1e-15, 'hi');
    });
  }

  it('recovers an exact line and ignores a gross outlier', () => {
    const x = Array.from({ length: 15 }, (_, i) => i);
    const y = x.map((v) => 3 * v + 1);
    y[13] = 1000; // off-centre: the 'separate' intercept uses median(y), which a central outlier would shift
    const r = theilSen(x, y);
    assert.strictEqual(r.slope, 3);
    assert.strictEqual(r.intercept, 1);
  });

  it('rounds half to even like numpy', () => {
    assert.deepStrictEqual([0.5, 1.5, 2.5, 2.4, 2.6, -1.5].map(roundHalfEven), [0, 2, 2, 2, 3, -2]);
  });

  it('rejects unusable input', () => {
    assert.throws(() => theilSen([1], [1]), /two points/);
    assert.throws(() => theilSen([1, 1], [1, 2]), /identical/);
    assert.throws(() => theilSen([1, 2], [1]), /differ/);
  });
});
