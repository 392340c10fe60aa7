// From two scrapes to what happened between them: request and error rates, per-route latency
// percentiles from histogram buckets, process memory and CPU. Counters and buckets are
// cumulative, so everything is a difference of the two scrapes; a value that went down means
// the process restarted (a reset), and then the new value is all that happened since — as in
// PromQL's rate(). Percentiles interpolate linearly inside a bucket like histogram_quantile():
// approximate, and said so wherever they are shown.
import type { Exposition, Sample } from './parse';

export interface Scrape {
  /** Epoch seconds when the scrape answered. */
  t: number;
  expo: Exposition;
}

export interface Bucket {
  /** Upper bound in seconds (Infinity for +Inf). */
  le: number;
  /** Cumulative count of observations ≤ le. */
  count: number;
}

export interface HistogramSeries {
  labels: Record<string, string>;
  buckets: Bucket[];
  count: number;
  sum: number;
}

/** The request labels of a route: our series id form `GET /api/items/{id}`. */
export interface RouteKey {
  /** `GET /api/items/{id}`, or the bare route when the service gives no method. */
  id: string;
  method?: string;
  route: string;
}

export interface RouteDelta extends RouteKey {
  requests: number;
  failures: number;
  /** Cumulative buckets of this interval's observations, in seconds. */
  buckets: Bucket[];
  sum: number;
}

export interface RoutePoint extends RouteKey {
  rps: number;
  errorRate?: number;
  /** p50/p95/p99 in seconds, interpolated within histogram buckets (approximate). */
  percentiles: Record<string, number>;
  mean?: number;
}

/** What the service did in one scrape interval (the `metrics` live event, minus its type). */
export interface MetricsPoint {
  /** Epoch seconds of the later scrape. */
  t: number;
  dtSec: number;
  requests?: number;
  failures?: number;
  rps?: number;
  /** 5xx responses / responses, 0–1. */
  errorRate?: number;
  /** All routes' latency percentiles (approximate), seconds. */
  percentiles?: Record<string, number>;
  rssBytes?: number;
  heapUsedBytes?: number;
  /** % of one core: rate of process_cpu_seconds_total × 100. */
  cpuPercent?: number;
  routes: RoutePoint[];
}

export interface DeriveOptions {
  /** Histogram family of request durations; default: the first of the usual names found. */
  histogram?: string;
}

export const QUANTILES: Record<string, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };
const HISTOGRAM_NAMES = ['http_request_duration_seconds', 'http_server_requests_seconds', 'http_server_duration_seconds', 'request_duration_seconds', 'http_request_duration_ms', 'http_request_duration_milliseconds'];
const ROUTE_LABELS = ['route', 'handler', 'path', 'endpoint', 'uri', 'url'];
const STATUS_LABELS = ['status_code', 'code', 'status'];
/** Requests our own scraper makes: never counted as the service's traffic. */
const SCRAPE_ROUTES = new Set(['/metrics']);

function labelOf(labels: Record<string, string>, names: readonly string[]): string | undefined {
  for (const n of names) if (labels[n] !== undefined) return labels[n];
  return undefined;
}

/** Express `:id`, Flask `<int:id>`, Starlette `{id:int}` → `{id}`, so lenses and ids agree. */
export function normalizeRoute(route: string): string {
  return route
    .split('/')
    .map(seg => {
      let m: RegExpExecArray | null;
      if ((m = /^:(\w+)(\(.*\))?\??$/.exec(seg))) return `{${m[1]}}`;
      if ((m = /^<(?:\w+(?:\([^)]*\))?:)?(\w+)>$/.exec(seg))) return `{${m[1]}}`;
      if ((m = /^\{(\w+)(?::[^}]*)?\}$/.exec(seg))) return `{${m[1]}}`;
      return seg;
    })
    .join('/');
}

export function routeKey(labels: Record<string, string>): RouteKey | undefined {
  const raw = labelOf(labels, ROUTE_LABELS);
  if (raw === undefined) return undefined;
  const route = normalizeRoute(raw);
  const method = labels.method?.toUpperCase() || undefined;
  return { id: method ? `${method} ${route}` : route, method, route };
}

function isFailure(labels: Record<string, string>): boolean {
  return /^5/.test(labelOf(labels, STATUS_LABELS) ?? '');
}

const labelKey = (labels: Record<string, string>, drop?: string) =>
  JSON.stringify(Object.keys(labels).filter(k => k !== drop).sort().map(k => [k, labels[k]]));

/** Histogram family scaled to seconds (a `_ms`/`_milliseconds` family is divided by 1000). */
export function histogramFamily(expo: Exposition, wanted?: string): { family: string; scale: number } | undefined {
  const names = wanted ? [wanted] : HISTOGRAM_NAMES;
  for (const n of names) {
    if (expo.types.get(n) === 'histogram' || expo.samples.some(s => s.name === `${n}_bucket`)) {
      return { family: n, scale: /_(ms|milliseconds)$/.test(n) ? 1e-3 : 1 };
    }
  }
  return undefined;
}

/** The label sets of a histogram family, buckets sorted by bound. */
export function histograms(expo: Exposition, family: string, scale = 1): HistogramSeries[] {
  const byKey = new Map<string, HistogramSeries>();
  const get = (s: Sample, drop?: string) => {
    const key = labelKey(s.labels, drop);
    let h = byKey.get(key);
    if (!h) {
      const labels = { ...s.labels };
      if (drop) delete labels[drop];
      byKey.set(key, (h = { labels, buckets: [], count: 0, sum: 0 }));
    }
    return h;
  };
  for (const s of expo.samples) {
    if (s.name === `${family}_bucket` && s.labels.le !== undefined) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le) * scale;
      if (!Number.isNaN(le)) get(s, 'le').buckets.push({ le, count: s.value });
    } else if (s.name === `${family}_count`) {
      get(s).count = s.value;
    } else if (s.name === `${family}_sum`) {
      get(s).sum = s.value * scale;
    }
  }
  for (const h of byKey.values()) h.buckets.sort((a, b) => a.le - b.le);
  return [...byKey.values()];
}

/**
 * The q-quantile of cumulative buckets, as PromQL's histogram_quantile(): find the bucket the
 * rank falls in and interpolate linearly between its bounds (the first bucket starts at 0; a
 * rank in +Inf answers the highest finite bound). Undefined without observations.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | undefined {
  if (buckets.length < 1 || buckets[buckets.length - 1].le !== Infinity) return undefined;
  // Cumulative counts may be non-monotonic after scrapes that are not atomic: enforce it.
  const b = buckets.map(x => ({ ...x }));
  for (let i = 1; i < b.length; i++) b[i].count = Math.max(b[i].count, b[i - 1].count);
  const total = b[b.length - 1].count;
  if (!(total > 0)) return undefined;
  const rank = q * total;
  const i = b.findIndex(x => x.count >= rank);
  if (b[i].le === Infinity) return b.length > 1 ? b[b.length - 2].le : undefined;
  const lower = i === 0 ? 0 : b[i - 1].le;
  const below = i === 0 ? 0 : b[i - 1].count;
  const inBucket = b[i].count - below;
  if (inBucket <= 0) return b[i].le;
  return lower + (b[i].le - lower) * ((rank - below) / inBucket);
}

/** Increase of a counter between scrapes; a decrease is a restart, so the new value is the increase. */
export function counterIncrease(prev: number | undefined, cur: number): number {
  return prev === undefined || cur < prev ? cur : cur - prev;
}

function histogramDelta(prev: HistogramSeries | undefined, cur: HistogramSeries): HistogramSeries {
  if (!prev || cur.count < prev.count || cur.buckets.some((b, i) => b.count < (prev.buckets[i]?.count ?? 0))) return cur;
  return {
    labels: cur.labels,
    buckets: cur.buckets.map((b, i) => ({ le: b.le, count: b.count - (prev.buckets[i]?.le === b.le ? prev.buckets[i].count : 0) })),
    count: cur.count - prev.count,
    sum: cur.sum - prev.sum,
  };
}

/** Adds cumulative bucket lists with the same bounds (a different layout is merged by bound). */
export function addBuckets(a: readonly Bucket[], b: readonly Bucket[]): Bucket[] {
  const bounds = [...new Set([...a, ...b].map(x => x.le))].sort((x, y) => x - y);
  // A cumulative count at a bound a list lacks is its count at the next lower bound it has.
  const at = (list: readonly Bucket[], le: number) => list.filter(x => x.le <= le).reduce((m, x) => Math.max(m, x.count), 0);
  return bounds.map(le => ({ le, count: at(a, le) + at(b, le) }));
}

function gauge(expo: Exposition, name: string): number | undefined {
  return expo.samples.find(s => s.name === name)?.value;
}

function cpuSeconds(expo: Exposition): number | undefined {
  const total = gauge(expo, 'process_cpu_seconds_total');
  if (total !== undefined) return total;
  const user = gauge(expo, 'process_cpu_user_seconds_total');
  const system = gauge(expo, 'process_cpu_system_seconds_total');
  return user === undefined && system === undefined ? undefined : (user ?? 0) + (system ?? 0);
}

/** Per-route request counts from a counter, when the service has no duration histogram. */
function counterRoutes(expo: Exposition): Map<string, { key: RouteKey; labels: Record<string, string>; value: number }[]> {
  const out = new Map<string, { key: RouteKey; labels: Record<string, string>; value: number }[]>();
  for (const s of expo.samples) {
    if (s.name !== 'http_requests_total') continue;
    const key = routeKey(s.labels);
    if (!key || SCRAPE_ROUTES.has(key.route)) continue;
    out.set(key.id, [...(out.get(key.id) ?? []), { key, labels: s.labels, value: s.value }]);
  }
  return out;
}

/** What happened between two scrapes: per-route deltas (for the run) and the interval's point. */
export function deriveInterval(prev: Scrape, cur: Scrape, opts: DeriveOptions = {}): { point: MetricsPoint; deltas: RouteDelta[] } {
  const dtSec = Math.max(1e-3, cur.t - prev.t);
  const deltas = new Map<string, RouteDelta>();
  let totalRequests = 0;
  let totalFailures = 0;
  let counted = false;
  const fam = histogramFamily(cur.expo, opts.histogram);
  if (fam) {
    const before = new Map(histograms(prev.expo, fam.family, fam.scale).map(h => [labelKey(h.labels), h]));
    for (const h of histograms(cur.expo, fam.family, fam.scale)) {
      const d = histogramDelta(before.get(labelKey(h.labels)), h);
      const key = routeKey(h.labels);
      if (key && SCRAPE_ROUTES.has(key.route)) continue;
      counted = true;
      totalRequests += d.count;
      if (isFailure(h.labels)) totalFailures += d.count;
      // Per-route series only for real route templates (not "unmatched", "404" …).
      if (!key || !key.route.startsWith('/')) continue;
      const r = deltas.get(key.id) ?? { ...key, requests: 0, failures: 0, buckets: [], sum: 0 };
      r.requests += d.count;
      if (isFailure(h.labels)) r.failures += d.count;
      r.buckets = r.buckets.length ? addBuckets(r.buckets, d.buckets) : d.buckets;
      r.sum += d.sum;
      deltas.set(key.id, r);
    }
  } else {
    const before = counterRoutes(prev.expo);
    for (const [id, list] of counterRoutes(cur.expo)) {
      for (const c of list) {
        const p = before.get(id)?.find(x => labelKey(x.labels) === labelKey(c.labels));
        const inc = counterIncrease(p?.value, c.value);
        counted = true;
        totalRequests += inc;
        if (isFailure(c.labels)) totalFailures += inc;
        if (!c.key.route.startsWith('/')) continue;
        const r = deltas.get(id) ?? { ...c.key, requests: 0, failures: 0, buckets: [], sum: 0 };
        r.requests += inc;
        if (isFailure(c.labels)) r.failures += inc;
        deltas.set(id, r);
      }
    }
  }
  const routes = [...deltas.values()].filter(r => r.requests > 0);
  const all = routes.reduce<Bucket[]>((acc, r) => (r.buckets.length ? (acc.length ? addBuckets(acc, r.buckets) : r.buckets) : acc), []);
  const cpuBefore = cpuSeconds(prev.expo);
  const cpuNow = cpuSeconds(cur.expo);
  const point: MetricsPoint = {
    t: cur.t,
    dtSec,
    ...(counted ? { requests: totalRequests, failures: totalFailures, rps: totalRequests / dtSec, errorRate: totalRequests > 0 ? totalFailures / totalRequests : undefined } : {}),
    percentiles: all.length ? percentilesOf(all) : undefined,
    rssBytes: gauge(cur.expo, 'process_resident_memory_bytes'),
    heapUsedBytes: gauge(cur.expo, 'nodejs_heap_size_used_bytes'),
    cpuPercent: cpuNow === undefined ? undefined : (100 * counterIncrease(cpuBefore, cpuNow)) / dtSec,
    routes: routes.map(r => ({
      id: r.id,
      method: r.method,
      route: r.route,
      rps: r.requests / dtSec,
      errorRate: r.requests > 0 ? r.failures / r.requests : undefined,
      percentiles: percentilesOf(r.buckets),
      mean: r.buckets.length && r.requests > 0 ? r.sum / r.requests : undefined,
    })),
  };
  return { point: dropUndefined(point), deltas: routes };
}

export function percentilesOf(buckets: readonly Bucket[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, q] of Object.entries(QUANTILES)) {
    const v = histogramQuantile(q, buckets);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
