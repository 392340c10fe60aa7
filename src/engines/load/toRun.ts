// LoadResult → the shared Run model: one duration series per request name, an `Aggregated`
// series carrying the timeline, and an `Aggregated requests/s` throughput series.
import { detectFingerprint } from '../../core/env/fingerprint';
import type { EndpointStats, Run, Series, Summary } from '../../core/model';
import { redactRun, secretHeaderValues } from '../../core/redact';
import { percentilesSec, type Histogram, type KeyStats } from './recorder';
import { usesRawClient, type LoadResult } from './runner';

/** At this much of a core (its one JavaScript thread) the generator is likely the bottleneck. */
const GENERATOR_BUSY_PCT = 90;

export const AGGREGATED = 'Aggregated';

function summary(h: Histogram): Summary {
  if (h.totalCount === 0) return { n: 0 };
  const p = percentilesSec(h);
  return {
    n: h.totalCount,
    mean: h.mean / 1e6,
    stddev: h.stdDeviation / 1e6,
    min: h.minNonZeroValue / 1e6,
    max: h.maxValue / 1e6,
    median: p.p50,
    iqr: p.p75 - h.getValueAtPercentile(25) / 1e6,
    percentiles: p,
  };
}

function endpoint(s: KeyStats, route: string, elapsedSec: number, method?: string): EndpointStats {
  const errors = [...s.errors].sort((a, b) => b[1] - a[1]).map(([message, count]) => ({ message, count }));
  const e: EndpointStats = { route, requests: s.requests, failures: s.failures, rps: elapsedSec > 0 ? s.requests / elapsedSec : 0 };
  if (method) e.method = method;
  if (errors.length) e.errors = errors;
  return e;
}

export function loadRun(r: LoadResult, suite?: string): Run {
  const sc = r.scenario;
  const series: Series[] = sc.requests.map(req => {
    const s = r.stats.get(req.key)!;
    const out: Series = {
      id: req.key,
      metric: 'duration',
      unit: 's',
      summary: summary(s.hist),
      endpoint: endpoint(s, req.route, r.elapsedSec, req.method),
      extra: { expectStatus: req.expectStatus.join(','), weight: req.weight },
    };
    if (req.key !== `${req.method} ${req.route}`) out.name = req.key;
    if (req.maxResponseTimeSec !== undefined) out.extra!.maxResponseTimeSec = req.maxResponseTimeSec;
    return out;
  });

  const extra: Record<string, number | string> = {
    mode: sc.mode, connections: sc.connections, pipelining: sc.pipelining, rampUpSec: sc.rampUpSec, seed: sc.seed, target: sc.target.origin,
  };
  if (sc.rate !== undefined) extra.rate = sc.rate;
  extra.client = usesRawClient(sc) ? 'perf-lens http/1.1' : 'undici';
  extra.warmUpExchanges = r.warmUp.exchanges; // against an in-process server, before the window
  // The generator's V8 flags (LOAD_ENGINE_NODE_FLAGS in core/config/suiteCommand.ts): its young generation's scavenges weigh on the p99.
  const flags = process.execArgv.filter(a => a.includes('semi-space')).join(' ');
  if (flags) extra.generatorNodeFlags = flags;
  // The generator's own CPU over the measured window: one JavaScript thread near a full core is the
  // limit of this run, not (only) the target's.
  extra.generatorCpuPct = Math.round(r.generatorCpuPct * 10) / 10;
  const notes: string[] = [];
  if (r.generatorCpuPct >= GENERATOR_BUSY_PCT) {
    notes.push(`the load generator used ${r.generatorCpuPct.toFixed(0)}% of a core: it may be what limited this run — throughput is a floor and latencies include its own delays (Locust with workers spreads the load)`);
  }
  if (sc.mode === 'open') {
    notes.push('open loop: latency measured from the intended send time (coordinated omission corrected)');
    extra.maxInFlight = r.maxInFlight;
    // Behind schedule: queueing in the generator itself is charged as latency; say so.
    const achieved = r.elapsedSec > 0 ? r.overall.requests / r.elapsedSec : 0;
    if (sc.rate !== undefined && sc.rampUpSec === 0 && achieved < 0.95 * sc.rate) {
      notes.push(`achieved ${achieved.toFixed(0)}/s of the intended ${sc.rate}/s: the target or this generator fell behind; latencies include that backlog`);
    }
  }
  series.push({
    id: AGGREGATED, metric: 'duration', unit: 's', summary: summary(r.overall.hist),
    endpoint: endpoint(r.overall, AGGREGATED, r.elapsedSec), timeline: r.timeline, extra, notes,
  });

  // Throughput from whole seconds only: a partial first/last second would understate the rate.
  const full = r.timeline.slice(1, -1).map(p => p.requests);
  const rps = r.elapsedSec > 0 ? r.overall.requests / r.elapsedSec : 0;
  series.push({
    id: `${AGGREGATED} requests/s`, metric: 'throughput', unit: '1/s',
    samples: full.length ? full : undefined,
    summary: { n: full.length, mean: rps },
  });

  const run: Run = {
    tool: 'perf-lens',
    kind: 'load',
    startedAt: r.startedAt.toISOString(),
    durationSec: r.elapsedSec,
    machine: detectFingerprint(),
    series,
  };
  if (suite) run.suite = suite;
  if (r.partial) run.notes = [r.partial];
  // Request names and routes come from the scenario, which holds the credentials too.
  return redactRun(run, secretHeaderValues(...sc.requests.map(q => q.headers)));
}
