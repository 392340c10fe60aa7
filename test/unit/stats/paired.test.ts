import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { hodgesLehmann, pairedVerdict, wilcoxonExactPmf, wilcoxonSignedRank, type Pair, type PairedAlternative } from '../../../src/core/stats/paired';
import { createRng } from '../../../src/core/stats/random';
import { repoRoot } from '../helpers';
import { close } from './reference';

interface WilcoxonCase {
  d: number[];
  method: 'exact' | 'approx';
  rPlus: number;
  'two-sided': number;
  less: number;
  greater: number;
}
interface HlCase {
  d: number[];
  estimate: number;
  walsh: number[];
}
// Expected values: scipy.stats.wilcoxon 1.10, written by test/unit/ab/wilcoxon-reference.py.
const ref = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'unit', 'ab', 'wilcoxon-reference.json'), 'utf8')) as { wilcoxon: WilcoxonCase[]; hodgesLehmann: HlCase[] };

/** Pairs whose head is base × exp(shift + noise), base itself drifting as a busy machine does. */
function pairs(n: number, shift: number, noise: number, seed: number): Pair[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const drift = 1 + 0.2 * Math.sin(i / 3); // a slow phase hits both sides of a pair
    const base = 0.01 * drift * Math.exp(noise * rng.normal());
    return { base, head: 0.01 * drift * Math.exp(shift + noise * rng.normal()) };
  });
}

describe('stats/paired', () => {
  for (const [i, c] of ref.wilcoxon.entries()) {
    it(`signed-rank test matches scipy on case ${i + 1} (n=${c.d.length}, ${c.method})`, () => {
      for (const alt of ['two-sided', 'less', 'greater'] as PairedAlternative[]) {
        const r = wilcoxonSignedRank(c.d, { alternative: alt });
        assert.strictEqual(r.method, c.method === 'exact' ? 'exact' : 'asymptotic');
        close(r.rPlus, c.rPlus, 1e-12, 0, 'R+');
        close(r.pValue, c[alt], 1e-9, 1e-15, `p ${alt}`);
      }
    });
  }

  it('exact null distribution: textbook counts for n = 4 (1,1,1,2,2,2,2,2,1,1,1 of 16)', () => {
    assert.deepStrictEqual(Array.from(wilcoxonExactPmf(4), (p) => p * 16), [1, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1]);
    const total = wilcoxonExactPmf(30).reduce((a, b) => a + b, 0);
    close(total, 1, 1e-12);
  });

  it('Hodges–Lehmann: median of the Walsh averages, and an interval cut from them at exact ranks', () => {
    for (const c of ref.hodgesLehmann) {
      const hl = hodgesLehmann(c.d, 0.95);
      close(hl.estimate, c.estimate, 1e-12, 1e-15, 'estimate');
      assert.ok(c.walsh.includes(hl.lo) && c.walsh.includes(hl.hi), 'interval ends are Walsh averages');
      assert.ok(hl.lo <= hl.estimate && hl.estimate <= hl.hi);
      assert.ok(hl.level >= 0.95, `level ${hl.level}`);
    }
    // n = 8: P(R+ ≤ 3) = 5/256 ≤ 2.5% < P(R+ ≤ 4) = 7/256, so 4 averages are cut from each end.
    const d = ref.hodgesLehmann[0].d;
    const hl = hodgesLehmann(d, 0.95);
    const w = ref.hodgesLehmann[0].walsh;
    assert.strictEqual(hl.lo, w[3]);
    assert.strictEqual(hl.hi, w[w.length - 4]);
    close(hl.level, 1 - 10 / 256, 1e-12);
    // Too few pairs for a 95% interval: the widest one, with its true level.
    const few = hodgesLehmann([0.1, 0.2, 0.3], 0.95);
    assert.deepStrictEqual([few.lo, few.hi, few.level], [0.1, 0.3, 1]);
  });

  it('CI coverage on synthetic symmetric data is at least the level asked (seeded, 400 trials)', () => {
    const rng = createRng(7);
    let covered = 0;
    for (let t = 0; t < 400; t++) {
      const d = Array.from({ length: 15 }, () => 0.03 + 0.02 * rng.normal());
      const hl = hodgesLehmann(d, 0.95);
      if (hl.lo <= 0.03 && 0.03 <= hl.hi) covered++;
    }
    assert.ok(covered / 400 >= 0.93, `coverage ${covered / 400}`);
  });

  it('A/A pairs: unchanged; a 10% slowdown: regression with the ratio near 1.10; a speed-up: improvement', () => {
    const aa = pairedVerdict(pairs(20, 0, 0.01, 1), 'duration');
    assert.strictEqual(aa.status, 'unchanged', aa.reason);
    assert.strictEqual(aa.test, 'wilcoxon-signed-rank');
    assert.strictEqual(aa.pairs, 20);
    const slow = pairedVerdict(pairs(20, Math.log(1.1), 0.01, 2), 'duration');
    assert.strictEqual(slow.status, 'regression', slow.reason);
    assert.ok(slow.ratio !== null && Math.abs(slow.ratio - 1.1) < 0.02, String(slow.ratio));
    assert.ok(slow.ci && slow.ci[0] > 1 && slow.ci[1] > slow.ci[0]);
    assert.ok(slow.pValue !== undefined && slow.pValue < 0.001);
    assert.match(slow.reason, /^Regression: \+\d+\.\d% paired \(95% CI .*Wilcoxon signed-rank, 20 pairs\)/);
    const fast = pairedVerdict(pairs(20, Math.log(0.9), 0.01, 3), 'duration');
    assert.strictEqual(fast.status, 'improvement', fast.reason);
    // Throughput: higher is better, so the same shift up is an improvement.
    assert.strictEqual(pairedVerdict(pairs(20, Math.log(1.1), 0.01, 2), 'throughput').status, 'improvement');
  });

  it('drift shared by both sides of each pair does not hide a 5% slowdown', () => {
    // ±20% machine drift across rounds, 1% noise within a pair: an unpaired view would see mostly drift.
    const v = pairedVerdict(pairs(16, Math.log(1.05), 0.01, 4), 'duration');
    assert.strictEqual(v.status, 'regression', v.reason);
  });

  it('few or noisy pairs are inconclusive and say roughly how many more rounds would decide', () => {
    const v = pairedVerdict(pairs(5, Math.log(1.08), 0.05, 5), 'duration');
    assert.strictEqual(v.status, 'inconclusive', v.reason);
    assert.match(v.reason, /more rounds would likely decide|collect more rounds/);
    const none = pairedVerdict([{ base: 0, head: 1 }], 'duration');
    assert.strictEqual(none.status, 'inconclusive');
    assert.strictEqual(none.ratio, null);
    assert.match(none.reason, /1 pair\(s\) without positive values left out/);
  });

  it('the threshold and α are configurable and checked', () => {
    const p = pairs(20, Math.log(1.03), 0.005, 6);
    assert.strictEqual(pairedVerdict(p, 'duration', { threshold: 0.02 }).status, 'regression');
    assert.notStrictEqual(pairedVerdict(p, 'duration', { threshold: 0.05 }).status, 'regression');
    assert.throws(() => pairedVerdict(p, 'duration', { threshold: 1.5 }), /threshold/);
    assert.throws(() => pairedVerdict(p, 'duration', { alpha: 0 }), /alpha/);
    assert.match(pairedVerdict(p, 'duration', { note: 'look 1 of 2' }).reason, /; look 1 of 2$/);
  });

  it('bad differences throw a clear error', () => {
    assert.throws(() => wilcoxonSignedRank([0.1, NaN]), /non-finite difference NaN at index 1/);
    assert.throws(() => wilcoxonSignedRank([0.1, 0.1, 0.2], { method: 'exact' }), /without zeros or ties/);
    assert.strictEqual(wilcoxonSignedRank([0, 0]).pValue, 1);
  });
});
