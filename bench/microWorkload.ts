// The real micro-benchmark the verdict benches time (bench/verdicts.ts, bench/ab-verdicts.ts):
// JSON.stringify of a fixed ~2 KB object, plus a busy loop whose iteration count injects a
// known slowdown once calibrated.

const payload = {
  id: 12345,
  name: 'perf-lens',
  tags: ['bench', 'json', 'stringify', 'fixed'],
  items: Array.from({ length: 20 }, (_, i) => ({ i, label: `item-${i}`, value: i * 1.5, ok: i % 3 === 0, nested: { a: i, b: [i, i + 1] } })),
};

let sink = 0; // keeps results observable so the JIT cannot drop the work

function extraWork(iterations: number): void {
  let x = sink | 1;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  sink ^= x;
}

/** Seconds for `rounds` calls of the workload plus `extra` loop iterations per call. */
export function timeRounds(rounds: number, extra: number): number {
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    sink ^= JSON.stringify(payload).length;
    extraWork(extra);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** A bit of the results, printed so the work is observably used. */
export const sinkBit = (): number => sink & 1;
