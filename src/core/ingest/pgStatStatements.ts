// PostgreSQL pg_stat_statements, as our snapshot statement prints it (core/db/pgSnapshot.ts):
// either one snapshot (totals since the statistics were last reset) or a before/after pair
// around a suite (the calls and time between them). One series per statement, id
// `sql:<normalized text>` (core/match/sql.ts), durations in seconds.
//
// pg_stat_statements keeps per-statement totals, never per-call samples: a series carries
// mean, stddev and n (= calls) only, so verdicts against a baseline are Welch's t from those
// summaries, and budgets judge the mean. The run's stddev is recovered from the two cumulative
// (population) variances by the parallel-variance identity; min/max only where the pair proves
// them (a statement new in the run, or an extreme that moved).
import { DELTA_FORMAT, SNAPSHOT_FORMAT, SNAPSHOT_MARKER } from '../db/pgSnapshot';
import { classifyKey, sqlIdOfKey, sqlKey } from '../match/sql';
import type { Run, Series } from '../model';
import { compact, isoUtc, JsonNode, readJsonNode } from './json';
import type { ParseOptions, Parser } from './types';

export const SUMMARY_ONLY_NOTE =
  'pg_stat_statements keeps totals per statement, not per-call samples: mean, stddev and n (calls) only; verdicts use Welch\'s t from these summaries.';

/** One row of pg_stat_statements, times in ms as the server reports them. */
interface Entry {
  key: string; // identity inside the server: queryid/userid/toplevel (text when no queryid)
  queryid?: string;
  query: string;
  calls: number;
  rows: number;
  totalMs: number;
  /** Population stddev over all calls, as pg_stat_statements computes it. */
  stddevMs: number;
  minMs?: number;
  maxMs?: number;
  planMs: number;
}

/** What the run added to one statement. */
interface Delta {
  query: string;
  queryids: Set<string>;
  calls: number;
  rows: number;
  totalMs: number;
  /** Sum of squared deviations from the run's mean (ms²). */
  m2: number;
  minMs?: number;
  maxMs?: number;
  planMs: number;
}

function entries(node: JsonNode): Entry[] {
  node.object();
  const format = node.get('format').string();
  if (format !== SNAPSHOT_FORMAT) node.get('format').fail(`expected "${SNAPSHOT_FORMAT}", got "${format}"`);
  // Thousands of rows: read plain values, and build a located node only to report a bad one.
  const list = node.get('statements');
  return list.array().map(s => {
    const o = s.object();
    const num = (...names: string[]): number | undefined => {
      for (const n of names) {
        const v = o[n];
        if (typeof v === 'number' && Number.isFinite(v)) return v;
        if (v !== undefined && v !== null) return s.get(n).number(); // throws, naming the field
      }
      return undefined;
    };
    const required = (pg13: string, pg12: string): number => {
      const v = num(pg13, pg12);
      return v === undefined ? s.get(pg13).fail(`missing (neither ${pg13} nor ${pg12} is there)`) : v;
    };
    const str = (name: string): string | undefined => (typeof o[name] === 'string' ? (o[name] as string) : s.get(name).optString());
    const queryid = str('queryid');
    const query = str('query') ?? '';
    const userid = o.userid !== undefined ? String(o.userid) : '';
    const toplevel = o.toplevel !== undefined ? String(o.toplevel) : '';
    const calls = num('calls');
    return {
      key: `${queryid ?? query}\u0000${userid}\u0000${toplevel}`,
      queryid,
      query,
      calls: calls === undefined ? s.get('calls').number() : calls,
      rows: num('rows') ?? 0,
      totalMs: required('total_exec_time', 'total_time'),
      stddevMs: num('stddev_exec_time', 'stddev_time') ?? 0,
      minMs: num('min_exec_time', 'min_time'),
      maxMs: num('max_exec_time', 'max_time'),
      planMs: num('total_plan_time') ?? 0,
    };
  });
}

/** after − before for one server entry; undefined when nothing ran. */
function subtract(a: Entry, b: Entry | undefined): Delta | undefined {
  // No before row, or fewer calls than before (reset or evicted and re-created): all of it is new.
  const fresh = !b || a.calls < b.calls;
  const calls = fresh ? a.calls : a.calls - (b as Entry).calls;
  if (calls <= 0) return undefined;
  const m2After = a.stddevMs ** 2 * a.calls;
  let m2 = m2After;
  let totalMs = a.totalMs;
  let minMs = a.minMs;
  let maxMs = a.maxMs;
  if (!fresh) {
    const before = b as Entry;
    totalMs = a.totalMs - before.totalMs;
    const meanBefore = before.calls ? before.totalMs / before.calls : 0;
    const meanRun = totalMs / calls;
    // Chan et al.: M2(after) = M2(before) + M2(run) + n_b·n_r/n_a·(mean_b − mean_r)².
    m2 = m2After - before.stddevMs ** 2 * before.calls - ((before.calls * calls) / a.calls) * (meanBefore - meanRun) ** 2;
    m2 = Math.max(0, m2);
    minMs = a.minMs !== undefined && before.minMs !== undefined && a.minMs < before.minMs ? a.minMs : undefined;
    maxMs = a.maxMs !== undefined && before.maxMs !== undefined && a.maxMs > before.maxMs ? a.maxMs : undefined;
  }
  return {
    query: a.query,
    queryids: new Set(a.queryid ? [a.queryid] : []),
    calls,
    rows: fresh ? a.rows : a.rows - (b as Entry).rows,
    totalMs: Math.max(0, totalMs),
    m2,
    minMs,
    maxMs,
    planMs: fresh ? a.planMs : a.planMs - (b as Entry).planMs,
  };
}

/** Two statements with the same normalized text (other roles, top-level or nested) count as one. */
function merge(x: Delta, y: Delta): Delta {
  const n = x.calls + y.calls;
  const mx = x.totalMs / x.calls;
  const my = y.totalMs / y.calls;
  return {
    query: x.query.length <= y.query.length ? x.query : y.query,
    queryids: new Set([...x.queryids, ...y.queryids]),
    calls: n,
    rows: x.rows + y.rows,
    totalMs: x.totalMs + y.totalMs,
    m2: x.m2 + y.m2 + ((x.calls * y.calls) / n) * (mx - my) ** 2,
    minMs: x.minMs !== undefined && y.minMs !== undefined ? Math.min(x.minMs, y.minMs) : undefined,
    maxMs: x.maxMs !== undefined && y.maxMs !== undefined ? Math.max(x.maxMs, y.maxMs) : undefined,
    planMs: x.planMs + y.planMs,
  };
}

const MS = 1e-3;

function toSeries(key: string, d: Delta): Series {
  const mean = (d.totalMs / d.calls) * MS;
  const kind = classifyKey(key);
  const extra: Record<string, number | string> = {
    calls: d.calls,
    rows: d.rows,
    totalTime: d.totalMs * MS,
    kind,
    query: d.query.length > 4000 ? `${d.query.slice(0, 4000)}…` : d.query,
  };
  if (d.queryids.size) extra.queryid = [...d.queryids].join(',');
  if (d.planMs > 0) extra.meanPlanTime = (d.planMs / d.calls) * MS;
  return {
    id: sqlIdOfKey(key),
    name: d.query.replace(/\s+/g, ' ').trim(),
    group: kind,
    metric: 'duration',
    unit: 's',
    summary: compact({
      n: d.calls,
      mean,
      // Sample stddev, as the other tools report it; one call has no spread.
      stddev: d.calls > 1 ? Math.sqrt(d.m2 / (d.calls - 1)) * MS : undefined,
      min: d.minMs !== undefined ? d.minMs * MS : undefined,
      max: d.maxMs !== undefined ? d.maxMs * MS : undefined,
    }),
    notes: [SUMMARY_ONLY_NOTE],
    extra,
  };
}

/** Statements of a snapshot/pair document as series (exported for tests and the bench). */
export function statementsToRun(root: JsonNode): Run {
  root.object();
  const format = root.get('format').string();
  let after: JsonNode;
  let before: JsonNode | undefined;
  const notes: string[] = [];
  if (format === DELTA_FORMAT) {
    after = root.get('after');
    before = root.get('before').value == null ? undefined : root.get('before');
    if (!before && root.get('reset').optBoolean() !== true) root.get('before').fail('missing (a pair needs the before snapshot unless the statistics were reset)');
  } else if (format === SNAPSHOT_FORMAT) {
    after = root;
    notes.push('One pg_stat_statements snapshot: totals since the statistics were last reset, not one run.');
  } else {
    return root.get('format').fail(`expected "${DELTA_FORMAT}" or "${SNAPSHOT_FORMAT}", got "${format}"`);
  }
  const now = entries(after);
  const prior = new Map((before ? entries(before) : []).map(e => [e.key, e]));
  const byKey = new Map<string, Delta>();
  let hidden = 0;
  for (const e of now) {
    if (e.query.includes(SNAPSHOT_MARKER)) continue;
    const d = subtract(e, prior.get(e.key));
    if (!d) continue;
    if (e.query === '<insufficient privilege>') {
      hidden += d.calls;
      continue;
    }
    const key = sqlKey(e.query);
    const known = byKey.get(key);
    byKey.set(key, known ? merge(known, d) : d);
  }
  if (hidden) notes.push(`${hidden} call(s) of statements of other roles are hidden (grant pg_read_all_stats to the psql role to see them).`);
  if (!before && format === DELTA_FORMAT) notes.push('pg_stat_statements was reset before the run: the after snapshot is the run.');
  const startedAt = before ? isoUtc(before.get('takenAt')) : isoUtc(after.get('takenAt'));
  const endedAt = Date.parse(isoUtc(after.get('takenAt')));
  const server = after.get('serverVersionNum').optNumber();
  return compact({
    tool: 'pg-stat-statements' as const,
    suite: root.get('suite').optString(),
    startedAt,
    durationSec: before ? (endedAt - Date.parse(startedAt)) / 1000 : undefined,
    series: [...byKey].map(([key, d]) => toSeries(key, d)).sort((a, b) => (b.extra?.totalTime as number) - (a.extra?.totalTime as number)),
    notes: [...notes, ...(server ? [`PostgreSQL ${Math.floor(server / 10000)}.${server % 10000}, database ${after.get('database').optString() ?? '?'}`] : [])],
  });
}

export const pgStatStatementsParser: Parser = {
  tool: 'pg-stat-statements',
  format: 'PostgreSQL pg_stat_statements snapshot / before-after pair (perf-lens psql snapshot JSON)',
  detect(head) {
    return new RegExp(`"format"\\s*:\\s*"(${DELTA_FORMAT}|${SNAPSHOT_FORMAT})"`).test(head);
  },
  async parse(file: string, options?: ParseOptions): Promise<Run> {
    return statementsToRun(await readJsonNode(file, options));
  },
};
