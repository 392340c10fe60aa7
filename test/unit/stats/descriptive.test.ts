import * as assert from 'assert';
import { iqr, mad, max, mean, median, min, quantile, stddev, sum, variance } from '../../../src/core/stats/descriptive';
import { close, reference } from './reference';

// Expected values: numpy.mean/median/quantile(method="linear")/std(ddof=1), scipy.stats.iqr and
// median_abs_deviation — see reference.py.
describe('stats/descriptive', () => {
  for (const [i, c] of (reference().descriptive as Json[]).entries()) {
    it(`matches numpy/scipy on data set ${i + 1} (n=${c.data.length})`, () => {
      close(mean(c.data), c.mean, 1e-14, 0, 'mean');
      close(median(c.data), c.median, 1e-14, 0, 'median');
      close(stddev(c.data), c.stddev, 1e-12, 1e-18, 'stddev');
      close(quantile(c.data, 0.1), c.q10, 1e-13, 1e-18, 'q10');
      close(quantile(c.data, 0.95), c.q95, 1e-13, 1e-18, 'q95');
      close(iqr(c.data), c.iqr, 1e-12, 1e-18, 'iqr');
      close(mad(c.data), c.mad, 1e-12, 1e-18, 'mad');
      close(mad(c.data, true), c.madNormal, 1e-12, 1e-18, 'mad normal');
    });
  }

  it('does not mutate its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    iqr(xs);
    assert.deepStrictEqual(xs, [3, 1, 2]);
  });

  it('throws on empty input and on q outside [0, 1]', () => {
    assert.throws(() => mean([]), /empty/);
    assert.throws(() => quantile([1, 2], 1.5), /q must be in/);
  });

  it('sums without losing small terms (Neumaier)', () => {
    assert.strictEqual(sum([1e16, 1, -1e16]), 1);
  });

  it('keeps infinities out of NaN when neighbours are equal', () => {
    assert.strictEqual(quantile([1, Infinity, Infinity], 0.9), Infinity);
    assert.strictEqual(variance([5]), 0);
    assert.strictEqual(min([2, -1, 3]), -1);
    assert.strictEqual(max([2, -1, 3]), 3);
  });
});

type Json = ReturnType<typeof reference>;
