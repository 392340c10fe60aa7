// Generator warm-up, before the measured window: the run's own loop (same connections and
// pipelining; an open loop also at its rate) for a moment against a throwaway loopback server in
// this process, its results dropped. Nothing is sent to the target.
// V8 first runs undici's request path (and ours) in its interpreter and optimizes it function by
// function. Measured here, in 0.25 s slices of a closed loop of 10 connections against the
// in-process server: 2.4, 4, 7.4, 8.6, 23, 12, 18, 27, 26.5, 26.6 … thousand exchanges/s — about
// 2 s and 25,000 exchanges to a plateau. The former fixed warm-up (5,000 exchanges, ~0.6 s) ended
// long before it: the measured window's first second then ran at 0.59–0.71 of the steady rate
// against nginx, with p99 2–3 ms against 0.5 (0.76–0.87 after a 30,000-exchange warm-up). So
// the closed loop runs in slices until three in a row agree (the plateau), within a time budget.
// An open loop then also runs its own loop at its rate, so its scheduling and slot code is warm
// too: a closed-loop warm-up alone left an open loop at 15,000/s with p99 25–320 ms in its first
// two seconds.
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Scenario } from './scenario';

/** One warm-up slice of the closed loop. */
export const WARMUP_SLICE_SEC = 0.25;
/** Slices agree when each is within this fraction of their median. */
export const PLATEAU_TOLERANCE = 0.07;
/** The open loop's own warm-up at the run's rate, after the closed-loop slices. */
export const OPEN_WARMUP_SEC = 0.75;

/**
 * Time the closed-loop slices may take: half the run (a short test run is not tripled by its
 * warm-up), at least 0.75 s, at most 3 s; 3 s for a run bounded by request count.
 */
export function warmUpBudgetSec(sc: Pick<Scenario, 'durationSec'>): number {
  return sc.durationSec === undefined ? 3 : Math.min(3, Math.max(0.75, sc.durationSec / 2));
}

/** True when the last three slice rates are each within PLATEAU_TOLERANCE of their median. */
export function plateaued(rates: readonly number[]): boolean {
  if (rates.length < 3) return false;
  const last = rates.slice(-3);
  const med = [...last].sort((a, b) => a - b)[1];
  return med > 0 && last.every(r => Math.abs(r - med) <= PLATEAU_TOLERANCE * med);
}

/** The run's scenario, aimed at `origin` with one plain GET, for `sec` seconds in `mode`. */
export function warmUpScenario(sc: Scenario, origin: string, mode: Scenario['mode'], sec: number): Scenario {
  return {
    ...sc,
    mode,
    rate: mode === 'open' ? sc.rate : undefined,
    target: new URL(origin),
    allowHosts: [],
    durationSec: sec,
    maxRequests: undefined,
    rampUpSec: 0,
    thinkTimeSec: undefined,
    requests: [{ key: 'warm-up', method: 'GET', path: '/', route: '/', weight: 1, headers: {}, expectStatus: [200], params: {} }],
  };
}

/**
 * Runs `run` (the load loop, told not to warm up itself) on warm-up scenarios against a server
 * started here: closed-loop slices until their rate plateaus or the budget is spent, then an
 * open loop's own loop. Resolves with how many exchanges it made and how long it took.
 */
export async function warmUpGenerator(
  sc: Scenario,
  run: (warm: Scenario) => Promise<{ overall: { requests: number }; elapsedSec: number }>,
  stopped: () => boolean = () => false,
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
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let exchanges = 0;
  try {
    const budgetMs = warmUpBudgetSec(sc) * 1000;
    const rates: number[] = [];
    while (!stopped() && !plateaued(rates) && performance.now() - started < budgetMs) {
      const r = await run(warmUpScenario(sc, origin, 'closed', WARMUP_SLICE_SEC));
      exchanges += r.overall.requests;
      rates.push(r.overall.requests / Math.max(r.elapsedSec, 1e-3));
    }
    if (sc.mode === 'open' && !stopped()) exchanges += (await run(warmUpScenario(sc, origin, 'open', OPEN_WARMUP_SEC))).overall.requests;
    return { exchanges, sec: (performance.now() - started) / 1000 };
  } finally {
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }
}
