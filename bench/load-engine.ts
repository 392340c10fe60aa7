// Our load engine vs autocannon and wrk, in one run, against two loopback servers — nginx (Debian,
// one worker, a small static file) and a minimal Node http server, each in its own process —
// same connections and duration (closed loop); each generator runs as its own process under
// /usr/bin/time so its CPU is measured the same way. Rounds alternate the generators' order;
// medians over rounds are reported: requests/s, p50/p99 beside wrk's at the same connections,
// generator CPU (ours also over its measured window alone, from its run file). wrk runs with 1 thread to match the two single-threaded Node generators.
// With an open-loop rate, also that rate from both Node generators (ours measures latency from the
// intended send time, autocannon from the actual send and in whole milliseconds).
// With a pause per request, latency at the same load: ours with think time vs wrk with a Lua delay(),
// and vs a minimal Node socket loop (minimalNodeClient.ts), the floor of any Node generator.
// With BENCH_UNDICI=1, ours through undici's Client too ("client": "undici"), beside our own
// HTTP/1.1 framing (rawClient.ts, the default for http): what the own client gains, same run.
// Run: npx tsc -p . && node out/bench/load-engine.js [connections=10] [seconds=8] [rounds=3] [open rate/s=0] [paced ms=0]
// Needs wrk and nginx (apt-get install -y wrk nginx-light); installs autocannon into a temp folder.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freeLoopbackPort } from '../src/core/env/ports';
import { median } from '../src/core/stats/descriptive';
import { installAutocannon } from './autocannon';
import { LOAD_ENGINE_NODE_FLAGS } from '../src/core/config/suiteCommand';

const C = Number(process.argv[2] ?? 10);
const D = Number(process.argv[3] ?? 8);
const ROUNDS = Number(process.argv[4] ?? 3);
/** Also an open loop at this many requests/s (ours from the intended send time vs autocannon -R); 0: skip. */
const OPEN_RATE = Number(process.argv[5] ?? 0);
/**
 * Also latency at the same load: every connection waits this many ms before each request (ours:
 * thinkTimeSec; wrk: a Lua delay()), so neither generator runs flat out and both offer about
 * C / (think + latency) req/s; 0: skip. autocannon has no per-connection pause.
 */
const PACED_MS = Number(process.argv[6] ?? 0);
/** Also ours through undici (BENCH_UNDICI=1). */
const WITH_UNDICI = process.env.BENCH_UNDICI === '1';
const repo = path.resolve(process.env.PERF_LENS_REPO ?? process.cwd());
const loadMain = path.resolve(__dirname, '../src/engines/loadMain.js');

interface Result {
  tool: string; rps: number; p50ms: number; p99ms: number; cpuPct: number;
  /** Ours only: the engine's own CPU over its measured window (extra.generatorCpuPct), warm-up and start-up excluded. */
  windowCpuPct?: number;
}

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

async function ours(url: string, dir: string, rate?: number, thinkMs?: number, client: 'auto' | 'undici' = 'auto'): Promise<Result> {
  const sc = path.join(dir, 'scenario.json');
  fs.writeFileSync(sc, JSON.stringify(rate === undefined
    ? { target: url, connections: C, durationSec: D, requests: [{ path: '/' }], client, ...(thinkMs ? { thinkTimeSec: [thinkMs / 1000, thinkMs / 1000] } : {}) }
    : { target: url, mode: 'open', rate, connections: C, durationSec: D, requests: [{ path: '/' }], client }));
  const out = path.join(dir, 'ours.json');
  const { cpuPct } = await timed([process.execPath, ...LOAD_ENGINE_NODE_FLAGS, loadMain, '--scenario', sc, '--out', out, '--progress-json'],
    { ...process.env, NODE_PATH: path.join(repo, 'node_modules') });
  const run = JSON.parse(fs.readFileSync(out, 'utf8')) as { series: { id: string; endpoint?: { rps?: number }; summary: { percentiles?: Record<string, number> }; extra?: { generatorCpuPct?: number } }[] };
  const agg = run.series.find(s => s.id === 'Aggregated')!;
  const tool = (rate !== undefined ? 'perf-lens (open)' : thinkMs ? 'perf-lens (paced)' : 'perf-lens (closed)') + (client === 'undici' ? ' undici' : '');
  return { tool, rps: agg.endpoint!.rps!, p50ms: agg.summary.percentiles!.p50 * 1000, p99ms: agg.summary.percentiles!.p99 * 1000, cpuPct, windowCpuPct: agg.extra?.generatorCpuPct };
}

async function autocannon(bin: string, url: string, rate?: number): Promise<Result> {
  const args = [process.execPath, bin, '-c', String(C), '-d', String(D), '-j'];
  if (rate !== undefined) args.push('-R', String(rate));
  const { out, cpuPct } = await timed([...args, url]);
  const j = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as { requests: { total: number }; duration: number; latency: { p50: number; p99: number } };
  return { tool: rate === undefined ? 'autocannon' : 'autocannon -R', rps: j.requests.total / j.duration, p50ms: j.latency.p50, p99ms: j.latency.p99, cpuPct };
}

/** wrk, 1 thread; with `delayScript` (a Lua `delay()`) each connection pauses before each request. */
async function wrk(url: string, delayScript?: string): Promise<Result> {
  const script = delayScript ? ['-s', delayScript] : [];
  const { out, cpuPct } = await timed(['wrk', '-t1', `-c${C}`, `-d${D}s`, '--latency', ...script, url]);
  const ms = (re: RegExp) => {
    const m = out.match(re)!;
    const unit = m[2];
    return Number(m[1]) * (unit === 'us' ? 1e-3 : unit === 's' ? 1000 : 1);
  };
  return { tool: delayScript ? 'wrk -t1 (paced)' : 'wrk -t1', rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)![1]), p50ms: ms(/50%\s+([\d.]+)(us|ms|s)/), p99ms: ms(/99%\s+([\d.]+)(us|ms|s)/), cpuPct };
}


/** The minimal Node loop (minimalNodeClient.ts) at the paced load: the floor of any Node generator. */
async function minimalNode(url: string): Promise<Result> {
  const { out, cpuPct } = await timed([process.execPath, path.join(__dirname, 'minimalNodeClient.js'), url, String(C), String(D), String(PACED_MS)]);
  const r = JSON.parse(out.slice(0, out.indexOf('\n'))) as { rps: number; p50ms: number; p99ms: number };
  return { tool: 'minimal Node (paced)', ...r, cpuPct };
}

/** nginx in the foreground on a free loopback port, one worker, serving `index.html` from a temp root. */
async function startNginx(dir: string): Promise<{ url: string; stop(): void }> {
  const root = path.join(dir, 'nginx');
  fs.mkdirSync(path.join(root, 'www'), { recursive: true });
  fs.writeFileSync(path.join(root, 'www', 'index.html'), 'hello world');
  // Workers run as nobody: the temp folders must be readable by it.
  for (const d of [dir, root, path.join(root, 'www')]) fs.chmodSync(d, 0o755);
  const port = await freeLoopbackPort();
  const conf = path.join(root, 'nginx.conf');
  fs.writeFileSync(conf, `daemon off; worker_processes 1; pid ${root}/nginx.pid; error_log ${root}/error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${root}/tmp-body; proxy_temp_path ${root}/tmp-proxy; fastcgi_temp_path ${root}/tmp-fcgi;
  uwsgi_temp_path ${root}/tmp-uwsgi; scgi_temp_path ${root}/tmp-scgi; keepalive_requests 1000000;
  server { listen 127.0.0.1:${port}; root ${root}/www; location / { index index.html; } } }
`);
  const p = spawn('/usr/sbin/nginx', ['-p', root, '-c', conf, '-e', `${root}/error.log`], { stdio: 'inherit' });
  for (let i = 0; i < 50; i++) {
    if (await fetch(`http://127.0.0.1:${port}/`).then(r => r.ok, () => false)) return { url: `http://127.0.0.1:${port}/`, stop: () => p.kill('SIGQUIT') };
    await new Promise(r => setTimeout(r, 100));
  }
  p.kill('SIGKILL');
  throw new Error(`nginx did not answer on port ${port}: ${fs.existsSync(`${root}/error.log`) ? fs.readFileSync(`${root}/error.log`, 'utf8').slice(-500) : ''}`);
}

async function startNode(dir: string): Promise<{ url: string; stop(): void }> {
  const srvJs = path.join(dir, 'server.js');
  fs.writeFileSync(srvJs, "require('http').createServer((q, s) => s.end('hello world')).listen(0, '127.0.0.1', function () { console.log(this.address().port); });");
  const srv = spawn(process.execPath, [srvJs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>(r => srv.stdout.once('data', d => r(Number(String(d).trim()))));
  return { url: `http://127.0.0.1:${port}/`, stop: () => srv.kill() };
}

/** The median of per-round ratios, with every round's: `1.03× (rounds 0.95, …)`. */
function ratios(rs: number[]): string {
  const sorted = [...rs].sort((x, y) => x - y);
  return `${median(sorted).toFixed(2)}× (rounds ${sorted.map(x => x.toFixed(2)).join(', ')})`;
}

/**
 * ROUNDS rounds of the generators, the order rotating each round (for two: alternating); each
 * result printed with `fmt`. Returns each round's results in the order of `gens`.
 */
async function rotatingRounds(gens: (() => Promise<Result>)[], fmt: (r: Result) => string): Promise<Result[][]> {
  const rounds: Result[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const results: Result[] = new Array(gens.length);
    for (let k = 0; k < gens.length; k++) {
      const i = (k + round) % gens.length;
      results[i] = await gens[i]();
    }
    rounds.push(results);
    console.log(results.map(fmt).join('\n'));
  }
  return rounds;
}

const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(0)}%`;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-load-bench-'));
  const { bin: acBin, version: acVersion } = installAutocannon(dir);
  const wrkVersion = execFileSync('sh', ['-c', 'wrk -v 2>&1 | head -1']).toString().trim();
  const nginxVersion = execFileSync('sh', ['-c', '/usr/sbin/nginx -v 2>&1']).toString().trim();
  // wrk's pause for the paced section: a Lua delay() in ms before each request.
  const delayScript = PACED_MS > 0 ? path.join(dir, 'delay.lua') : undefined;
  if (delayScript) fs.writeFileSync(delayScript, `function delay() return ${PACED_MS} end\n`);
  const servers = [{ name: 'nginx (static file)', ...(await startNginx(dir)) }, { name: 'node http', ...(await startNode(dir)) }];

  console.log(`load-engine bench: node ${process.versions.node}, autocannon ${acVersion}, ${wrkVersion}, ${nginxVersion}; ${C} connections, ${D} s, ${ROUNDS} rounds`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} — shared with other work, so absolute figures are measured under load; compare ratios`);
  const fmt = (r: Result) => `  ${r.tool.padEnd(20)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50ms.toFixed(2).padStart(7)} ms  p99 ${r.p99ms.toFixed(2).padStart(7)} ms  generator CPU ${r.cpuPct.toFixed(0).padStart(3)}% of a core` +
    (r.windowCpuPct !== undefined ? ` (measured window ${r.windowCpuPct.toFixed(0)}%)` : '');
  const runners: Record<string, (url: string) => Promise<Result>> = {
    'perf-lens': url => ours(url, dir),
    autocannon: url => autocannon(acBin, url),
    'wrk -t1': url => wrk(url),
    ...(WITH_UNDICI ? { 'perf-lens undici': (url: string) => ours(url, dir, undefined, undefined, 'undici') } : {}),
  };
  const names = Object.keys(runners);
  try {
    for (const srv of servers) {
      const all: Record<string, Result[]> = Object.fromEntries(names.map(n => [n, []]));
      console.log(`\n${srv.name} ${srv.url}`);
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate the order so no generator always runs first (warm server) or last.
        const order = names.map((_, i) => names[(i + round) % names.length]);
        console.log(` round ${round + 1} (${order.join(', ')}):`);
        for (const n of order) {
          const r = await runners[n](srv.url);
          all[n].push(r);
          console.log(fmt(r));
        }
      }
      const med = Object.fromEntries(names.map(n => [n, {
        tool: `${n} (median)`, rps: median(all[n].map(r => r.rps)), p50ms: median(all[n].map(r => r.p50ms)),
        p99ms: median(all[n].map(r => r.p99ms)), cpuPct: median(all[n].map(r => r.cpuPct)),
        windowCpuPct: all[n][0].windowCpuPct === undefined ? undefined : median(all[n].map(r => r.windowCpuPct ?? NaN)),
      }])) as Record<string, Result>;
      const [o, a, w] = [med['perf-lens'], med.autocannon, med['wrk -t1']];
      console.log(` medians over ${ROUNDS} rounds:`);
      for (const r of [o, a, w]) console.log(fmt(r));
      if (WITH_UNDICI) console.log(fmt(med['perf-lens undici']));
      console.log(` ${srv.name}: ours/autocannon req/s ${(o.rps / a.rps).toFixed(2)}× (target ≥ 1.0), ours/wrk ${(o.rps / w.rps).toFixed(2)}×; ` +
        `latency vs wrk at the same ${C} connections: p50 ${o.p50ms.toFixed(2)} vs ${w.p50ms.toFixed(2)} ms (${pct(o.p50ms, w.p50ms)}), ` +
        `p99 ${o.p99ms.toFixed(2)} vs ${w.p99ms.toFixed(2)} ms (${pct(o.p99ms, w.p99ms)}); CPU per 1k req/s: ours ${(o.cpuPct / o.rps * 1000).toFixed(1)}%, ` +
        `autocannon ${(a.cpuPct / a.rps * 1000).toFixed(1)}%, wrk ${(w.cpuPct / w.rps * 1000).toFixed(1)}% of a core`);
      // The machine's slow phases last tens of seconds and move every figure by up to 1.7×, so the
      // ratio of two medians can pair a fast round with a slow one; a ratio within one round cannot.
      const paired = (n: string, f: (r: Result) => number) => ratios(all['perf-lens'].map((r, i) => f(r) / f(all[n][i])));
      console.log(` ${srv.name}, paired within each round: ours/autocannon req/s ${paired('autocannon', r => r.rps)}; ` +
        `ours/wrk p50 ${paired('wrk -t1', r => r.p50ms)}, p99 ${paired('wrk -t1', r => r.p99ms)}`);
      if (WITH_UNDICI) console.log(` ${srv.name}, ours/ours-through-undici paired: req/s ${paired('perf-lens undici', r => r.rps)}, CPU per request ${paired('perf-lens undici', r => r.cpuPct / r.rps)}`);
      // A closed loop with no think time keeps C requests in flight: mean latency ≈ C / throughput
      // (Little's law), so flat out the faster generator shows the lower latency. Latency at the
      // same load is the paced section's.
      console.log(` ${srv.name}, one request's cycle (${C} connections / req/s, medians): ours ${(1000 * C / o.rps).toFixed(2)} ms, wrk ${(1000 * C / w.rps).toFixed(2)} ms`);
      if (delayScript) {
        console.log(` paced, ${PACED_MS} ms before each request on every connection (the same load for both):`);
        // Our own client, and with BENCH_UNDICI=1 ours through undici too, each paired with wrk.
        for (const client of WITH_UNDICI ? (['auto', 'undici'] as const) : (['auto'] as const)) {
          const paced = await rotatingRounds([() => ours(srv.url, dir, undefined, PACED_MS, client), () => wrk(srv.url, delayScript), () => minimalNode(srv.url)], fmt);
          const ratio = (a: number, b: number, f: (r: Result) => number) => ratios(paced.map(r => f(r[a]) / f(r[b])));
          const all3 = (a: number, b: number) => `req/s ${ratio(a, b, r => r.rps)}, p50 ${ratio(a, b, r => r.p50ms)}, p99 ${ratio(a, b, r => r.p99ms)}`;
          const us = `ours${client === 'undici' ? ' through undici' : ''}`;
          console.log(` ${srv.name} paced, paired within each round: ${us}/wrk ${all3(0, 1)}`);
          // What the engine adds over Node's floor, and what that floor costs against wrk.
          console.log(`   ${us}/minimal Node loop ${all3(0, 2)}; minimal Node loop/wrk ${all3(2, 1)}`);
        }
      }
      if (OPEN_RATE > 0) {
        console.log(` open loop at ${OPEN_RATE}/s:`);
        const open = await rotatingRounds([() => ours(srv.url, dir, OPEN_RATE), () => autocannon(acBin, srv.url, OPEN_RATE)], fmt);
        const med = (i: number, f: (r: Result) => number) => median(open.map(r => f(r[i])));
        console.log(` ${srv.name} open loop at ${OPEN_RATE}/s, medians: ours ${med(0, r => r.rps).toFixed(0)} req/s p50 ${med(0, r => r.p50ms).toFixed(2)} p99 ${med(0, r => r.p99ms).toFixed(2)} ms; ` +
          `autocannon -R ${med(1, r => r.rps).toFixed(0)} req/s p50 ${med(1, r => r.p50ms).toFixed(0)} p99 ${med(1, r => r.p99ms).toFixed(0)} ms`);
      }
    }
  } finally {
    for (const srv of servers) srv.stop();
    await new Promise(r => setTimeout(r, 300));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
