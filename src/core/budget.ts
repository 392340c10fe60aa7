// Absolute budgets ("p95 ≤ 200 ms", "error rate ≤ 1%", "RSS ≤ 500 MB", "≥ 100 req/s"), checked
// beside the baseline comparison: a baseline says "no worse than before", a budget says "good
// enough at all". Canonical units as in the model: seconds, bytes, ratio (0.01 = 1%), per second.
import type { Series } from './model';
import { max, median as medianOf, mean as meanOf, quantile } from './stats/descriptive';

export interface Budget {
  /** Exact series id, or a glob: `*` (no '/'), `**` (anything, '/' included), `?` (one char, not '/'). */
  match: string;
  /** Also require the series' group to match this glob (e.g. `aggregation`, a pytest-benchmark group). */
  group?: string;
  /** Upper limits on durations, seconds. */
  p95?: number;
  p99?: number;
  median?: number;
  mean?: number;
  /** Upper limit on failures / requests, a ratio (0.01 = 1%). */
  errorRate?: number;
  /** Upper limit on peak resident memory, bytes. */
  maxRss?: number;
  /** Lower limit on throughput, requests per second. */
  minRps?: number;
}

export type BudgetKey = Exclude<keyof Budget, 'match' | 'group'>;

export interface BudgetResult {
  id: string;
  /** Which limit: 'p95', 'errorRate' … */
  budget: BudgetKey;
  /** The pattern of the budget entry that applied. */
  match: string;
  limit: number;
  /** Measured value in canonical units; undefined when the series does not report it. */
  actual: number | undefined;
  ok: boolean;
  message: string;
}

const KEYS: BudgetKey[] = ['p95', 'p99', 'median', 'mean', 'errorRate', 'maxRss', 'minRps'];

/**
 * Check every series against every budget whose `match` fits its id. A limit is checked only
 * where it makes sense for the series (latency limits on durations, maxRss on memory …); a series
 * that should report the value but does not gets ok = false ("not reported"), so a budget cannot
 * pass silently because the data vanished.
 */
export function checkBudgets(series: readonly Series[], budgets: readonly Budget[]): BudgetResult[] {
  const compiled = budgets.map((b) => ({ b, re: globToRegExp(b.match), group: b.group === undefined ? undefined : globToRegExp(b.group) }));
  const out: BudgetResult[] = [];
  for (const s of series) {
    for (const { b, re, group } of compiled) {
      if (!re.test(s.id) || (group && !group.test(s.group ?? ''))) continue;
      for (const key of KEYS) {
        const limit = b[key];
        if (limit === undefined || !applies(key, s)) continue;
        const actual = actualValue(key, s);
        const ok = actual !== undefined && (key === 'minRps' ? actual >= limit : actual <= limit);
        out.push({ id: s.id, budget: key, match: b.match, limit, actual, ok, message: message(key, actual, limit, ok, s) });
      }
    }
  }
  return out;
}

function applies(key: BudgetKey, s: Series): boolean {
  switch (key) {
    case 'p95':
    case 'p99':
    case 'median':
    case 'mean':
      return s.metric === 'duration';
    case 'errorRate':
      return s.metric === 'errorRate' || s.endpoint !== undefined;
    case 'maxRss':
      return s.metric === 'memory' || (s.memory?.length ?? 0) > 0;
    case 'minRps':
      return s.metric === 'throughput' || s.endpoint?.rps !== undefined;
  }
}

function actualValue(key: BudgetKey, s: Series): number | undefined {
  const samples = (s.samples ?? []).filter(Number.isFinite);
  const sum = s.summary;
  switch (key) {
    case 'p95':
    case 'p99':
      return sum.percentiles?.[key] ?? (samples.length ? quantile(samples, key === 'p95' ? 0.95 : 0.99) : undefined);
    case 'median':
      return sum.median ?? sum.percentiles?.p50 ?? (samples.length ? medianOf(samples) : undefined);
    case 'mean':
      return sum.mean ?? (samples.length ? meanOf(samples) : undefined);
    case 'errorRate':
      if (s.metric === 'errorRate') return sum.mean ?? sum.median ?? (samples.length ? meanOf(samples) : undefined);
      return s.endpoint && s.endpoint.requests > 0 ? s.endpoint.failures / s.endpoint.requests : undefined;
    case 'maxRss': {
      if (s.memory?.length) return max(s.memory.map((m) => m.rss));
      return sum.max ?? (samples.length ? max(samples) : undefined);
    }
    case 'minRps':
      if (s.metric === 'throughput') return sum.mean ?? sum.median ?? (samples.length ? meanOf(samples) : undefined);
      return s.endpoint?.rps;
  }
}

function message(key: BudgetKey, actual: number | undefined, limit: number, ok: boolean, s: Series): string {
  // maxRss also bounds memory series that are not RSS (a page's JS heap): say which.
  const label = key === 'maxRss' ? (s.memory?.length || s.metric !== 'memory' || s.id.startsWith('memory:') ? 'peak RSS' : `peak ${s.name ?? 'memory'}`) : key === 'minRps' ? 'throughput' : key === 'errorRate' ? 'error rate' : key;
  if (actual === undefined) return `${label}: not reported (budget ${fmt(key, limit)})`;
  const op = key === 'minRps' ? (ok ? '≥' : '<') : ok ? '≤' : '>';
  const over = limit > 0 && !ok ? ` (${actual > limit ? '+' : ''}${(((actual - limit) / limit) * 100).toFixed(1)}%)` : '';
  return `${label} ${fmt(key, actual)} ${op} budget ${fmt(key, limit)}${over}`;
}

function fmt(key: BudgetKey, v: number): string {
  switch (key) {
    case 'errorRate':
      return `${(v * 100).toPrecision(3)}%`;
    case 'maxRss':
      return `${(v / (1024 * 1024)).toFixed(1)} MB`;
    case 'minRps':
      return `${v.toPrecision(4)}/s`;
    default:
      return v < 1 ? `${(v * 1000).toPrecision(3)} ms` : `${v.toPrecision(4)} s`;
  }
}

/**
 * Compile a glob to an anchored RegExp. `**` spans '/', `*` and `?` do not; a `**` segment
 * followed by a slash may also match nothing ("**" + "/x" matches "x"). Every other character is
 * literal (ids contain '.', '(', '{', ':' …).
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        if (slashAfter && atSegmentStart) {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** True when `id` is matched by `pattern` (exact id or glob). */
export function matchesId(pattern: string, id: string): boolean {
  return globToRegExp(pattern).test(id);
}

/**
 * Validate budgets read from a config file. Throws an Error naming the file and the field
 * (e.g. "perf-lens.config.json: budgets[2].p95 must be a number ≥ 0").
 */
export function parseBudgets(value: unknown, source: string): Budget[] {
  if (!Array.isArray(value)) throw new Error(`${source}: budgets must be an array`);
  return value.map((entry: unknown, i) => {
    const where = `${source}: budgets[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${where} must be an object`);
    const e = entry as Record<string, unknown>;
    if (typeof e.match !== 'string' || e.match === '') throw new Error(`${where}.match must be a non-empty string`);
    const out: Budget = { match: e.match };
    if (e.group !== undefined) {
      if (typeof e.group !== 'string' || e.group === '') throw new Error(`${where}.group must be a non-empty string`);
      out.group = e.group;
    }
    for (const [k, v] of Object.entries(e)) {
      if (k === 'match' || k === 'group') continue;
      if (!(KEYS as string[]).includes(k)) throw new Error(`${where}.${k} is not a budget (use one of ${KEYS.join(', ')})`);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}.${k} must be a number ≥ 0`);
      out[k as BudgetKey] = v;
    }
    return out;
  });
}
