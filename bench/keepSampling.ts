// Keep sampling: does the error rate stay what we claim under repeated looks, and how soon are
// real shifts found — sequential alpha spending side by side with judging every look at full α.
//
// Run:  cd /work/main && npx tsc -p . && node out/bench/keepSampling.js [--sequences 2000] [--looks 5] [--per-run 6]
//
// Seeded synthetic data (log-normal, 10% per-round noise; baseline 20 rounds, each run adds
// --per-run rounds), so the figures are reproducible; real timings are what bench/verdicts.ts
// measures for the single-look rule. Threshold 0 for A/A isolates the test's own error rate.
import { compare, type Measurement, type Verdict } from '../src/core/verdict';
import { isDecided, keepSampling } from '../src/core/sampling/keepSampling';
import { createRng } from '../src/core/stats/random';
import type { Spending } from '../src/core/stats/sequential';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SEQUENCES = arg('sequences', 2000);
const LOOKS = arg('looks', 5);
const PER_RUN = arg('per-run', 6);
const CV = 0.1;
const m = (samples: number[]): Measurement => ({ metric: 'duration', unit: 's', samples, summary: {} });

/** Every look judged at the full α, stopping when decided: the dishonest peer. */
function naive(base: number[], runs: number[][], threshold: number, seed: number): Verdict {
  const pool: number[] = [];
  let v: Verdict | undefined;
  for (const r of runs) {
    pool.push(...r);
    v = compare(m(pool), m(base), { threshold, resamples: 200, seed });
    if (isDecided(v, threshold)) break;
  }
  return v as Verdict;
}

async function scenario(shift: number, threshold: number, spending: Spending, n: number): Promise<{ seqReg: number; seqImp: number; naiveReg: number; naiveImp: number; meanLooks: number; decided: number }> {
  const rng = createRng(`${shift}-${threshold}`);
  const draw = (k: number, c: number): number[] => Array.from({ length: k }, () => c * Math.exp(CV * rng.normal()));
  const out = { seqReg: 0, seqImp: 0, naiveReg: 0, naiveImp: 0, meanLooks: 0, decided: 0 };
  for (let i = 0; i < n; i++) {
    const base = draw(20, 1);
    const runs = Array.from({ length: LOOKS }, () => draw(PER_RUN, shift));
    let j = 1;
    const r = await keepSampling({ baseline: m(base), initial: m(runs[0]), runOnce: async () => runs[j++], maxLooks: LOOKS, threshold, spending, resamples: 200, seed: i });
    const nv = naive(base, runs, threshold, i);
    out.seqReg += +(r.verdict.status === 'regression');
    out.seqImp += +(r.verdict.status === 'improvement');
    out.naiveReg += +(nv.status === 'regression');
    out.naiveImp += +(nv.status === 'improvement');
    out.meanLooks += r.looks.length / n;
    out.decided += +r.decided;
  }
  return out;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  console.log(`keep sampling: ${SEQUENCES} sequences per row, up to ${LOOKS} looks of ${PER_RUN} rounds, baseline 20 rounds, ${CV * 100}% noise, α = 0.01`);
  console.log('scenario                 spending         seq regr  seq impr  naive regr  naive impr  decided  mean looks');
  const rows: [string, number, number, Spending, number][] = [
    ['A/A, threshold 0', 1, 0, 'pocock', SEQUENCES],
    ['A/A, threshold 0', 1, 0, 'obrien-fleming', SEQUENCES],
    ['A/A, threshold 5%', 1, 0.05, 'obrien-fleming', SEQUENCES],
    ['+5%, threshold 5%', 1.05, 0.05, 'obrien-fleming', Math.ceil(SEQUENCES / 4)],
    ['+10%, threshold 5%', 1.1, 0.05, 'pocock', Math.ceil(SEQUENCES / 4)],
    ['+10%, threshold 5%', 1.1, 0.05, 'obrien-fleming', Math.ceil(SEQUENCES / 4)],
  ];
  const f = (x: number, n: number): string => `${((100 * x) / n).toFixed(2)}%`.padStart(8);
  for (const [name, shift, thr, spending, n] of rows) {
    const r = await scenario(shift, thr, spending, n);
    console.log(`${name.padEnd(24)} ${spending.padEnd(16)} ${f(r.seqReg, n)}  ${f(r.seqImp, n)}  ${f(r.naiveReg, n).padStart(10)}  ${f(r.naiveImp, n).padStart(10)}  ${f(r.decided, n)}  ${r.meanLooks.toFixed(2).padStart(10)}`);
  }
  console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s; synthetic seeded data, CPU contention does not change the rates)`);
}

void main();
