// One run's server metrics: scrapes in, live points and alerts out, and at the end a Run
// (tool "prometheus") whose per-route latency series feed the endpoint lenses like a load
// test's would. Pure: the engines' scraper feeds it, tests feed it fixture scrapes.
import type { Run, Series, SuiteKind, TimelinePoint } from '../model';
import { AlertEvaluator, DEFAULT_ALERT_RULES, findingNote, type AlertEvent, type AlertFinding, type AlertRules } from './alerts';
import { addBuckets, deriveInterval, percentilesOf, type Bucket, type MetricsPoint, type RouteKey, type Scrape } from './derive';

export const SERVER_NOTE = 'server-side, from Prometheus histogram buckets (approximate)';

/** Series id of a route's server-side latency: `GET /api/items/{id} (server)`, apart from the load test's own. */
export const serverSeriesId = (routeId: string) => `${routeId} (server)`;
export const serverProcessId = (suite: string | undefined) => `server:${suite ?? 'service'}`;

/** Where an engine writes the server run beside its own result file: `x.json` → `x.server.json`. */
export function serverRunFile(out: string): string {
  return `${out.replace(/\.json$/i, '')}.server.json`;
}

interface RouteTotal extends RouteKey {
  requests: number;
  failures: number;
  buckets: Bucket[];
  sum: number;
  timeline: TimelinePoint[];
}

export interface SessionOptions {
  rules?: AlertRules;
  histogram?: string;
}

export class MetricsSession {
  readonly points: MetricsPoint[] = [];
  readonly alerts: AlertEvaluator;
  private readonly routes = new Map<string, RouteTotal>();
  private prev: Scrape | undefined;
  private first: Scrape | undefined;
  scrapes = 0;
  failures = 0;
  /** Failures since the last answer: at the end of a run, the service stopping (a memory run stops it). */
  private trailing = 0;
  private lastFailure: string | undefined;

  constructor(private readonly opts: SessionOptions = {}) {
    this.alerts = new AlertEvaluator(opts.rules ?? DEFAULT_ALERT_RULES);
  }

  /** A successful scrape: the interval since the previous one, and alerts that changed. */
  add(scrape: Scrape): { point?: MetricsPoint; alerts: AlertEvent[] } {
    this.scrapes++;
    this.trailing = 0;
    const prev = this.prev;
    this.prev = scrape;
    this.first ??= scrape;
    if (!prev) return { alerts: [] };
    const { point, deltas } = deriveInterval(prev, scrape, { histogram: this.opts.histogram });
    this.points.push(point);
    for (const d of deltas) {
      const r = this.routes.get(d.id) ?? { id: d.id, method: d.method, route: d.route, requests: 0, failures: 0, buckets: [], sum: 0, timeline: [] };
      r.requests += d.requests;
      r.failures += d.failures;
      r.buckets = r.buckets.length ? addBuckets(r.buckets, d.buckets) : d.buckets;
      r.sum += d.sum;
      const p = point.routes.find(x => x.id === d.id);
      r.timeline.push({ t: point.t, requests: d.requests, failures: d.failures, percentiles: p?.percentiles });
      this.routes.set(d.id, r);
    }
    return { point, alerts: this.alerts.check(point) };
  }

  /** A scrape that failed (timeout, refused, bad text): counted, never fatal. */
  failed(reason: string): void {
    this.failures++;
    this.trailing++;
    this.lastFailure = reason;
  }

  findings(): AlertFinding[] {
    return this.alerts.findings();
  }

  /** The run to store beside the load/memory run; undefined when fewer than two scrapes answered. */
  toRun(meta: { suite?: string; kind?: SuiteKind; startedAt: string; source?: string; intervalMs?: number }): Run | undefined {
    if (!this.first || !this.prev || this.prev === this.first) return undefined;
    const t0 = Date.parse(meta.startedAt) / 1000;
    const durationSec = this.prev.t - this.first.t;
    const series: Series[] = [];
    for (const r of [...this.routes.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      series.push({
        id: serverSeriesId(r.id),
        group: 'server',
        metric: 'duration',
        unit: 's',
        summary: { n: r.requests, mean: r.buckets.length && r.requests ? r.sum / r.requests : undefined, percentiles: percentilesOf(r.buckets) },
        endpoint: { method: r.method, route: r.route, requests: r.requests, failures: r.failures, rps: durationSec > 0 ? r.requests / durationSec : undefined },
        timeline: r.timeline,
        notes: [SERVER_NOTE],
        extra: { buckets: r.buckets.length },
      });
    }
    const pts = this.points;
    const requests = pts.reduce((s, p) => s + (p.requests ?? 0), 0);
    const failures = pts.reduce((s, p) => s + (p.failures ?? 0), 0);
    const id = serverProcessId(meta.suite);
    if (pts.some(p => p.rps !== undefined)) {
      const rps = pts.map(p => p.rps ?? 0);
      series.push({
        id: `${id} requests/s`, group: 'server', metric: 'throughput', unit: '1/s', samples: rps,
        summary: { n: requests, mean: requests / durationSec, max: Math.max(...rps) },
        // Requests finished per scrape interval (not per second), all routes, percentiles approximate.
        timeline: pts.map(p => ({ t: p.t, requests: p.requests ?? 0, failures: p.failures ?? 0, percentiles: p.percentiles })),
        notes: [SERVER_NOTE],
      });
      series.push({
        id: `${id} error rate`, group: 'server', metric: 'errorRate', unit: 'ratio',
        summary: { n: requests, mean: requests ? failures / requests : 0 }, notes: ['server-side: 5xx responses / responses'],
      });
    }
    const mem = pts.filter(p => p.rssBytes !== undefined);
    if (mem.length) {
      const rss = mem.map(p => p.rssBytes as number);
      const cpu = pts.map(p => p.cpuPercent).filter((c): c is number => c !== undefined);
      series.push({
        id: `${id} memory`, group: 'server', metric: 'memory', unit: 'bytes',
        summary: { n: rss.length, min: Math.min(...rss), max: Math.max(...rss), mean: rss.reduce((a, b) => a + b, 0) / rss.length },
        memory: mem.map(p => ({ t: p.t, rss: p.rssBytes as number, heapUsed: p.heapUsedBytes, cpu: p.cpuPercent })),
        notes: ['server-side: process_resident_memory_bytes; cpu = rate(process_cpu_seconds_total)'],
        extra: cpu.length ? { cpuMeanPercent: round(cpu.reduce((a, b) => a + b, 0) / cpu.length), cpuMaxPercent: round(Math.max(...cpu)) } : undefined,
      });
    }
    const during = this.failures - this.trailing;
    const notes = [
      ...this.findings().map(f => findingNote(f, t0)),
      `scraped ${meta.source ?? 'metrics'} ${this.scrapes} time(s)${meta.intervalMs ? ` every ${meta.intervalMs} ms` : ''}` +
        (during ? `; ${during} scrape(s) failed during the run` : '') +
        (this.trailing ? `; no answer after ${(this.prev.t - t0).toFixed(1)} s (${this.trailing} scrape(s): ${this.lastFailure}; the service stopped?)` : ''),
    ];
    return { tool: 'prometheus', suite: meta.suite, kind: meta.kind, startedAt: meta.startedAt, durationSec, source: meta.source, series, notes };
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
