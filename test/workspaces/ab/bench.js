// A tiny real benchmark: times lib/work.js and writes Perf Lens' own run format, every round's
// time a sample. Usage: node bench.js OUT_FILE
'use strict';
const fs = require('fs');
const path = require('path');
const lib = require('./lib/work');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const out = process.argv[2] ?? '.perf/results/bench.json';
let sink = 0;

function timeRound(fn) {
  const calls = 20;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) sink ^= fn();
  return Number(process.hrtime.bigint() - t0) / 1e9 / calls;
}

const startedAt = new Date().toISOString();
const series = ['work', 'steady'].map((name) => {
  for (let i = 0; i < 3; i++) timeRound(lib[name]);
  const samples = Array.from({ length: ROUNDS }, () => timeRound(lib[name]));
  const sorted = [...samples].sort((a, b) => a - b);
  return { id: `bench.js::${name}`, name, metric: 'duration', unit: 's', samples, summary: { n: samples.length, median: sorted[Math.floor(sorted.length / 2)], min: sorted[0] } };
});
const run = { format: 'perf-lens-run', version: 1, tool: 'perf-lens', kind: 'regression', suite: 'bench', startedAt, series };
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(`${out}.tmp`, JSON.stringify(run));
fs.renameSync(`${out}.tmp`, out);
process.stdout.write(`sink ${sink & 1}\n`);
