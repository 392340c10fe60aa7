// What a request costs the generator: closed loops, each in its own process, against one loopback
// Node http server — a raw `net` client (prebuilt request, counts responses: how autocannon and
// wrk work), an undici Client per connection and an undici Pool (both with the load engine's raw
// dispatch handler), our whole engine (runLoad: scenario, recording, timeline) and autocannon
// (its programmatic API). Each first runs 1 s untimed so its code is optimized, then is timed.
// Rounds alternate the order; reports CPU µs per request (process CPU over the timed loop only,
// not start-up or warm-up), req/s and p50/p99, medians over rounds.
// Run: npx tsc -p . && node out/bench/undici-cost.js [connections=10] [seconds=3] [rounds=5]
// (installs autocannon into a temp folder; without npm access it is left out).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Client, Pool, type Dispatcher } from 'undici';
import { installAutocannon } from './autocannon';
import { median, quantile } from '../src/core/stats/descriptive';
import { runLoad } from '../src/engines/load/runner';
import { parseScenario } from '../src/engines/load/scenario';

type Variant = 'raw net' | 'undici Client' | 'undici Pool' | 'perf-lens engine' | 'autocannon';
const VARIANTS: Variant[] = ['raw net', 'undici Client', 'undici Pool', 'perf-lens engine', 'autocannon'];
interface Result { rps: number; usPerReq: number; p50: number; p99: number }


interface Timed { requests: number; p50: number; p99: number }

/** Child: one variant's closed loop, 1 s untimed (so its code is optimized), then `secs` timed; prints a Result as JSON. */
async function child(variant: Variant, port: number, c: number, secs: number): Promise<void> {
  const run = variant === 'perf-lens engine' || variant === 'autocannon' ? wholeGenerator(variant, port, c) : await bareLoop(variant, port, c);
  await run(1);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await run(secs);
  const cpu = process.cpuUsage(c0);
  const el = (performance.now() - t0) / 1000;
  const out: Result = { rps: r.requests / el, usPerReq: (cpu.user + cpu.system) / r.requests, p50: r.p50, p99: r.p99 };
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

const timed = (lat: number[]): Timed => {
  lat.sort((a, b) => a - b);
  return { requests: lat.length, p50: quantile(lat, 0.5, true), p99: quantile(lat, 0.99, true) };
};

/** A bare closed loop on connections opened once: raw `net`, or undici with the engine's raw handler. */
async function bareLoop(variant: Variant, port: number, c: number): Promise<(sec: number) => Promise<Timed>> {
  if (variant === 'raw net') {
    const req = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
    const socks = Array.from({ length: c }, () => net.connect(port, '127.0.0.1'));
    await Promise.all(socks.map(s => new Promise(r => s.once('connect', r))));
    return sec => new Promise(resolve => {
      const lat: number[] = [];
      const end = performance.now() + sec * 1000;
      let open = c;
      for (const s of socks) {
        let sent = 0;
        const send = () => {
          if (performance.now() < end) {
            sent = performance.now();
            s.write(req);
          } else {
            s.removeAllListeners('data');
            if (--open === 0) resolve(timed(lat));
          }
        };
        // One small response per read on loopback: a read is a response (checked by the req/s matching the others).
        s.on('data', () => {
          lat.push(performance.now() - sent);
          send();
        });
        send();
      }
    });
  }
  const opts: Dispatcher.DispatchOptions = { path: '/', method: 'GET' };
  const origin = `http://127.0.0.1:${port}`;
  const pool = variant === 'undici Pool' ? new Pool(origin, { connections: c }) : undefined;
  const ds: Dispatcher[] = pool ? Array.from({ length: c }, () => pool) : Array.from({ length: c }, () => new Client(origin));
  const once = (d: Dispatcher) => new Promise<void>((resolve, reject) =>
    d.dispatch(opts, { onConnect: () => undefined, onHeaders: () => true, onData: () => true, onComplete: () => resolve(), onError: reject } as Dispatcher.DispatchHandler));
  return async sec => {
    const lat: number[] = [];
    const end = performance.now() + sec * 1000;
    await Promise.all(ds.map(async d => {
      while (performance.now() < end) {
        const s = performance.now();
        await once(d);
        lat.push(performance.now() - s);
      }
    }));
    return timed(lat);
  };
}

/** A whole generator: ours (runLoad: scenario, recording, timeline) or autocannon's API. */
function wholeGenerator(variant: 'perf-lens engine' | 'autocannon', port: number, c: number): (sec: number) => Promise<Timed> {
  const url = `http://127.0.0.1:${port}/`;
  if (variant === 'perf-lens engine') {
    return async sec => {
      const r = await runLoad(parseScenario(JSON.stringify({ target: url, connections: c, durationSec: sec, requests: [{ path: '/' }] })), { warmUp: false });
      const at = (p: number) => r.overall.hist.getValueAtPercentile(p) / 1000;
      return { requests: r.overall.requests, p50: at(50), p99: at(99) };
    };
  }
  type Ac = (o: object) => Promise<{ requests: { total: number }; latency: { p50: number; p99: number } }>;
  const ac = require(process.env.AUTOCANNON_PKG!) as Ac;
  return async sec => {
    const r = await ac({ url, connections: c, duration: sec });
    // autocannon reports latency in whole milliseconds.
    return { requests: r.requests.total, p50: r.latency.p50, p99: r.latency.p99 };
  };
}

function runChild(variant: Variant, port: number, c: number, secs: number, env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [__filename, '--child', variant, String(port), String(c), String(secs)], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    p.stdout.on('data', d => (out += d));
    p.on('close', code => (code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`${variant} exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const [c, secs, rounds] = [Number(process.argv[2] ?? 10), Number(process.argv[3] ?? 3), Number(process.argv[4] ?? 5)];
  // The server in a process of its own, as in bench/load-engine.
  const srv = spawn(process.execPath, ['-e', "require('http').createServer((q, s) => s.end('hello world')).listen(0, '127.0.0.1', function () { console.log(this.address().port) })"], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>(r => srv.stdout.once('data', d => r(Number(String(d).trim()))));
  const acDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-undici-cost-'));
  let variants = VARIANTS;
  let acPkg = '';
  try {
    acPkg = installAutocannon(acDir).pkg;
  } catch {
    process.stderr.write('autocannon could not be installed: left out\n');
    variants = VARIANTS.filter(v => v !== 'autocannon');
  }
  const env = { ...process.env, AUTOCANNON_PKG: acPkg };
  console.log(`undici-cost bench: node ${process.versions.node}, undici ${(require('undici/package.json') as { version: string }).version}; ${c} connections, ${secs} s, ${rounds} rounds, Node http server`);
  const all = new Map<Variant, Result[]>(variants.map(v => [v, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      const order = variants.map((_, i) => variants[(i + r) % variants.length]);
      for (const v of order) {
        const res = await runChild(v, port, c, secs, env);
        all.get(v)!.push(res);
        console.log(` round ${r + 1} ${v.padEnd(16)} ${res.usPerReq.toFixed(1).padStart(5)} µs CPU/req ${res.rps.toFixed(0).padStart(7)} req/s  p50 ${res.p50.toFixed(2)} ms  p99 ${res.p99.toFixed(2)} ms`);
      }
    }
    console.log(' medians:');
    const raw = median(all.get('raw net')!.map(x => x.usPerReq));
    for (const v of variants) {
      const xs = all.get(v)!;
      const us = median(xs.map(x => x.usPerReq));
      console.log(`  ${v.padEnd(16)} ${us.toFixed(1).padStart(5)} µs CPU/req (${(us / raw).toFixed(2)}× raw) ${median(xs.map(x => x.rps)).toFixed(0).padStart(7)} req/s  p50 ${median(xs.map(x => x.p50)).toFixed(2)} ms  p99 ${median(xs.map(x => x.p99)).toFixed(2)} ms`);
    }
  } finally {
    srv.kill();
    fs.rmSync(acDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  void child(process.argv[3] as Variant, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]));
} else {
  main().catch(e => {
    console.error(e);
    process.exitCode = 1;
  });
}
