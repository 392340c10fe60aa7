// Generator warm-up, before the measured window: the run's own loop (same mode, connections,
// pipelining and rate) for a moment against a throwaway loopback server in this process, its
// results dropped. Nothing is sent to the target.
// V8 first runs undici's request path (and ours) in its interpreter. Measured here: a closed loop
// of 10 connections completed 430–530 requests in its first 100 ms and 4,100 per 100 ms from
// about 0.5 s on; an open loop at 5,000/s queued behind that slow start and charged the target
// with p99 200–300 ms for its first half second (the server answered in 0.2 ms). A closed-loop
// warm-up alone left an open loop at 15,000/s with p99 25–320 ms in its first two seconds: its
// scheduling and slot code had not run yet. So the warm-up is the run's own loop.
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Scenario } from './scenario';

/** Closed loop: this many exchanges at most; open loop: the run's rate for WARMUP_SEC. */
export const WARMUP_EXCHANGES = 5000;
export const WARMUP_SEC = 0.75;

/** The run's scenario, aimed at `origin` with one plain GET, bounded to a warm-up's length. */
export function warmUpScenario(sc: Scenario, origin: string): Scenario {
  return {
    ...sc,
    target: new URL(origin),
    allowHosts: [],
    durationSec: WARMUP_SEC,
    maxRequests: sc.mode === 'closed' ? WARMUP_EXCHANGES : undefined,
    rampUpSec: 0,
    thinkTimeSec: undefined,
    requests: [{ key: 'warm-up', method: 'GET', path: '/', route: '/', weight: 1, headers: {}, expectStatus: [200], params: {} }],
  };
}

/**
 * Runs `run` (the load loop, told not to warm up itself) on the warm-up scenario against a
 * server started here; resolves with how many exchanges it made and how long it took.
 */
export async function warmUpGenerator(
  sc: Scenario,
  run: (warm: Scenario) => Promise<{ overall: { requests: number } }>,
): Promise<{ exchanges: number; sec: number }> {
  const started = performance.now();
  const server = http.createServer((req, res) => {
    req.resume();
    res.end('warm-up');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  try {
    const r = await run(warmUpScenario(sc, `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    return { exchanges: r.overall.requests, sec: (performance.now() - started) / 1000 };
  } finally {
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }
}
