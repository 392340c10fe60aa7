// Memory-leak analysis of one sampled memory series (the seed's psutil loop, our pidusage sampler).
//
// 1. Drop a warm-up window (imports, JIT, caches and pools filling up are not leaks).
// 2. Robust trend on the rest (up to the end of the load, when given): Theil–Sen slope in MB/min
//    with Sen's CI, and the one-sided Mann–Kendall test for an increasing trend.
// 3. leak ⇔ Mann–Kendall p < α AND slope above a practical floor AND the slope CI above 0 AND
//    the climb continues in the later half of the window (a one-off step, e.g. a cache filling,
//    stops; a leak keeps going) AND the memory actually grew by a material share of the process
//    (default 5% of its level): a rate extrapolated from a short window is not enough — a Node
//    service's RSS creeps a few MB while V8 sizes its heap under a new load.
//    Memory samples are autocorrelated, which makes trend tests over-confident; the practical
//    floor and the later-half check are what keep steady-but-wobbly processes from being flagged.
//    The later half must climb materially too (half the material share), not just set new highs:
//    over seconds, noise alone sets some.
//    stable ⇔ no trend above the floor, OR a rise that stopped: the later half (≥ 20 s) did not
//    climb materially. A rise that stopped for less than that is 'inconclusive'.
// 4. The seed's checks as configurable rules: growth < limit, peak < limit, and — given the end
//    of the load — memory released afterwards (drop ≥ releaseFraction × growth during the load).
// MB here is 2^20 bytes, as in the seed's psutil code.
import type { MemorySample } from './model';
import { median } from './stats/descriptive';
import { mannKendall } from './stats/mannKendall';
import { theilSen } from './stats/theilSen';

export const MB = 1024 * 1024;

export interface LeakOptions {
  /** Which size to analyse (default 'rss'). */
  field?: 'rss' | 'heapUsed';
  /** Warm-up to drop: the first `warmupSeconds` if given, else the first `warmupFraction` (default 0.1). */
  warmupSeconds?: number;
  warmupFraction?: number;
  /** Practical floor: slower growth is never called a leak (default 1 MB/min). */
  minSlopeMBPerMin?: number;
  /**
   * Material growth: a leak must have grown at least this share of the window's starting level
   * (default 0.05); the release rule has nothing to judge below it either.
   */
  minGrowthFraction?: number;
  /** Significance level of the Mann–Kendall test (default 0.01). */
  alpha?: number;
  /** Rule: growth over the analysed window below this (default 50 MB, the seed's limit). */
  maxGrowthMB?: number;
  /** Rule: peak below this (default 1000 MB, the seed's limit). */
  maxPeakMB?: number;
  /** End of the load (epoch seconds, as the samples' t): enables the release rule. */
  loadEnd?: number;
  /** Release rule: memory must fall by at least this fraction of the growth during load (default 0.8, the seed's). */
  releaseFraction?: number;
  /** Ignore this many seconds right after loadEnd before judging release (default 0). */
  releaseSettleSeconds?: number;
  /**
   * A rise whose later half does not climb materially (its running maximum gains less than half
   * the material share, or slopes at most half the floor) for at least this long is bounded:
   * 'stable' (default 20 s); shorter → 'inconclusive'.
   */
  levelledSeconds?: number;
  /** Fewer analysed points than this → 'inconclusive' (default 10). */
  minPoints?: number;
  /** Long series are thinned to this many bucket medians before Theil–Sen's O(n²) (default 1000). */
  maxPoints?: number;
  confidence?: number;
}

export interface LeakRule {
  name: 'growth' | 'peak' | 'release';
  ok: boolean;
  /** MB (growth, peak) or the released fraction (release). */
  actual: number;
  limit: number;
  message: string;
}

export interface LeakVerdict {
  status: 'leak' | 'stable' | 'inconclusive';
  field: 'rss' | 'heapUsed';
  /** Theil–Sen slope over the analysed window, MB per minute, with its CI. */
  slopeMBPerMin: number;
  slopeCI: [number, number];
  /** One-sided Mann–Kendall p-value for an increasing trend. */
  pValue: number;
  /** End level − start level of the analysed window (medians of its first and last tenth), MB. */
  growthMB: number;
  peakMB: number;
  /** Points analysed after warm-up (and before the load end), and points dropped as warm-up. */
  points: number;
  warmupDropped: number;
  rules: LeakRule[];
  /** Every rule passed and no leak. */
  ok: boolean;
  reason: string;
}

function runningMax(ys: readonly number[]): number[] {
  let m = -Infinity;
  return ys.map((y) => (m = Math.max(m, y)));
}

export function analyzeLeak(samples: readonly MemorySample[], options: LeakOptions = {}): LeakVerdict {
  const field = options.field ?? 'rss';
  const floor = options.minSlopeMBPerMin ?? 1;
  const alpha = options.alpha ?? 0.01;
  const minPoints = Math.max(3, options.minPoints ?? 10);
  const all = samples
    .map((s) => ({ t: s.t, v: field === 'rss' ? s.rss : s.heapUsed }))
    .filter((p): p is { t: number; v: number } => Number.isFinite(p.t) && p.v !== undefined && Number.isFinite(p.v))
    .sort((a, b) => a.t - b.t);
  if (all.length === 0) {
    return emptyVerdict(field, `Inconclusive: no ${field} samples`);
  }

  const t0 = all[0].t;
  const loadEnd = options.loadEnd;
  const inLoad = loadEnd === undefined ? all : all.filter((p) => p.t <= loadEnd);
  const warmupEnd =
    options.warmupSeconds !== undefined
      ? t0 + options.warmupSeconds
      : t0 + (options.warmupFraction ?? 0.1) * ((inLoad.at(-1)?.t ?? t0) - t0);
  const window = inLoad.filter((p) => p.t >= warmupEnd);
  const warmupDropped = inLoad.length - window.length;
  const peakMB = all.reduce((m, p) => (p.v > m ? p.v : m), -Infinity) / MB;

  const rules: LeakRule[] = [];
  const maxPeak = options.maxPeakMB ?? 1000;
  rules.push({ name: 'peak', ok: peakMB < maxPeak, actual: peakMB, limit: maxPeak, message: `peak ${peakMB.toFixed(1)} MB ${peakMB < maxPeak ? '<' : '≥'} ${maxPeak} MB` });

  if (window.length < minPoints) {
    const v = emptyVerdict(field, `Inconclusive: ${window.length} samples after a warm-up of ${warmupDropped}; need at least ${minPoints}`);
    return { ...v, peakMB, points: window.length, warmupDropped, rules, ok: false };
  }

  const pts = thin(window, options.maxPoints ?? 1000);
  const x = pts.map((p) => (p.t - t0) / 60); // minutes
  const y = pts.map((p) => p.v / MB);
  const ts = theilSen(x, y, options.confidence ?? 0.95);
  const mk = mannKendall(y, 'greater', alpha);
  const tenth = Math.max(1, Math.floor(y.length / 10));
  const startLevel = median(y.slice(0, tenth));
  const endLevel = median(y.slice(-tenth));
  const growthMB = endLevel - startLevel;

  const maxGrowth = options.maxGrowthMB ?? 50;
  rules.push({ name: 'growth', ok: growthMB < maxGrowth, actual: growthMB, limit: maxGrowth, message: `growth ${fmtMB(growthMB)} ${growthMB < maxGrowth ? '<' : '≥'} ${maxGrowth} MB` });

  // Material growth (a share of the level): a leak must reach it, and the release rule judges only above it.
  const material = Math.max(0, options.minGrowthFraction ?? DEFAULT_MIN_GROWTH_FRACTION) * startLevel;
  if (loadEnd !== undefined) rules.push(releaseRule(all, loadEnd, startLevel, endLevel, Math.max(1, material), options));

  // Does the climb go on in the later half? Theil–Sen on the later half's running maximum: a
  // leak keeps setting new highs, a step or a warm-up does not. The maximum, not the level: a
  // collector giving memory back late in the run (V8 returned 130 MB of a 740 MB climb 4 s before
  // the load ended, in the demo's leaking service) pulled a plain later-half slope to zero.
  // The new highs must add up to a material share too (half the whole window's): over seconds,
  // RSS noise alone sets new highs — a bounded service's 0.2 MB of them in 15 s read as
  // 0.8 MB/min, above half the floor, and were called a leak.
  const half = Math.floor(x.length / 2);
  const laterMax = runningMax(y.slice(half));
  const laterSlope = x.length - half >= 3 ? theilSen(x.slice(half), laterMax).slope : ts.slope;
  const laterRise = laterMax.at(-1)! - laterMax[0];
  const climbing = laterSlope > floor / 2 && laterRise >= material / 2;
  // Levelled off: no material climb over a later half long enough to tell (a leaking Node
  // service's RSS also pauses between heap expansions — for seconds, not tens of them).
  const laterSec = (x.at(-1)! - x[half]) * 60;
  const levelled = !climbing && laterSec >= (options.levelledSeconds ?? DEFAULT_LEVELLED_SECONDS);
  const levelledText = `then no material new high in the last ${fmtSpan(laterSec / 60)} (${fmtMB(laterRise)}, later-half slope ${fmtSlope(laterSlope)} MB/min)`;

  const significant = mk.pValue < alpha;
  const slopeText = `${fmtSlope(ts.slope)} MB/min (95% CI ${fmtSlope(ts.lo)}…${fmtSlope(ts.hi)}, Mann–Kendall ${fmtP(mk.pValue)})`;
  let status: LeakVerdict['status'];
  let why: string;
  if (significant && ts.slope > floor && ts.lo > 0) {
    if (growthMB < material && levelled) {
      status = 'stable';
      why = `Stable: rose ${fmtMB(growthMB)} early (under ${fmtShare(material / startLevel)} of the ${startLevel.toFixed(0)} MB level), ${levelledText} — bounded; ${slopeText}`;
    } else if (growthMB < material) {
      status = 'inconclusive';
      why = `Inconclusive: rising ${slopeText}, but only ${fmtMB(growthMB)} in the judged ${fmtSpan(x.at(-1)! - x[0])} — under ${fmtShare(material / startLevel)} of the ${startLevel.toFixed(0)} MB level, too little to tell a leak from warm-up; sample longer`;
    } else if (climbing) {
      status = 'leak';
      why = `Leak: memory keeps rising, ${slopeText}`;
    } else if (levelled) {
      status = 'stable';
      why = `Stable: rose ${fmtMB(growthMB)}, ${levelledText} — a step or late warm-up that stopped, not a leak; ${slopeText}`;
    } else {
      status = 'inconclusive';
      why = `Inconclusive: rose ${fmtMB(growthMB)} then levelled off (${fmtMB(laterRise)} in the later half, slope ${fmtSlope(laterSlope)} MB/min), but only for ${fmtSpan(laterSec / 60)} — too short to call it bounded; sample longer; ${slopeText}`;
    }
  } else if (ts.slope <= floor) {
    status = 'stable';
    // With many samples even a flat, quantized RSS can show a "significant" trend; say that the
    // trend is real but too small to matter, not a bare p<0.001 beside a stable verdict.
    why = significant
      ? `Stable: a trend is detectable but below the ${floor} MB/min floor — ${slopeText}`
      : `Stable: no significant trend — ${slopeText}, below the ${floor} MB/min floor`;
  } else {
    status = 'inconclusive';
    why = `Inconclusive: slope ${slopeText} is above the ${floor} MB/min floor but not significant; sample longer`;
  }
  const failed = rules.filter((r) => !r.ok);
  const reason = failed.length ? `${why}; failed: ${failed.map((r) => r.message).join('; ')}` : why;
  return {
    status,
    field,
    slopeMBPerMin: ts.slope,
    slopeCI: [ts.lo, ts.hi],
    pValue: mk.pValue,
    growthMB,
    peakMB,
    points: window.length,
    warmupDropped,
    rules,
    ok: status !== 'leak' && failed.length === 0,
    reason,
  };
}

/**
 * The seed's cleanup check: growth during load = level at load end − start level; released =
 * level at load end − level after (settled). Pass when released ≥ fraction × growth, or when
 * there was nothing material to release (growth under `material`, at least 1 MB).
 */
function releaseRule(
  all: readonly { t: number; v: number }[],
  loadEnd: number,
  startLevel: number,
  endLevel: number,
  /** Growth below this (MB) leaves nothing material to release. */
  material: number,
  options: LeakOptions,
): LeakRule {
  const fraction = options.releaseFraction ?? 0.8;
  const after = all.filter((p) => p.t > loadEnd + (options.releaseSettleSeconds ?? 0)).map((p) => p.v / MB);
  if (after.length === 0) {
    return { name: 'release', ok: false, actual: NaN, limit: fraction, message: 'release: no samples after the load ended' };
  }
  const afterLevel = median(after.slice(-Math.max(1, Math.floor(after.length / 2)))); // settled: latter half
  const grown = endLevel - startLevel;
  if (grown < material) {
    return { name: 'release', ok: true, actual: 1, limit: fraction, message: `release: nothing material to release (grew ${fmtMB(grown)} during load, under ${material.toFixed(1)} MB)` };
  }
  const released = (endLevel - afterLevel) / grown;
  const ok = released >= fraction;
  return {
    name: 'release',
    ok,
    actual: released,
    limit: fraction,
    message: `release ${(released * 100).toFixed(0)}% of ${fmtMB(grown)} grown during load ${ok ? '≥' : '<'} ${(fraction * 100).toFixed(0)}%`,
  };
}

/** Bucket medians (time and value) so Theil–Sen stays O(maxPoints²). */
function thin(points: readonly { t: number; v: number }[], maxPoints: number): { t: number; v: number }[] {
  if (points.length <= maxPoints) return [...points];
  const out: { t: number; v: number }[] = [];
  const size = points.length / maxPoints;
  for (let b = 0; b < maxPoints; b++) {
    const chunk = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (chunk.length) out.push({ t: median(chunk.map((p) => p.t)), v: median(chunk.map((p) => p.v)) });
  }
  return out;
}

function emptyVerdict(field: 'rss' | 'heapUsed', reason: string): LeakVerdict {
  return { status: 'inconclusive', field, slopeMBPerMin: NaN, slopeCI: [NaN, NaN], pValue: NaN, growthMB: NaN, peakMB: NaN, points: 0, warmupDropped: 0, rules: [], ok: false, reason };
}

const DEFAULT_MIN_GROWTH_FRACTION = 0.05;
const DEFAULT_LEVELLED_SECONDS = 20;
const fmtShare = (f: number): string => `${+(f * 100).toFixed(1)}%`;
const fmtSpan = (minutes: number): string => (minutes < 2 ? `${(minutes * 60).toFixed(0)} s` : `${minutes.toFixed(1)} min`);
const fmtMB = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)} MB`;
// Two significant digits under 0.1 MB/min, so a tiny slope never prints as "0.00" beside p<0.001.
const fmtSlope = (v: number): string =>
  Math.abs(v) >= 10 ? v.toFixed(1) : Math.abs(v) >= 0.1 || v === 0 ? v.toFixed(2) : String(+v.toPrecision(2));
const fmtP = (p: number): string => (p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`);
