import * as assert from 'assert';
import { bestSplit, detectChangePoints, residualRho } from '../../../src/core/stats/changePoints';
import { createRng } from '../../../src/core/stats/random';

/** Level × (1 + shift after `at`) × lognormal noise of `sd` (seeded). */
function history(n: number, at: number | undefined, shift: number, sd: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => 0.01 * (at !== undefined && i >= at ? 1 + shift : 1) * Math.exp(sd * rng.normal()));
}

/** Q̂ of one split straight from the definition (Matteson & James, α = 1). */
function qBrute(x: number[], tau: number): number {
  const l = x.slice(0, tau);
  const r = x.slice(tau);
  let cross = 0;
  for (const a of l) for (const b of r) cross += Math.abs(a - b);
  const within = (s: number[]) => {
    let t = 0;
    for (let i = 0; i < s.length; i++) for (let k = i + 1; k < s.length; k++) t += Math.abs(s[i] - s[k]);
    return t / ((s.length * (s.length - 1)) / 2);
  };
  const m = l.length;
  const k = r.length;
  return ((m * k) / x.length) * ((2 * cross) / (m * k) - within(l) - within(r));
}

describe('stats/changePoints (E-divisive)', () => {
  it('the incremental split statistic equals the definition', () => {
    const x = history(17, 9, 0.1, 0.05, 1).map(Math.log);
    const best = bestSplit(x, 3);
    assert.ok(best);
    let want = { tau: -1, q: -Infinity };
    for (let tau = 3; tau <= x.length - 3; tau++) {
      const q = qBrute(x, tau);
      if (q > want.q) want = { tau, q };
    }
    assert.strictEqual(best.tau, want.tau);
    assert.ok(Math.abs(best.q - want.q) < 1e-9, `${best.q} vs ${want.q}`);
  });

  it('finds a 20 % shift at its commit and reports its size and confidence', () => {
    const cps = detectChangePoints(history(40, 22, 0.2, 0.02, 7));
    assert.strictEqual(cps.length, 1, JSON.stringify(cps));
    assert.strictEqual(cps[0].index, 22);
    assert.ok(Math.abs(cps[0].shift - 0.2) < 0.03, String(cps[0].shift));
    assert.ok(cps[0].confidence >= 0.99 && cps[0].pValue <= 0.01);
  });

  it('finds two shifts, up then down, in index order', () => {
    const a = history(45, 15, 0.15, 0.02, 3);
    for (let i = 30; i < 45; i++) a[i] /= 1.15 * 1.1; // back down, 10 % under the start
    const cps = detectChangePoints(a);
    assert.deepStrictEqual(cps.map(c => c.index), [15, 30]);
    assert.ok(cps[0].shift > 0.1 && cps[1].shift < -0.15);
  });

  it('reports nothing on pure noise, and drops shifts under minShift', () => {
    for (let seed = 1; seed <= 5; seed++) assert.deepStrictEqual(detectChangePoints(history(40, undefined, 0, 0.03, seed)), [], `seed ${seed}`);
    const small = history(60, 30, 0.02, 0.002, 11);
    assert.strictEqual(detectChangePoints(small).length, 1, 'a clean 2 % shift is significant');
    assert.deepStrictEqual(detectChangePoints(small, { minShift: 0.05 }), [], 'but smaller than asked for');
  });

  it('too short histories have no change point; bad values are refused', () => {
    assert.deepStrictEqual(detectChangePoints([1, 2, 1, 2, 1]), []);
    assert.throws(() => detectChangePoints([1, 0, 2, 3, 4, 5]), /positive finite/);
  });

  it('is deterministic for a seed', () => {
    const x = history(50, 25, 0.05, 0.03, 5);
    assert.deepStrictEqual(detectChangePoints(x, { seed: 'a' }), detectChangePoints(x, { seed: 'a' }));
  });

  it('drift-aware parts: ρ̂ sees autocorrelation but not the step itself; a step three commits before the end is still found', () => {
    const rng = createRng(5);
    const iid = Array.from({ length: 40 }, (_, i) => (i >= 20 ? 0.1 : 0) + 0.01 * rng.normal());
    assert.ok(residualRho(iid, 20) < 0.3, `a step with independent noise is not autocorrelation: ${residualRho(iid, 20)}`);
    let level = 0;
    const walk = Array.from({ length: 40 }, () => (level += 0.01 * rng.normal()) + 0.002 * rng.normal());
    assert.ok(residualRho(walk, 20) > 0.5, `a wandering level is: ${residualRho(walk, 20)}`);
    // The local check compares up to 8 points before with the 3 after (unequal windows near an end).
    const late = Array.from({ length: 30 }, (_, i) => (i >= 27 ? 1.1 : 1) * Math.exp(0.01 * rng.normal()));
    assert.deepStrictEqual(detectChangePoints(late, { minShift: 0.03, seed: 2 }).map(c => c.index), [27]);
    // A level that wanders by small steps (each within the noise) has no commit to blame locally.
    const wander = walk.map(v => Math.exp(v));
    assert.deepStrictEqual(detectChangePoints(wander, { localAlpha: 1e-9, seed: 3 }), [], 'nothing passes an impossible local check');
  });
});
