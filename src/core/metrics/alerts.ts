// Alert rules on live server metrics, with the seed's defaults (response time > 1 s, error rate
// > 5 %, memory > 1 GB, CPU > 80 %). A rule fires only after it is breached on N consecutive
// scrapes (default 2), so one spike does not page, and resolves on the first clean scrape
// (intervals with nothing to judge, such as a route with no finished request, are skipped).
// Each firing episode becomes a finding after the run.
import { formatDuration } from '../format';
import type { MetricsPoint } from './derive';

export type AlertRuleId = 'responseTime' | 'errorRate' | 'memory' | 'cpu';

export interface AlertRules {
  /** Route latency (at `responseTimeQuantile`) above this many seconds. */
  responseTimeSec: number;
  responseTimeQuantile: 'p50' | 'p95' | 'p99' | 'mean';
  /** 5xx share of responses in an interval, 0–1. */
  errorRate: number;
  /** Resident memory of the service process, MB (10^6 bytes). */
  memoryMB: number;
  /** CPU of the service process, % of one core. */
  cpuPercent: number;
  /** Consecutive breaching scrapes before a rule fires. */
  forScrapes: number;
  /** Intervals with fewer requests than this do not judge latency or error rate. */
  minRequests: number;
}

export const DEFAULT_ALERT_RULES: AlertRules = {
  responseTimeSec: 1,
  responseTimeQuantile: 'p95',
  errorRate: 0.05,
  memoryMB: 1000,
  cpuPercent: 80,
  forScrapes: 2,
  minRequests: 1,
};

/** The `alert` live event (and, with state "resolved", its end). */
export interface AlertEvent {
  type: 'alert';
  state: 'firing' | 'resolved';
  rule: AlertRuleId;
  /** Route id for per-route rules (`GET /api/slow/{id}`). */
  route?: string;
  message: string;
  value: number;
  threshold: number;
  /** Epoch seconds. */
  t: number;
}

export interface AlertFinding {
  rule: AlertRuleId;
  route?: string;
  /** Epoch seconds of the first breaching scrape and of the last one. */
  from: number;
  to: number;
  scrapes: number;
  /** Worst value seen in the episode, and the threshold, in the rule's unit. */
  peak: number;
  threshold: number;
  message: string;
}

interface Track {
  rule: AlertRuleId;
  route?: string;
  streak: number;
  firing: boolean;
  from: number;
  to: number;
  peak: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const mb = (x: number) => `${(x / 1e6).toFixed(0)} MB`;

function describe(rule: AlertRuleId, value: number, threshold: number, route: string | undefined, rules: AlertRules): string {
  switch (rule) {
    case 'responseTime':
      return `${route}: server ${rules.responseTimeQuantile} ${formatDuration(value)} > ${formatDuration(threshold)} (approximate, from histogram buckets)`;
    case 'errorRate':
      return `server error rate ${pct(value)} > ${pct(threshold)}${route ? ` on ${route}` : ''}`;
    case 'memory':
      return `server memory ${mb(value)} > ${mb(threshold)}`;
    case 'cpu':
      return `server CPU ${value.toFixed(0)}% > ${threshold.toFixed(0)}%`;
  }
}

export class AlertEvaluator {
  private readonly tracks = new Map<string, Track>();
  private readonly done: AlertFinding[] = [];

  constructor(readonly rules: AlertRules = DEFAULT_ALERT_RULES) {}

  /** Judges one interval; returns the alerts that started or ended with it. */
  check(p: MetricsPoint): AlertEvent[] {
    const r = this.rules;
    const breaches: { rule: AlertRuleId; route?: string; value: number; threshold: number }[] = [];
    const judged = new Set<string>();
    const judge = (rule: AlertRuleId, value: number | undefined, threshold: number, route?: string) => {
      if (value === undefined || !Number.isFinite(value)) return;
      judged.add(`${rule}\u0000${route ?? ''}`);
      if (value > threshold) breaches.push({ rule, route, value, threshold });
    };
    for (const route of p.routes) {
      if (route.rps * p.dtSec < r.minRequests) continue;
      judge('responseTime', r.responseTimeQuantile === 'mean' ? route.mean : route.percentiles[r.responseTimeQuantile], r.responseTimeSec, route.id);
    }
    if ((p.requests ?? 0) >= r.minRequests) judge('errorRate', p.errorRate, r.errorRate);
    judge('memory', p.rssBytes, r.memoryMB * 1e6);
    judge('cpu', p.cpuPercent, r.cpuPercent);

    const events: AlertEvent[] = [];
    const breached = new Set<string>();
    for (const b of breaches) {
      const key = `${b.rule}\u0000${b.route ?? ''}`;
      breached.add(key);
      let t = this.tracks.get(key);
      if (!t) this.tracks.set(key, (t = { rule: b.rule, route: b.route, streak: 0, firing: false, from: p.t, to: p.t, peak: b.value }));
      if (t.streak === 0) {
        t.from = p.t;
        t.peak = b.value;
      }
      t.streak++;
      t.to = p.t;
      t.peak = Math.max(t.peak, b.value);
      if (!t.firing && t.streak >= r.forScrapes) {
        t.firing = true;
        events.push({ type: 'alert', state: 'firing', rule: b.rule, route: b.route, value: b.value, threshold: b.threshold, t: p.t, message: describe(b.rule, b.value, b.threshold, b.route, r) });
      }
    }
    // A rule judged clean ends its streak; one not judged (no requests on the route finished in
    // this interval, e.g. slower than the scrape interval) leaves it as it is.
    for (const [key, t] of this.tracks) {
      if (breached.has(key) || t.streak === 0 || !judged.has(key)) continue;
      const threshold = this.threshold(t.rule);
      if (t.firing) {
        events.push({ type: 'alert', state: 'resolved', rule: t.rule, route: t.route, value: t.peak, threshold, t: p.t, message: `resolved: ${describe(t.rule, t.peak, threshold, t.route, r)}` });
        this.done.push(this.finding(t));
      }
      t.streak = 0;
      t.firing = false;
    }
    return events;
  }

  private threshold(rule: AlertRuleId): number {
    const r = this.rules;
    return rule === 'responseTime' ? r.responseTimeSec : rule === 'errorRate' ? r.errorRate : rule === 'memory' ? r.memoryMB * 1e6 : r.cpuPercent;
  }

  private finding(t: Track): AlertFinding {
    const threshold = this.threshold(t.rule);
    return { rule: t.rule, route: t.route, from: t.from, to: t.to, scrapes: t.streak, peak: t.peak, threshold, message: describe(t.rule, t.peak, threshold, t.route, this.rules) };
  }

  /** Every episode that fired, those still firing included, in order of start. */
  findings(): AlertFinding[] {
    const open = [...this.tracks.values()].filter(t => t.firing).map(t => this.finding(t));
    return [...this.done, ...open].sort((a, b) => a.from - b.from);
  }
}

/** A finding as one sentence for run notes, Problems and the CLI: times relative to `t0` (epoch s). */
export function findingNote(f: AlertFinding, t0: number): string {
  const span = `${(f.from - t0).toFixed(1)}–${(f.to - t0).toFixed(1)} s`;
  return `alert ${f.rule}: ${f.message}; worst of ${f.scrapes} consecutive scrape(s) at ${span} of the run`;
}
