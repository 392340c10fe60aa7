// Micro-benchmarks of the service's hot functions. Writes Perf Lens' own run format with
// every round's time as a sample, so verdicts use rank statistics on real samples.
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { videosPage, detections, dashboardStats } = require('../lib/catalog');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const out = process.argv[2] ?? '.perf/results/bench.json';

const cases = {
  videosPage: () => videosPage('test-project-123', 10, 50),
  detections: () => detections('video-42', 500),
  dashboardStats: () => dashboardStats([]),
};

function timeRound(fn) {
  // Enough calls per round that one round lasts well above the timer's resolution.
  const calls = 200;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e9 / calls;
}

const startedAt = new Date().toISOString();
const series = Object.entries(cases).map(([name, fn]) => {
  for (let i = 0; i < 5; i++) timeRound(fn); // warm-up
  const samples = Array.from({ length: ROUNDS }, () => timeRound(fn));
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { id: `bench/service.bench.js::${name}`, name, metric: 'duration', unit: 's', samples, summary: { n: samples.length, median, mean, min: sorted[0], max: sorted[sorted.length - 1] } };
});

const run = {
  format: 'perf-lens-run',
  version: 1,
  tool: 'perf-lens',
  kind: 'regression',
  suite: 'bench',
  startedAt,
  machine: { cpuModel: os.cpus()[0]?.model ?? '', cores: os.cpus().length, os: `${os.platform()} ${os.release()} ${os.arch()}`, arch: os.arch(), runtimes: { node: process.versions.node } },
  series,
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(`${out}.tmp`, JSON.stringify(run, null, 2));
fs.renameSync(`${out}.tmp`, out);
for (const s of series) process.stdout.write(`${s.name}: median ${(s.summary.median * 1e6).toFixed(1)} µs over ${ROUNDS} rounds\n`);
