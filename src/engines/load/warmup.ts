// Generator warm-up, before the measured window, against a throwaway loopback server in this
// process: nothing is sent to the target.
// V8 first runs undici's request path (and ours) in its interpreter. Measured here: a closed loop
// of 10 connections completed 430–530 requests in its first 100 ms and 4,100 per 100 ms from
// about 0.5 s on; an open loop at 5,000/s queued behind that slow start and charged the target
// with p50 150–240 ms, p99 200–300 ms for its first half second (the server answered in 0.2 ms).
// After 5,000 warm-up exchanges (about 0.5 s) the same open loop showed p50 0.18 ms, p99 3 ms.
import * as http from 'http';
import type { AddressInfo } from 'net';
import { Client, type Dispatcher } from 'undici';

export interface WarmUpOptions {
  connections: number;
  pipelining: number;
  /** One exchange through the run's own request path (dispatch, parse, record into scratch stats). */
  step: (to: Dispatcher, path: string) => Promise<void>;
  /** Exchanges in all; stops earlier at `maxSec` (a slow machine) or when `signal` aborts. */
  exchanges?: number;
  maxSec?: number;
  signal?: AbortSignal;
}

export const WARMUP_EXCHANGES = 5000;

/** Runs the warm-up; resolves with how many exchanges it made and how long it took. */
export async function warmUpGenerator(o: WarmUpOptions): Promise<{ exchanges: number; sec: number }> {
  const total = o.exchanges ?? WARMUP_EXCHANGES;
  const started = performance.now();
  const deadline = started + (o.maxSec ?? 2) * 1000;
  const server = http.createServer((req, res) => {
    req.resume();
    res.end('warm-up');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients = Array.from({ length: o.connections }, () => new Client(origin, { pipelining: o.pipelining }));
  let done = 0;
  const users = o.connections * o.pipelining;
  try {
    await Promise.all(Array.from({ length: users }, async (_, i) => {
      const to = clients[i % clients.length];
      while (done < total && !o.signal?.aborted && performance.now() < deadline) {
        done++;
        await o.step(to, '/');
      }
    }));
  } finally {
    await Promise.all(clients.map(d => d.destroy().catch(() => undefined)));
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }
  return { exchanges: done, sec: (performance.now() - started) / 1000 };
}
