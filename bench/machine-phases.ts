// Why a stored-baseline verdict cannot catch every 10% slowdown on this machine, and why Perf Lens
// does not "normalize by machine speed": measure the machine's slow phases and what they do to
// different kinds of code.
//
// Each of N processes (spawned one after another, as a suite's runs are) times K real
// micro-workloads in turn — four that allocate and walk memory (JSON.stringify, JSON.parse,
// split+sort, Map) and one pure-ALU loop — 30 samples each, and prints their medians. Reported per
// workload: the spread of ln(median) around its overall centre (sd, 5th…95th percentile), the
// share of processes ≥ 20% slower than usual, and the spread left after subtracting the process's
// common mode (the median shift of the OTHER workloads of the same process: what a speed probe or
// a run-wide correction would remove). A strip shows the processes in order: `#` ≥ 30% slower,
// `+` ≥ 10%, `-` ≥ 10% faster (the median over workloads); then the same per CPU the process ran on.
//
// Run: npx tsc -p . && node out/bench/machine-phases.js [processes=120] [rounds=100]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { median, quantile, stddev } from '../src/core/stats/descriptive';

const N = Number(process.argv[2] ?? 120);
const ROUNDS = Number(process.argv[3] ?? 100);
const SAMPLES = 30;
const WARMUP = 20;

const item = (i: number) => ({ i, label: `item-${i}`, value: i * 1.5, ok: i % 3 === 0, nested: { a: i, b: [i, i + 1] } });
const payload = (n: number) => ({ id: 1, name: 'perf-lens', tags: ['a', 'b'], items: Array.from({ length: n }, (_, i) => item(i)) });
const small = payload(20);
const tiny = payload(5);
const text20 = JSON.stringify(small);
const text60 = JSON.stringify(payload(60));
let sink = 0;

const WORKLOADS: [string, () => void][] = [
  ['JSON.stringify 2 KB', () => { sink ^= JSON.stringify(small).length; }],
  ['JSON.stringify 0.5 KB', () => { sink ^= JSON.stringify(tiny).length; }],
  ['JSON.parse 2 KB', () => { sink ^= (JSON.parse(text20) as { items: unknown[] }).items.length; }],
  ['split + sort 6 KB', () => { const a = text60.split(','); a.sort(); sink ^= a.length; }],
  ['Map of 200 keys', () => { const m = new Map<string, number>(); for (let i = 0; i < 200; i++) m.set(`k${i}`, i); sink ^= m.size; }],
  ['ALU xorshift loop', () => { let x = sink | 1; for (let i = 0; i < 3000; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; } sink ^= x; }],
];

function time(f: () => void): number {
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < ROUNDS; r++) f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** The CPU this process last ran on (field 39 of /proc/self/stat), when Linux says. */
function lastCpu(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[36]);
  } catch {
    return undefined;
  }
}

if (process.argv[4] === '--child') {
  const medians = WORKLOADS.map(([, f]) => {
    for (let i = 0; i < WARMUP; i++) time(f);
    return median(Array.from({ length: SAMPLES }, () => time(f)));
  });
  process.stdout.write(JSON.stringify({ medians, cpu: lastCpu(), sink: sink & 1 }));
  process.exit(0);
}

function main(): void {
  const started = Date.now();
  const load0 = os.loadavg();
  const rows: number[][] = [];
  const cpus: (number | undefined)[] = [];
  for (let i = 0; i < N; i++) {
    const r = spawnSync(process.execPath, [__filename, String(N), String(ROUNDS), '--child'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { medians: number[]; cpu?: number };
    rows.push(out.medians.map(Math.log));
    cpus.push(out.cpu);
  }
  const K = WORKLOADS.length;
  const centre = Array.from({ length: K }, (_, k) => median(rows.map(r => r[k])));
  const dev = rows.map(r => r.map((v, k) => v - centre[k]));
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  const spread = (xs: number[]) => `sd ${(stddev(xs) * 100).toFixed(1).padStart(5)}%  ${pct(quantile(xs, 0.05)).padStart(7)}…${pct(quantile(xs, 0.95)).padEnd(7)}`;
  console.log(`machine phases — node ${process.version}, ${N} processes × ${K} workloads, ${SAMPLES} samples of ${ROUNDS} calls; load average ${load0.map(l => l.toFixed(2)).join(' ')} → ${os.loadavg().map(l => l.toFixed(2)).join(' ')}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${'workload'.padEnd(24)}${'ln(median) around its centre'.padEnd(34)}≥20% slower   ${'after removing the common mode'}`);
  for (let k = 0; k < K; k++) {
    const raw = dev.map(d => d[k]);
    const adjusted = dev.map(d => d[k] - median(d.filter((_, j) => j !== k)));
    const slow = raw.filter(x => x >= Math.log(1.2)).length / N;
    console.log(`${WORKLOADS[k][0].padEnd(24)}${spread(raw).padEnd(34)}${`${(slow * 100).toFixed(0)}%`.padStart(11)}   ${spread(adjusted)}`);
  }
  const strip = dev.map(d => {
    const m = median(d);
    return m >= Math.log(1.3) ? '#' : m >= Math.log(1.1) ? '+' : m <= -Math.log(1.1) ? '-' : '.';
  }).join('');
  console.log(`processes in order (# ≥30% slower, + ≥10%, - ≥10% faster):\n${strip}`);
  // Per CPU the process ended on: a slow phase of one (virtual) CPU shows as a skew here.
  const byCpu = new Map<number, number[]>();
  dev.forEach((d, i) => {
    if (cpus[i] !== undefined) byCpu.set(cpus[i]!, [...(byCpu.get(cpus[i]!) ?? []), median(d)]);
  });
  for (const [cpu, ms] of [...byCpu].sort((a, b) => a[0] - b[0])) {
    console.log(`CPU ${cpu}: ${ms.length} processes, ${((100 * ms.filter(m => m >= Math.log(1.2)).length) / ms.length).toFixed(0)}% ≥20% slower, median shift ${pct(median(ms))}`);
  }
}

main();
