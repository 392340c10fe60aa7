// Keep sampling under repeated looks: the error rate stays what we claim (seeded A/A simulation),
// a real 10% slowdown is found, and the loop stops on its bounds. bench/keepSampling.ts runs the
// larger simulation side by side with judging every look at the full α.
import * as assert from 'assert';
import { isDecided, keepSampling } from '../../../src/core/sampling/keepSampling';
import { lookAlpha, lookAlphas, spentAlpha } from '../../../src/core/stats/sequential';
import { createRng } from '../../../src/core/stats/random';
import type { Measurement } from '../../../src/core/verdict';

const m = (samples: number[]): Measurement => ({ metric: 'duration', unit: 's', samples, summary: {} });

function drawer(seed: number, cv: number): (n: number, center: number) => number[] {
  const rng = createRng(seed);
  return (n, center) => Array.from({ length: n }, () => center * Math.exp(cv * rng.normal()));
}

describe('sequential alpha spending', () => {
  it('each design spends exactly α over its looks; Pocock evenly, O’Brien–Fleming late', () => {
    for (const spending of ['pocock', 'obrien-fleming', 'bonferroni'] as const) {
      const a = lookAlphas({ alpha: 0.01, maxLooks: 5, spending });
      assert.ok(Math.abs(a.reduce((s, x) => s + x, 0) - 0.01) < 1e-12, spending);
      assert.ok(a.every(x => x > 0), spending);
    }
    const p = lookAlphas({ alpha: 0.01, maxLooks: 5, spending: 'pocock' });
    assert.ok(p[0] / p[4] < 3 && p[0] > p[4], `pocock ${p}`);
    const obf = lookAlphas({ alpha: 0.01, maxLooks: 5, spending: 'obrien-fleming' });
    assert.ok(obf[0] < 1e-6 && obf[4] > 0.005, `obf ${obf}`);
    assert.strictEqual(lookAlpha({ alpha: 0.01, maxLooks: 5 }, 6), 0);
    assert.strictEqual(spentAlpha(0.01, 1, 'obrien-fleming'), 0.01);
    assert.throws(() => lookAlphas({ alpha: 0, maxLooks: 5 }), /alpha must be in \(0, 1\)/);
  });
});

describe('keepSampling', () => {
  it('A/A: over 600 sequences of up to 5 looks, false regressions + improvements ≤ α (+ tolerance)', async () => {
    // Threshold 0: only the sequential test guards the error rate (the strictest case).
    const draw = drawer(7, 0.1);
    const N = 600;
    let regressions = 0;
    let improvements = 0;
    let looks = 0;
    for (let i = 0; i < N; i++) {
      const r = await keepSampling({ baseline: m(draw(20, 1)), initial: m(draw(6, 1)), runOnce: async () => draw(6, 1), threshold: 0, maxLooks: 5, resamples: 100, seed: i });
      if (r.verdict.status === 'regression') regressions++;
      if (r.verdict.status === 'improvement') improvements++;
      looks += r.looks.length;
    }
    const rate = (regressions + improvements) / N;
    assert.ok(looks / N > 4.5, `sequences ran to ~5 looks (${looks / N})`);
    // α = 0.01 is the design's total; binomial sd at 1% over 600 sequences is 0.3%.
    assert.ok(rate <= 0.01 + 0.006, `false decisions ${rate} (regressions ${regressions}, improvements ${improvements})`);
    assert.ok(regressions / N <= 0.005 + 0.005, `false regressions ${regressions / N}`);
  });

  it('a 10% slowdown (5% noise) is found before the last look', async () => {
    const draw = drawer(11, 0.05);
    let found = 0;
    let looks = 0;
    for (let i = 0; i < 100; i++) {
      const r = await keepSampling({ baseline: m(draw(20, 1)), initial: m(draw(6, 1.1)), runOnce: async () => draw(6, 1.1), resamples: 200, seed: i });
      if (r.verdict.status === 'regression' && r.decided) found++;
      looks += r.looks.length;
    }
    assert.ok(found >= 95, `found ${found}/100`);
    assert.ok(looks / 100 < 4, `mean looks ${looks / 100}`);
  });

  it('stops on its bounds: decided at look 1 without running, max looks, time, cancellation, runs that give nothing', async () => {
    const draw = drawer(3, 0.05);
    const base = m(draw(30, 1));
    let runs = 0;
    const clear = await keepSampling({ baseline: base, initial: m(draw(30, 1.3)), runOnce: async () => (runs++, draw(10, 1.3)) });
    assert.deepStrictEqual([clear.stopped, clear.looks.length, runs], ['decided', 1, 0]);
    assert.match(clear.verdict.reason, /\[look 1 of 5, α=\S+ at this look \(O'Brien–Fleming-type alpha spending of 0\.01 over 5 looks\)\]$/);

    // +5% exactly at the threshold never decides: every planned look is used.
    const seen: number[] = [];
    const atThreshold = await keepSampling({ baseline: base, initial: m(draw(5, 1.05)), runOnce: async () => draw(5, 1.05), maxLooks: 3, onLook: l => seen.push(l.n) });
    if (!atThreshold.decided) assert.strictEqual(atThreshold.stopped, 'max-looks');
    assert.deepStrictEqual(seen.slice(0, 2), [5, 10]);
    assert.strictEqual(atThreshold.samples.length, seen[seen.length - 1]);

    let t = 0;
    const timed = await keepSampling({ baseline: base, initial: m(draw(3, 1.05)), runOnce: async () => ((t += 1000), draw(3, 1.05)), maxTimeMs: 1500, now: () => t });
    if (!timed.decided) assert.strictEqual(timed.stopped, 'time');
    assert.ok(timed.looks.length <= 3);

    const ac = new AbortController();
    const cancelled = await keepSampling({ baseline: base, initial: m(draw(3, 1.05)), runOnce: async () => (ac.abort(), draw(3, 1.05)), signal: ac.signal });
    assert.strictEqual(cancelled.stopped, 'cancelled');

    const empty = await keepSampling({ baseline: base, initial: m([]), runOnce: async () => [] });
    assert.deepStrictEqual([empty.stopped, empty.looks.length, empty.verdict.status], ['no-samples', 0, 'inconclusive']);
  });

  it('isDecided: regression/improvement, or unchanged with the interval inside ±threshold', () => {
    const base = { ratio: 1, confidence: 'high' as const, reason: '' };
    assert.ok(isDecided({ ...base, status: 'regression' }, 0.05));
    assert.ok(isDecided({ ...base, status: 'unchanged', ci: [0.97, 1.04] }, 0.05));
    assert.ok(!isDecided({ ...base, status: 'unchanged', ci: [0.94, 1.04] }, 0.05));
    assert.ok(!isDecided({ ...base, status: 'inconclusive', ci: [0.99, 1.01] }, 0.05));
  });
});
