// How sure, in words: the compact lens form, the test behind a verdict, and the estimate of how
// many more rounds would decide an inconclusive comparison (checked by actually sampling them).
import * as assert from 'assert';
import { createRng } from '../../src/core/stats/random';
import { ciText, compare, minRankP, roundsToDecide, shortP, shortPct, verdictCompact, verdictMethod, type Measurement, type Verdict } from '../../src/core/verdict';

function timings(seed: number, n: number, center: number, cv: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => center * Math.exp(cv * rng.normal()));
}
const m = (samples: number[]): Measurement => ({ metric: 'duration', unit: 's', samples, summary: {} });

describe('verdict text', () => {
  it('short numbers: signed change, CI range, p against α = 0.01', () => {
    assert.strictEqual(shortPct(1.352), '+35%');
    assert.strictEqual(shortPct(1.052), '+5.2%');
    assert.strictEqual(shortPct(0.88), '−12%');
    assert.strictEqual(shortPct(1.0001), '0.0%');
    assert.strictEqual(shortP(0.0004), 'p<0.001');
    assert.strictEqual(shortP(0.004), 'p<0.01');
    assert.strictEqual(shortP(0.042), 'p=0.04');
    assert.strictEqual(ciText({ ci: [1.28, 1.41], ciLevel: 0.95, method: 'samples' }), '95% CI +28…+41%');
    assert.strictEqual(ciText({ ci: [0.98, 1.19], ciLevel: 0.95, method: 'summary' }), 'approx. 95% CI −2.0…+19%');
  });

  it('compact line: interval and test for a regression, rounds to go when inconclusive, summaries said', () => {
    const reg: Verdict = { status: 'regression', ratio: 1.35, ci: [1.28, 1.41], ciLevel: 0.95, pValue: 0.0021, confidence: 'high', method: 'samples', test: 'mann-whitney', n: { current: 30, baseline: 30 }, reason: '' };
    assert.strictEqual(verdictCompact(reg), '+35% regression (95% CI +28…+41%, p<0.01)');
    assert.strictEqual(verdictMethod(reg), 'Mann–Whitney on 30/30 rounds, median ratio with a bootstrap 95% CI');
    const inc: Verdict = { ...reg, status: 'inconclusive', ratio: 1.08, ci: [0.98, 1.19], pValue: 0.04, moreRounds: 6 };
    assert.strictEqual(verdictCompact(inc), '+8.0% inconclusive — 6 more rounds would decide (95% CI −2.0…+19%, p=0.04)');
    const welch: Verdict = { ...reg, method: 'summary', test: 'welch', ci: [1.2, 1.5] };
    assert.strictEqual(verdictCompact(welch), '+35% regression (approx. 95% CI +20…+50%, p<0.01, from summaries)');
    assert.match(verdictMethod(welch), /^Welch t from summaries \(n=30\/30\) — approximate/);
    const thr: Verdict = { status: 'unchanged', ratio: 1.01, confidence: 'low', method: 'summary', test: 'threshold', statistic: 'median', reason: '' };
    assert.strictEqual(verdictCompact(thr), '+1.0% unchanged (threshold only, from summaries)');
    assert.match(verdictMethod(thr), /^threshold only — the tool reports no spread/);
    assert.strictEqual(verdictCompact({ status: 'new', ratio: null, confidence: 'high', reason: '' }), 'new · no baseline');
  });

  it('roundsToDecide: narrower needs fewer, a baseline too small to decide gives none', () => {
    const base = { ratio: 1.08, ci: [0.98, 1.19] as [number, number], ciLevel: 0.95, alpha: 0.01, threshold: 0.05, nCurrent: 10, nBaseline: 1000 };
    const wide = roundsToDecide(base) as number;
    const narrow = roundsToDecide({ ...base, ci: [1.02, 1.14] }) as number;
    assert.ok(wide > narrow && narrow >= 1, `${wide} ${narrow}`);
    // With a huge baseline the width is the current side's alone: needing half the width takes 4× the rounds.
    // Beyond the threshold the 99% interval must exclude 1: half-width ln(1.08)=0.077 vs 95% half-width ~0.097.
    const h95 = (Math.log(1.19) - Math.log(0.98)) / 2;
    const expected = Math.ceil(10 * ((h95 / 1.96 * 2.5758) / Math.log(1.08)) ** 2 - 10);
    assert.ok(Math.abs(wide - expected) <= 1, `${wide} vs ${expected}`);
    assert.strictEqual(roundsToDecide({ ...base, nBaseline: 3 }), undefined);
    assert.strictEqual(roundsToDecide({ ...base, ratio: 1.05, ci: [0.99, 1.11] }), undefined, 'exactly at the threshold nothing decides');
  });

  it('moreRounds is honest: sampling that many more rounds decides most inconclusive cases (+8%, 8% noise, 6 rounds vs 40)', () => {
    let inconclusive = 0;
    let decided = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const base = timings(1000 + seed, 40, 0.1, 0.08);
      const cur = timings(2000 + seed, 6, 0.108, 0.08);
      const v = compare(m(cur), m(base), { resamples: 500, seed });
      if (v.status !== 'inconclusive' || v.moreRounds === undefined) continue;
      inconclusive++;
      assert.match(v.reason, new RegExp(`about ${v.moreRounds} more rounds? would decide$`));
      const more = timings(3000 + seed, v.moreRounds, 0.108, 0.08);
      const after = compare(m([...cur, ...more]), m(base), { resamples: 500, seed });
      if (after.status !== 'inconclusive') decided++;
    }
    assert.ok(inconclusive >= 10, `only ${inconclusive} inconclusive starts`);
    assert.ok(decided / inconclusive >= 0.5, `${decided}/${inconclusive} decided after the estimated rounds`);
  });

  it("few samples: the estimate respects the rank test's smallest p (3 against 3 never reaches 0.01), and keeps its promise", () => {
    assert.strictEqual(minRankP(3, 3), 0.1); // 2 / C(6,3)
    assert.ok(Math.abs(minRankP(9, 3) - 2 / 220) < 1e-12);
    assert.ok(minRankP(8, 3) > 0.01 && minRankP(9, 3) < 0.01);
    const base = [1, 1.01, 0.99];
    const cur = [1.3, 1.31, 1.29];
    const v = compare(m(cur), m(base), { seed: 1 });
    assert.strictEqual(v.status, 'inconclusive');
    assert.strictEqual(v.moreRounds, 6); // the interval alone said 1: n=4/3 still cannot go below p=0.057
    assert.match(v.reason, /about 6 more rounds would decide \(with 3 baseline rounds, Mann–Whitney needs 9 current ones to reach p<0\.01: its smallest p at n=3\/3 is 0\.100\)$/);
    const more = [1.305, 1.315, 1.295, 1.32, 1.285, 1.325]; // distinct: ties would make the test asymptotic
    const fewer = compare(m([...cur, ...more.slice(0, 5)]), m(base), { seed: 1 });
    assert.strictEqual(fewer.status, 'inconclusive', '8 against 3 cannot reach p<0.01 yet');
    const after = compare(m([...cur, ...more]), m(base), { seed: 1 });
    assert.strictEqual(after.status, 'regression', after.reason);
  });

  it('a p far from α gets no "1 more round" from a wide interval alone (real bimodal tinybench rounds from the demo, ns)', () => {
    // The baseline's rounds fall in two modes (244 and ~380 ns); the current run's sit at 262–277:
    // the medians differ by 29% while the ranks barely differ (p=0.81).
    const base = [243, 243, 244, 244, 244, 244, 244, 244, 244, 244, 244, 244, 246, 247, 248, 260, 271, 364, 367, 369, 375, 378, 379, 381, 382, 385, 387, 389, 391, 393, 394, 636, 655, 706, 740, 1478, 3001, 3131, 3144, 3739];
    const cur = [3526, 3233, 3545, 265, 264, 269, 264, 263, 264, 264, 265, 263, 266, 273, 266, 262, 264, 264, 264, 262, 468, 560, 284, 268, 263, 276, 267, 269, 269, 267, 264, 549, 262, 264, 264, 274, 463, 277, 262, 263];
    const v = compare(m(cur.map(x => x * 1e-9)), m(base.map(x => x * 1e-9)), { seed: 1 });
    assert.strictEqual(v.status, 'inconclusive');
    assert.ok(v.pValue! > 0.5, String(v.pValue));
    assert.strictEqual(v.moreRounds, undefined, v.reason);
    assert.match(v.reason, /more rounds of this run alone are unlikely to decide: at p=0\.8\d the two sides overlap too much/);
  });
});
