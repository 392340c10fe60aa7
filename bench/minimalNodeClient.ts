// The smallest paced HTTP/1.1 loop Node can run: net sockets, one request in flight per
// connection, a setTimeout pause before each request, responses framed by Content-Length. No
// engine around it (no scenario, timeline, progress, or checks). bench/load-engine runs it beside
// ours and wrk at the same paced load: what it measures is the floor of any Node generator on
// this machine (its event loop, timers and socket writes), so ours/minimal says what our engine
// adds and minimal/wrk what Node itself costs.
// Run: node out/bench/minimalNodeClient.js <url> <connections> <seconds> <pause ms>
// Prints one JSON line: { rps, p50ms, p99ms }.
import * as net from 'net';
import { performance } from 'perf_hooks';
import { newHistogram, recordUs } from '../src/engines/load/recorder';

const HEAD_END = Buffer.from('\r\n\r\n');

function main(): void {
  const [url, c, d, pause] = process.argv.slice(2);
  const target = new URL(url);
  const C = Number(c);
  const D = Number(d) * 1000;
  const PAUSE = Number(pause);
  const request = Buffer.from(`GET ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\n\r\n`, 'latin1');
  const hist = newHistogram(); // the engine's histogram (µs, 3 digits): the same percentiles
  let count = 0;
  let open = C;
  const t0 = performance.now();
  const report = () => {
    const sec = (performance.now() - t0) / 1000;
    process.stdout.write(JSON.stringify({ rps: count / sec, p50ms: hist.getValueAtPercentile(50) / 1000, p99ms: hist.getValueAtPercentile(99) / 1000 }) + '\n');
  };
  for (let i = 0; i < C; i++) {
    const socket = net.connect(Number(target.port) || 80, target.hostname);
    socket.setNoDelay(true);
    let start = 0;
    let pending: Buffer = Buffer.alloc(0);
    const send = () => {
      if (performance.now() - t0 >= D) {
        socket.destroy();
        if (--open === 0) report();
        return;
      }
      start = performance.now();
      socket.write(request);
    };
    socket.on('connect', () => setTimeout(send, PAUSE));
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const end = pending.indexOf(HEAD_END);
      if (end < 0) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(pending.toString('latin1', 0, end));
      if (!length) throw new Error('the minimal client frames responses by Content-Length only');
      const size = end + HEAD_END.length + Number(length[1]);
      if (pending.length < size) return;
      recordUs(hist, (performance.now() - start) / 1000);
      count++;
      pending = pending.subarray(size);
      setTimeout(send, PAUSE);
    });
    socket.on('error', e => {
      process.stderr.write(`minimal client: ${e.message}\n`);
      process.exit(1);
    });
  }
}

main();
