// What undici itself costs per request: bare closed loops, each in its own process, against one
// loopback Node http server — a raw `net` client (prebuilt request, counts responses: how
// autocannon and wrk work), an undici Client per connection and an undici Pool (both with the load
// engine's raw dispatch handler). Rounds alternate the order; reports CPU µs per request (process
// CPU over the loop only, not start-up), req/s and p50/p99, medians over rounds.
// Run: npx tsc -p . && node out/bench/undici-cost.js [connections=10] [seconds=3] [rounds=5]
import { spawn } from 'child_process';
import * as net from 'net';
import { performance } from 'perf_hooks';
import { Client, Pool, type Dispatcher } from 'undici';
import { median, quantile } from '../src/core/stats/descriptive';

type Variant = 'raw net' | 'undici Client' | 'undici Pool';
const VARIANTS: Variant[] = ['raw net', 'undici Client', 'undici Pool'];
interface Result { rps: number; usPerReq: number; p50: number; p99: number }


/** Child: one variant's closed loop for `secs`; prints a Result as JSON. */
async function child(variant: Variant, port: number, c: number, secs: number): Promise<void> {
  const lat: number[] = [];
  let c0 = process.cpuUsage();
  let t0 = 0;
  const finish = () => {
    const cpu = process.cpuUsage(c0);
    const el = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    const r: Result = { rps: lat.length / el, usPerReq: (cpu.user + cpu.system) / lat.length, p50: quantile(lat, 0.5, true), p99: quantile(lat, 0.99, true) };
    process.stdout.write(JSON.stringify(r));
    process.exit(0);
  };
  if (variant === 'raw net') {
    const req = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
    const socks = Array.from({ length: c }, () => net.connect(port, '127.0.0.1'));
    await Promise.all(socks.map(s => new Promise(r => s.once('connect', r))));
    let open = c;
    c0 = process.cpuUsage();
    t0 = performance.now();
    const end = t0 + secs * 1000;
    socks.forEach(s => {
      let sent = 0;
      const send = () => {
        if (performance.now() < end) {
          sent = performance.now();
          s.write(req);
        } else {
          s.destroy();
          if (--open === 0) finish();
        }
      };
      // One small response per read on loopback: a read is a response (checked by the req/s matching the others).
      s.on('data', () => {
        lat.push(performance.now() - sent);
        send();
      });
      send();
    });
    return;
  }
  const opts: Dispatcher.DispatchOptions = { path: '/', method: 'GET' };
  const origin = `http://127.0.0.1:${port}`;
  const pool = variant === 'undici Pool' ? new Pool(origin, { connections: c }) : undefined;
  const ds: Dispatcher[] = pool ? Array.from({ length: c }, () => pool) : Array.from({ length: c }, () => new Client(origin));
  const once = (d: Dispatcher) => new Promise<void>((resolve, reject) =>
    d.dispatch(opts, { onConnect: () => undefined, onHeaders: () => true, onData: () => true, onComplete: () => resolve(), onError: reject } as Dispatcher.DispatchHandler));
  await Promise.all(ds.map(once)); // connected and warm
  c0 = process.cpuUsage();
  t0 = performance.now();
  const end = t0 + secs * 1000;
  await Promise.all(ds.map(async d => {
    while (performance.now() < end) {
      const s = performance.now();
      await once(d);
      lat.push(performance.now() - s);
    }
  }));
  finish();
}

function runChild(variant: Variant, port: number, c: number, secs: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [__filename, '--child', variant, String(port), String(c), String(secs)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  console.log(`undici-cost bench: node ${process.versions.node}, undici ${(require('undici/package.json') as { version: string }).version}; ${c} connections, ${secs} s, ${rounds} rounds, Node http server`);
  const all = new Map<Variant, Result[]>(VARIANTS.map(v => [v, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]);
      for (const v of order) {
        const res = await runChild(v, port, c, secs);
        all.get(v)!.push(res);
        console.log(` round ${r + 1} ${v.padEnd(14)} ${res.usPerReq.toFixed(1).padStart(5)} µs CPU/req ${res.rps.toFixed(0).padStart(7)} req/s  p50 ${res.p50.toFixed(2)} ms  p99 ${res.p99.toFixed(2)} ms`);
      }
    }
    console.log(' medians:');
    const raw = median(all.get('raw net')!.map(x => x.usPerReq));
    for (const v of VARIANTS) {
      const xs = all.get(v)!;
      const us = median(xs.map(x => x.usPerReq));
      console.log(`  ${v.padEnd(14)} ${us.toFixed(1).padStart(5)} µs CPU/req (${(us / raw).toFixed(2)}× raw) ${median(xs.map(x => x.rps)).toFixed(0).padStart(7)} req/s  p50 ${median(xs.map(x => x.p50)).toFixed(2)} ms  p99 ${median(xs.map(x => x.p99)).toFixed(2)} ms`);
    }
  } finally {
    srv.kill();
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
