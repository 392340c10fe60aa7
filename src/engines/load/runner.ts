// The load loop on undici Clients, one per connection.
// Closed loop: connections × pipelining virtual users, each sends, waits for the answer, thinks,
// repeats; latency is measured from the actual send.
// Open loop: arrivals on a fixed schedule (rate/s, linear ramp-up). Each request's latency runs
// from its INTENDED send time, so when the target stalls, the requests that queued behind the
// stall carry the wait (no coordinated omission).
import { performance } from 'perf_hooks';
import { Client, type Dispatcher } from 'undici';
import type { TimelinePoint } from '../../core/model';
import { createRng } from '../../core/stats/random';
import { checkTargetAllowed, checkTargetResolves, loopbackLookup, probeTarget } from './guard';
import { RawClient, type RawRequest } from './rawClient';
import { errorKind, KeyStats, Timeline, type Outcome } from './recorder';
import { fillPath, makePicker, type RequestSpec, type Scenario } from './scenario';
import { Slots } from './slots';
import { warmUpGenerator } from './warmup';

export interface Progress {
  type: 'progress';
  elapsedSec: number;
  requests: number;
  failures: number;
  /** Requests completed in the last full second. */
  rps: number;
  p99?: number;
  connections: number;
}

export interface LoadOptions {
  /** Called once a second with the closed timeline point. */
  onProgress?: (p: Progress, point: TimelinePoint) => void;
  /** Abort = graceful stop: no new requests, in-flight ones get `graceSec`, results are kept. */
  signal?: AbortSignal;
  graceSec?: number;
  /** Warm the generator up first (default); false for the warm-up run itself. */
  warmUp?: boolean;
}

export interface LoadResult {
  scenario: Scenario;
  startedAt: Date;
  elapsedSec: number;
  stats: Map<string, KeyStats>;
  overall: KeyStats;
  timeline: TimelinePoint[];
  /** Why the run ended early, when it did. */
  partial?: string;
  maxInFlight: number;
  /** CPU this process used over the measured window, % of one core (warm-up excluded). */
  generatorCpuPct: number;
  /** The generator's warm-up before the measured window (not sent to the target). */
  warmUp: { exchanges: number; sec: number };
}

/** Open-loop in-flight cap: past it the target is hopelessly behind and the run stops (bounded memory). */
const MAX_IN_FLIGHT = 50_000;
/** Only refused connections, no answer, for this long: the target went down and the run stops. */
const DOWN_AFTER_SEC = 1;
/** The progress tick fires this long after each whole second of the run. */
const TICK_PAST_MS = 5;

/** What both clients take (the runner builds it once for a fixed path). */
type Request = Dispatcher.DispatchOptions & RawRequest;

/** A connection: undici's Client, or our own for plain http (rawClient.ts); both take the same dispatch. */
interface Connection {
  dispatch(options: Request, handler: Exchange): boolean;
  readonly stats: { readonly connected: boolean };
  destroy(): Promise<void>;
}

/** A request as the run sends it: its spec, its series, and (for a fixed path) dispatch options built once. */
interface Prepared {
  spec: RequestSpec;
  weight: number;
  stats: KeyStats;
  /** Reused for every send when the path has no placeholder (undici only reads them). */
  fixed?: Request;
}

/**
 * One request in flight, as a raw dispatch handler (undici's; rawClient.ts calls the same
 * methods): one object per request with its methods
 * on the prototype — no closures, promise or Readable per response (client.request's stream,
 * body.dump and their promises were the biggest per-request cost in the closed-loop profile; a
 * promise and closures per request cost 1–2 µs of our ~25, measured by bench/undici-cost).
 */
class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  /** Still inside dispatch(): both clients report some errors synchronously. */
  sync = true;
  constructor(
    readonly req: Prepared,
    /** Where its latency counts from (s); see `clock`. */
    public startSec: number,
    readonly client: Connection,
    private readonly settle: (x: Exchange, err?: unknown) => void,
    /** What the sender does next once this is recorded (shared per user / per run, not per request). */
    readonly then: (x: Exchange) => void,
    /**
     * Closed loop: the latency counts from when the client starts writing the request (both call
     * onConnect just before), as wrk's does — not from dispatch: undici writes on a connection
     * one event-loop turn later (its idle-socket check), our time, not the server's; either
     * client may still be connecting. Open loop: none — latency counts from the intended send
     * time, queueing included.
     */
    private readonly clock?: () => number,
  ) {}
  onConnect(): void {
    if (this.clock) this.startSec = this.clock();
  }
  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.settle(this);
  }
  onError(err: Error): void {
    this.settle(this, err);
  }
}

function dispatchOptions(req: RequestSpec, path: string): Request {
  return { path, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body, blocking: false };
}

/** Whether the run frames plain http itself (rawClient.ts) rather than through undici. */
export function usesRawClient(sc: Pick<Scenario, 'client' | 'target'>): boolean {
  return sc.client === 'auto' && sc.target.protocol === 'http:';
}

/** Intended send time (s) of arrival i at `rate`/s with a linear ramp from 0 over `ramp` s. */
export function arrivalTime(i: number, rate: number, ramp: number): number {
  if (ramp <= 0) return i / rate;
  const rampArrivals = (rate * ramp) / 2; // area under the ramp
  return i < rampArrivals ? Math.sqrt((2 * ramp * i) / rate) : ramp + (i - rampArrivals) / rate;
}

export async function runLoad(sc: Scenario, opts: LoadOptions = {}): Promise<LoadResult> {
  checkTargetAllowed(sc.target, sc.allowHosts);
  await checkTargetResolves(sc.target, sc.allowHosts);
  await probeTarget(sc.target, undefined, sc.allowHosts); // target down: throws before anything is recorded

  const timeoutMs = sc.timeoutSec * 1000;
  const options = {
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: timeoutMs,
    // Every connect re-checks that the name still resolves to loopback (no DNS rebinding).
    connect: { lookup: loopbackLookup(sc.allowHosts) },
  };
  // A Client per connection. Closed loop: each virtual user keeps to one — 12% less CPU per
  // request than a Pool's routing (bench/undici-cost; the generator's limit at full speed) and a
  // p99 of 1.1 ms instead of 1.6 against a Node server here. Open loop: arrivals take the next
  // free connection slot (slots.ts).
  const clients: Connection[] = Array.from({ length: sc.connections }, () => usesRawClient(sc)
    ? new RawClient(sc.target, { pipelining: sc.pipelining, timeoutMs, lookup: options.connect.lookup })
    : new Client(sc.target.origin, { ...options, pipelining: sc.pipelining }));
  const slots = new Slots(clients, sc.pipelining);
  const connected = () => clients.reduce((n, c) => n + Number(c.stats.connected), 0);
  const basePath = sc.target.pathname.replace(/\/+$/, '');
  const rng = createRng(sc.seed);
  const random = () => rng.next();

  // The generator's own warm-up (warmup.ts): this same loop against an in-process server; the
  // target sees none of it.
  const warmUp = opts.warmUp === false
    ? { exchanges: 0, sec: 0 }
    : await warmUpGenerator(sc, warm => runLoad(warm, { warmUp: false, signal: opts.signal, graceSec: 0.5 }), () => opts.signal?.aborted ?? false);

  const startedAt = new Date();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const now = () => (performance.now() - t0) / 1000;
  const timeline = new Timeline(startedAt.getTime() / 1000);
  const stats = new Map(sc.requests.map(r => [r.key, new KeyStats()]));
  // One series: it is the overall figure too (one histogram record per request instead of two).
  const overall = stats.size === 1 ? [...stats.values()][0] : new KeyStats();
  const prepared: Prepared[] = sc.requests.map(spec => ({
    spec,
    weight: spec.weight,
    stats: stats.get(spec.key)!,
    fixed: spec.path.includes('{') ? undefined : dispatchOptions(spec, basePath + spec.path),
  }));
  const pick = makePicker(prepared, random);
  let partial: string | undefined;
  let issued = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  // Stop: external abort, or internal (in-flight cap). Sleeps race against it.
  const stopCtl = new AbortController();
  const stop = (why: string) => {
    if (stopCtl.signal.aborted) return;
    partial ??= why;
    stopCtl.abort();
  };
  const onAbort = () => stop(`partial: stopped (${String(opts.signal?.reason ?? 'signal')}) at ${now().toFixed(1)} s`);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const stopped = new Promise<void>(res => stopCtl.signal.addEventListener('abort', () => res(), { once: true }));
  // Pending pauses (think time, ramp-up, open-loop arrivals), which a stop cuts short. One map
  // entry per pause while it waits: a reaction on `stopped` per pause stayed until the end of the
  // run — one per request at 1 ms think time (6,000 a second), and their GC showed in the p99.
  const sleepers = new Map<NodeJS.Timeout, () => void>();
  void stopped.then(() => {
    for (const [t, wake] of sleepers) (clearTimeout(t), wake());
    sleepers.clear();
  });
  /** Calls `fn` after `sec` s, or as soon as the run stops. */
  const after = (sec: number, fn: () => void): void => {
    if (sec <= 0 || stopCtl.signal.aborted) return void setImmediate(fn);
    const t = setTimeout(() => (sleepers.delete(t), fn()), sec * 1000);
    sleepers.set(t, fn);
  };
  const sleep = (sec: number) => new Promise<void>(res => after(sec, res));
  const done = (t: number) => stopCtl.signal.aborted || (sc.durationSec !== undefined && t >= sc.durationSec) || (sc.maxRequests !== undefined && issued >= sc.maxRequests);

  let closed = false; // after the end: late outcomes of cut-off requests are not recorded
  let refusedSince: number | undefined;
  const record = (o: Outcome, series: KeyStats) => {
    if (closed) return;
    if (o.failure === 'ECONNREFUSED') {
      refusedSince ??= o.endSec;
      if (o.endSec - refusedSince >= DOWN_AFTER_SEC) stop(`partial: target went down at ${refusedSince.toFixed(1)} s (connections refused since)`);
    } else if (o.latencySec !== undefined) {
      refusedSince = undefined; // it answered: not down
    }
    series.add(o);
    if (overall !== series) overall.add(o);
    timeline.add(o);
  };

  /** Counts an arrival as in flight (an open-loop one from before it has a connection). */
  const arrive = () => {
    issued++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
  };
  let drained: (() => void) | undefined;

  /** Records an exchange's outcome, then lets its connection go on. */
  const settle = (x: Exchange, err?: unknown) => {
    const endSec = now();
    const req = x.req.spec;
    let o: Outcome;
    if (err === undefined) {
      const latencySec = endSec - x.startSec;
      let failure: string | undefined;
      if (!req.expectStatus.includes(x.status)) failure = `HTTP ${x.status}`;
      else if (req.maxResponseTimeSec !== undefined && latencySec > req.maxResponseTimeSec) failure = `slow (> ${req.maxResponseTimeSec} s)`;
      o = { key: req.key, endSec, latencySec, failure };
    } else {
      o = { key: req.key, endSec, failure: errorKind(err) };
    }
    inFlight--;
    record(o, x.req.stats);
    // After an answer the next request goes out from within the client's completion callback:
    // the connection then never looks idle, which saves undici a re-validation turn (setImmediate)
    // per request. After an error, a turn later: the client is still failing its queue (undici
    // asserts it stays empty), and a synchronous error must not recurse into the next send.
    if (err === undefined && !x.sync) x.then(x);
    else setImmediate(x.then, x);
    if (inFlight === 0) drained?.();
  };

  /** Sends one request on `client`; its latency counts from `startSec`, or from its write when `fromWrite`. */
  const send = (client: Connection, req: Prepared, startSec: number, then: (x: Exchange) => void, fromWrite = false) => {
    const x = new Exchange(req, startSec, client, settle, then, fromWrite ? now : undefined);
    // blocking: false (in dispatchOptions) — undici otherwise holds back every further pipelined
    // request on the connection until this one's headers are in, so `pipelining` would never put
    // more than one request on the wire.
    client.dispatch(req.fixed ?? dispatchOptions(req.spec, basePath + fillPath(req.spec, random)), x);
    x.sync = false;
  };

  // Each tick closes the seconds the run's clock has passed. It is aimed just past the next whole
  // second of that clock, not a 1 s interval: Node counts timers in whole milliseconds of the
  // loop's time and can fire up to 1 ms early, and a tick at 0.999 s closed nothing, so every
  // point came out a second late (and a run's first second was never reported at 1 s).
  let ticker: NodeJS.Timeout | undefined;
  const tick = () => {
    const sec = Math.floor(now());
    timeline.users(sec - 1, connected());
    for (const p of timeline.close(sec)) {
      opts.onProgress?.({
        type: 'progress', elapsedSec: Math.round(now() * 10) / 10, requests: overall.requests, failures: overall.failures,
        rps: p.requests, p99: p.percentiles?.p99, connections: p.users ?? 0,
      }, p);
    }
    if (!closed) ticker = setTimeout(tick, Math.max(0, (sec + 1 - now()) * 1000) + TICK_PAST_MS);
  };
  ticker = setTimeout(tick, 1000 + TICK_PAST_MS);

  const grace = opts.graceSec ?? 2;
  // The bound holds even when the target stalls: once stopped or past durationSec, in-flight
  // requests get `grace` s, then the run ends without them (a note says how many).
  let graceTimer: NodeJS.Timeout | undefined;
  let ended = false;
  const endOfGrace = new Promise<void>(res => {
    const arm = () => {
      clearTimeout(graceTimer);
      if (!ended) graceTimer = setTimeout(res, grace * 1000);
    };
    if (sc.durationSec !== undefined) graceTimer = setTimeout(arm, sc.durationSec * 1000);
    void stopped.then(arm);
  });
  try {
    if (sc.mode === 'closed') {
      const users = sc.connections * sc.pipelining;
      // A virtual user: send, record, think, send … on its connection, driven by the exchanges'
      // completions (no promise per request).
      const user = (i: number) => new Promise<void>(resolve => {
        const client = clients[i % clients.length];
        const step = () => {
          const t = now();
          if (done(t)) return resolve();
          arrive();
          send(client, pick(), t, sc.thinkTimeSec ? think : step, true);
        };
        const think = () => {
          if (done(now())) return step();
          const [lo, hi] = sc.thinkTimeSec!;
          after(lo + random() * (hi - lo), step);
        };
        after((sc.rampUpSec * i) / users, step);
      });
      await Promise.race([Promise.all(Array.from({ length: users }, (_, i) => user(i))), endOfGrace]);
    } else {
      const rate = sc.rate!;
      const release = (x: Exchange) => slots.release(x.client);
      for (let i = 0; ; i++) {
        const intended = arrivalTime(i, rate, sc.rampUpSec);
        if (sc.durationSec !== undefined && intended >= sc.durationSec) break;
        if (sc.maxRequests !== undefined && i >= sc.maxRequests) break;
        // Timers are coarse: sleep only when the next arrival is ≥ 1 ms away, then fire all due.
        const wait = intended - now();
        if (wait > 0.001) await sleep(wait);
        if (stopCtl.signal.aborted) break;
        if (inFlight >= MAX_IN_FLIGHT) {
          stop(`partial: ${MAX_IN_FLIGHT} requests in flight at ${now().toFixed(1)} s; the target cannot keep up with ${rate}/s`);
          break;
        }
        arrive();
        const req = pick();
        // Late sends are charged from the intended time (queueing, incl. waiting for a free
        // connection, counts); a send up to 1 ms early (timer granularity) from the actual time,
        // so it never shortens a latency.
        const startSec = Math.min(intended, now());
        const slot = slots.acquire();
        if (slot instanceof Promise) void slot.then(c => send(c, req, startSec, release));
        else send(slot, req, startSec, release);
      }
      // Drain: wait for in-flight requests, at most `grace` s past the end.
      if (inFlight > 0) await Promise.race([new Promise<void>(res => (drained = res)), endOfGrace]);
    }
    if (inFlight > 0) {
      const cut = `partial: ${inFlight} request${inFlight === 1 ? '' : 's'} still in flight ${grace} s after the end were cut off (not recorded)`;
      partial = partial ? `${partial}; ${cut.slice('partial: '.length)}` : cut;
    }
    closed = true;
  } finally {
    closed = true;
    clearTimeout(ticker);
    opts.signal?.removeEventListener('abort', onAbort);
    // No grace timer may outlive the run: it kept the process alive 2 s after every run's end.
    ended = true;
    clearTimeout(graceTimer);
    stopCtl.abort(); // releases any sleeper still waiting
  }
  const elapsedSec = now();
  timeline.users(Math.floor(elapsedSec), connected());
  timeline.close(Math.ceil(elapsedSec));
  await Promise.all(clients.map(d => d.destroy().catch(() => undefined)));
  const cpu = process.cpuUsage(cpu0);
  const generatorCpuPct = elapsedSec > 0 ? ((cpu.user + cpu.system) / 1e6 / elapsedSec) * 100 : 0;
  return { scenario: sc, startedAt, elapsedSec, stats, overall, timeline: timeline.points, partial, maxInFlight, warmUp, generatorCpuPct };
}
