// Recording: an HDR histogram per request name and overall (microsecond resolution, 3 significant
// digits), failure counts by message, and a per-second timeline. Pure bookkeeping, no I/O, so the
// timeline math is unit-tested without a server.
import * as hdr from 'hdr-histogram-js';
import type { TimelinePoint } from '../../core/model';

export type Histogram = hdr.Histogram;

/** One finished request. */
export interface Outcome {
  key: string;
  /** Completion time, seconds since the run started (monotonic clock). */
  endSec: number;
  /** Response time in seconds; absent when no response came (refused, reset, timeout). */
  latencySec?: number;
  /** Failure message (`HTTP 500`, `ECONNREFUSED`, `slow (> 0.5 s)` …); absent on success. */
  failure?: string;
}

export function newHistogram(): Histogram {
  // 3 significant digits: 0.1% resolution; autoResize so a multi-minute stall still records.
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3, autoResize: true });
}

const US = 1e6;
export const recordUs = (h: Histogram, sec: number) => h.recordValue(Math.max(1, Math.round(sec * US)));

export const PERCENTILES = [50, 75, 90, 95, 99, 99.9];

/** Percentiles of a histogram in seconds, keyed p50 … p99.9. */
export function percentilesSec(h: Histogram, ps: readonly number[] = PERCENTILES): Record<string, number> {
  const out: Record<string, number> = {};
  if (h.totalCount === 0) return out;
  for (const p of ps) out[`p${p}`] = h.getValueAtPercentile(p) / US;
  return out;
}

export class KeyStats {
  readonly hist = newHistogram();
  requests = 0;
  failures = 0;
  readonly errors = new Map<string, number>();

  add(o: Outcome): void {
    this.requests++;
    if (o.latencySec !== undefined) recordUs(this.hist, o.latencySec);
    if (o.failure !== undefined) {
      this.failures++;
      this.errors.set(o.failure, (this.errors.get(o.failure) ?? 0) + 1);
    }
  }
}

interface Bucket {
  requests: number;
  failures: number;
  errors: Map<string, number>;
  hist: Histogram;
  users: number;
}

/**
 * Per-second timeline. A request counts in the second it completed. A bucket is turned into a
 * point (percentiles computed, histogram released) once `close(upTo)` passes it, so memory stays
 * flat however long the run is.
 */
export class Timeline {
  private readonly open = new Map<number, Bucket>();
  readonly points: TimelinePoint[] = [];
  private closedBelow = 0;
  /** The bucket last added to: nearly every request lands in the current second. */
  private last: { i: number; b: Bucket } | undefined;

  /** @param startEpochSec wall-clock time of second 0. */
  constructor(readonly startEpochSec: number) {}

  add(o: Outcome): void {
    // A late completion of an already closed second lands in the first open one.
    const i = Math.max(this.closedBelow, Math.floor(o.endSec));
    const b = this.bucket(i);
    b.requests++;
    if (o.latencySec !== undefined) recordUs(b.hist, o.latencySec);
    if (o.failure !== undefined) {
      b.failures++;
      b.errors.set(o.failure, (b.errors.get(o.failure) ?? 0) + 1);
    }
  }

  /** Note active connections / users seen during second `i` (the maximum is kept). */
  users(i: number, n: number): void {
    if (i < this.closedBelow) return;
    const b = this.bucket(i);
    b.users = Math.max(b.users, n);
  }

  /** Close every second below `upTo`; returns the new points. Empty seconds get zero points. */
  close(upTo: number): TimelinePoint[] {
    const added: TimelinePoint[] = [];
    for (let i = this.closedBelow; i < upTo; i++) {
      const b = this.open.get(i);
      this.open.delete(i);
      if (this.last?.i === i) this.last = undefined;
      const p: TimelinePoint = { t: this.startEpochSec + i, requests: b?.requests ?? 0, failures: b?.failures ?? 0 };
      if (b) {
        p.users = b.users;
        if (b.hist.totalCount > 0) p.percentiles = percentilesSec(b.hist, [50, 95, 99]);
        if (b.errors.size > 0) p.errors = Object.fromEntries(b.errors);
        b.hist.destroy();
      }
      this.points.push(p);
      added.push(p);
    }
    this.closedBelow = Math.max(this.closedBelow, upTo);
    return added;
  }

  private bucket(i: number): Bucket {
    if (this.last?.i === i) return this.last.b;
    let b = this.open.get(i);
    if (!b) {
      b = { requests: 0, failures: 0, errors: new Map(), hist: newHistogram(), users: 0 };
      this.open.set(i, b);
    }
    this.last = { i, b };
    return b;
  }
}

/** Transport error → short kind for grouping: ECONNREFUSED, ECONNRESET, timeout, … */
export function errorKind(e: unknown): string {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  // undici's llhttp errors: the peer spoke something other than HTTP/1.1.
  if (err.name === 'HTTPParserError' || code?.startsWith('HPE_')) return 'invalid HTTP response';
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'timeout';
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return 'ECONNRESET';
    case 'UND_ERR_ABORTED':
      return 'aborted';
    case undefined:
      return err.name ?? 'error';
    default:
      return code;
  }
}
