// Our load engine vs autocannon and wrk, in one run, against one loopback Node http server (in its
// own process), same connections and duration; each generator runs as its own process under
// /usr/bin/time so its CPU is measured the same way. Two phases:
//   1. saturation (closed loop, C connections): requests/s, p50/p99, generator CPU;
//   2. fixed rate R (half of autocannon's saturation rate): our open loop vs autocannon -R, p50/p99.
// wrk runs with 1 thread to match the two single-threaded Node generators.
// Run: npx tsc -p . && node out/bench/load-engine.js [connections=10] [seconds=8] [rounds=2]
// Needs wrk (apt-get install -y wrk); installs autocannon into a temp folder.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const C = Number(process.argv[2] ?? 10);
const D = Number(process.argv[3] ?? 8);
const ROUNDS = Number(process.argv[4] ?? 2);
const repo = path.resolve(process.env.PERF_LENS_REPO ?? process.cwd());
const loadMain = path.resolve(__dirname, '../src/engines/loadMain.js');

interface Result { tool: string; rps: number; p50ms: number; p99ms: number; cpuPct: number }

/** Runs argv under /usr/bin/time; returns stdout and CPU% of one core (user+sys over wall). */
function timed(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ out: string; cpuPct: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn('/usr/bin/time', ['-f', 'TIME %U %S %e', ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', d => (out += d));
    p.stderr.on('data', d => (err += d));
    p.on('close', code => {
      const m = err.match(/TIME ([\d.]+) ([\d.]+) ([\d.]+)/);
      if (code !== 0 || !m) return reject(new Error(`${argv.join(' ')} failed (${code}): ${err.slice(-500)}`));
      resolve({ out: out + err, cpuPct: ((Number(m[1]) + Number(m[2])) / Number(m[3])) * 100 });
    });
  });
}

async function ours(url: string, dir: string, rate?: number): Promise<Result> {
  const sc = path.join(dir, 'scenario.json');
  fs.writeFileSync(sc, JSON.stringify(rate === undefined
    ? { target: url, connections: C, durationSec: D, requests: [{ path: '/' }] }
    : { target: url, mode: 'open', rate, connections: C, durationSec: D, requests: [{ path: '/' }] }));
  const out = path.join(dir, 'ours.json');
  const { cpuPct } = await timed([process.execPath, loadMain, '--scenario', sc, '--out', out, '--progress-json'],
    { ...process.env, NODE_PATH: path.join(repo, 'node_modules') });
  const run = JSON.parse(fs.readFileSync(out, 'utf8')) as { series: { id: string; endpoint?: { rps?: number }; summary: { percentiles?: Record<string, number> } }[] };
  const agg = run.series.find(s => s.id === 'Aggregated')!;
  return { tool: rate === undefined ? 'perf-lens (closed)' : 'perf-lens (open)', rps: agg.endpoint!.rps!, p50ms: agg.summary.percentiles!.p50 * 1000, p99ms: agg.summary.percentiles!.p99 * 1000, cpuPct };
}

async function autocannon(bin: string, url: string, rate?: number): Promise<Result> {
  const args = [process.execPath, bin, '-c', String(C), '-d', String(D), '-j'];
  if (rate !== undefined) args.push('-R', String(rate));
  const { out, cpuPct } = await timed([...args, url]);
  const j = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as { requests: { total: number }; duration: number; latency: { p50: number; p99: number } };
  return { tool: rate === undefined ? 'autocannon' : 'autocannon -R', rps: j.requests.total / j.duration, p50ms: j.latency.p50, p99ms: j.latency.p99, cpuPct };
}

async function wrk(url: string): Promise<Result> {
  const { out, cpuPct } = await timed(['wrk', '-t1', `-c${C}`, `-d${D}s`, '--latency', url]);
  const ms = (re: RegExp) => {
    const m = out.match(re)!;
    const unit = m[2];
    return Number(m[1]) * (unit === 'us' ? 1e-3 : unit === 's' ? 1000 : 1);
  };
  return { tool: 'wrk -t1', rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)![1]), p50ms: ms(/50%\s+([\d.]+)(us|ms|s)/), p99ms: ms(/99%\s+([\d.]+)(us|ms|s)/), cpuPct };
}

// autocannon reports latency in whole milliseconds, so its p50 on loopback is often 0.
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a (autocannon rounds to whole ms)');

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-load-bench-'));
  process.stderr.write('installing autocannon into a temp folder…\n');
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefix', dir, 'autocannon'], { stdio: 'inherit' });
  const acBin = path.join(dir, 'node_modules', 'autocannon', 'autocannon.js');
  const acVersion = (JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'autocannon', 'package.json'), 'utf8')) as { version: string }).version;
  const wrkVersion = execFileSync('sh', ['-c', 'wrk -v 2>&1 | head -1']).toString().trim();

  const srvJs = path.join(dir, 'server.js');
  fs.writeFileSync(srvJs, "require('http').createServer((q, s) => s.end('hello world')).listen(0, '127.0.0.1', function () { console.log(this.address().port); });");
  const srv = spawn(process.execPath, [srvJs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>(r => srv.stdout.once('data', d => r(Number(String(d).trim()))));
  const url = `http://127.0.0.1:${port}/`;

  console.log(`load-engine bench: node ${process.versions.node}, autocannon ${acVersion}, ${wrkVersion}; ${C} connections, ${D} s, ${ROUNDS} rounds`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} — shared with other work, so absolute figures are measured under load; compare ratios within a round`);
  const fmt = (r: Result) => `${r.tool.padEnd(20)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50ms.toFixed(2).padStart(7)} ms  p99 ${r.p99ms.toFixed(2).padStart(7)} ms  generator CPU ${r.cpuPct.toFixed(0).padStart(3)}% of a core`;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`\nround ${round}: saturation, closed loop`);
      const a = await autocannon(acBin, url);
      const o = await ours(url, dir);
      const w = await wrk(url);
      for (const r of [o, a, w]) console.log(fmt(r));
      console.log(`ratios: ours/autocannon req/s ${(o.rps / a.rps).toFixed(2)}×, ours/wrk req/s ${(o.rps / w.rps).toFixed(2)}×; ` +
        `CPU per 1k req/s: ours ${(o.cpuPct / o.rps * 1000).toFixed(1)}%, autocannon ${(a.cpuPct / a.rps * 1000).toFixed(1)}%, wrk ${(w.cpuPct / w.rps * 1000).toFixed(1)}%`);
      const rate = Math.max(100, Math.round(a.rps / 2));
      console.log(`round ${round}: fixed rate ${rate}/s (half of autocannon's saturation rate)`);
      const oo = await ours(url, dir, rate);
      const ar = await autocannon(acBin, url, rate);
      for (const r of [oo, ar]) console.log(fmt(r));
      console.log(`ratios at the same rate: p50 ours/autocannon ${ratio(oo.p50ms, ar.p50ms)}, p99 ${ratio(oo.p99ms, ar.p99ms)} ` +
        '(ours measures from the intended send time, autocannon from the actual send)');
    }
  } finally {
    srv.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
