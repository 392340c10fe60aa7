// Locust `--csv PREFIX [--csv-full-history]`: PREFIX_stats.csv (one row per Type+Name and
// an Aggregated row), PREFIX_stats_history.csv (a row per name per second),
// PREFIX_failures.csv and PREFIX_exceptions.csv. Any of the four is accepted; the
// siblings are found by prefix. Response times are milliseconds in the files, seconds here.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { EndpointStats, Run, Series, TimelinePoint } from '../model';
import { CsvHeader, csvNumber, parseCsvText, readCsv } from './csv';
import { readHead, readText } from './json';
import { isoOrUndefined } from './sanity';
import { IngestError, type ParseOptions, type Parser } from './types';

type LocustFile = 'stats' | 'history' | 'failures' | 'exceptions';

// Header starts that identify each file (stable across Locust 2.x).
const HEADERS: Record<LocustFile, string> = {
  stats: 'Type,Name,Request Count,Failure Count,',
  history: 'Timestamp,User Count,Type,Name,',
  failures: 'Method,Name,Error,Occurrences',
  exceptions: 'Count,Message,Traceback,Nodes',
};
const SUFFIX: Record<LocustFile, string> = {
  stats: '_stats.csv',
  history: '_stats_history.csv',
  failures: '_failures.csv',
  exceptions: '_exceptions.csv',
};

const AGGREGATED = 'Aggregated';
const ROUNDING_NOTE =
  'Locust rounds each response time before computing percentiles and the median (to 1 ms below 100 ms, 10 ms below 1 s, 100 ms below 10 s, 1 s above): they are approximate; mean, min and max are exact.';
const HISTORY_NOTE =
  'Timeline: requests and failures per point are differences of Locust\'s cumulative counts; percentiles are Locust\'s "current" ones, over a rolling window of about 10 s.';

/** Timelines longer than this are merged into wider buckets so memory stays bounded. */
export const MAX_TIMELINE_POINTS = 4096;

function kindOfHead(head: string): LocustFile | undefined {
  const first = head.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0];
  for (const kind of Object.keys(HEADERS) as LocustFile[]) {
    if (first.startsWith(HEADERS[kind])) return kind;
  }
  return undefined;
}

function kindOfName(file: string): LocustFile | undefined {
  // history before stats: `_stats_history.csv` also ends like nothing else, but check it first.
  return (['history', 'stats', 'failures', 'exceptions'] as LocustFile[]).find(k => file.endsWith(SUFFIX[k]));
}

/** PREFIX of a Locust CSV file from its name and kind (`run_stats.csv` → `run`). */
function prefixOf(file: string, kind: LocustFile): string {
  const suffix = SUFFIX[kind];
  if (!file.endsWith(suffix)) {
    throw new IngestError(file, `a Locust ${kind} CSV must be named PREFIX${suffix} so its sibling files can be found`);
  }
  return file.slice(0, -suffix.length);
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

function seriesKey(type: string, name: string): string {
  return `${type}\u0000${name}`;
}

function msToS(ms: number): number {
  return ms / 1000;
}

/** "50%" → "p50", "99.9%" → "p99.9". */
function percentileKey(column: string): string | undefined {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(column);
  return m ? `p${m[1]}` : undefined;
}

interface StatsRow {
  type: string;
  name: string;
  series: Series;
}

async function readStats(file: string, options?: ParseOptions): Promise<StatsRow[]> {
  const text = await readText(file, options);
  const rows: StatsRow[] = [];
  let header: CsvHeader | undefined;
  let cols: Record<string, number> = {};
  let pct: { key: string; index: number; column: string }[] = [];
  parseCsvText(file, text, (fields, line) => {
    if (!header) {
      header = new CsvHeader(file, fields, line);
      const h = header;
      cols = {
        type: h.require('Type'),
        name: h.require('Name'),
        requests: h.require('Request Count'),
        failures: h.require('Failure Count'),
        median: h.require('Median Response Time'),
        mean: h.require('Average Response Time'),
        min: h.require('Min Response Time'),
        max: h.require('Max Response Time'),
        rps: h.require('Requests/s'),
      };
      for (const [c, i] of [['Average Content Size', 'size'], ['Failures/s', 'fps']] as const) {
        const idx = h.optional(c);
        if (idx !== undefined) cols[i] = idx;
      }
      pct = fields.flatMap((column, index) => {
        const key = percentileKey(column);
        return key ? [{ key, index, column }] : [];
      });
      return;
    }
    if (fields.length !== header.names.length) {
      throw new IngestError(file, `row has ${fields.length} columns, the header has ${header.names.length}`, { line });
    }
    const num = (key: string, column: string) => csvNumber(file, fields[cols[key]], line, column);
    const type = fields[cols.type];
    const name = fields[cols.name];
    const requests = num('requests', 'Request Count');
    const failures = num('failures', 'Failure Count');
    const percentiles: Record<string, number> = {};
    // Locust writes N/A percentiles for a name with no successful timing yet.
    for (const p of pct) {
      if (fields[p.index] !== 'N/A') percentiles[p.key] = msToS(csvNumber(file, fields[p.index], line, p.column));
    }
    const isAggregate = name === AGGREGATED && type === '';
    const endpoint: EndpointStats = {
      route: name,
      requests,
      failures,
      rps: num('rps', 'Requests/s'),
    };
    if (type && !isAggregate) endpoint.method = type.toUpperCase();
    const extra: Record<string, number | string> = {};
    if (cols.size !== undefined) extra.avgContentSizeBytes = num('size', 'Average Content Size');
    if (cols.fps !== undefined) extra.failuresPerSec = num('fps', 'Failures/s');
    const hasTimes = requests > 0; // Locust times failed requests too
    const series: Series = {
      id: isAggregate ? AGGREGATED : `${type} ${name}`.trim(),
      name: isAggregate ? 'All requests' : undefined,
      group: isAggregate ? AGGREGATED : undefined,
      metric: 'duration',
      unit: 's',
      summary: hasTimes
        ? {
            n: requests,
            mean: msToS(num('mean', 'Average Response Time')),
            median: msToS(num('median', 'Median Response Time')),
            min: msToS(num('min', 'Min Response Time')),
            max: msToS(num('max', 'Max Response Time')),
            percentiles,
          }
        : { n: 0 },
      endpoint,
      notes: [ROUNDING_NOTE],
      extra,
    };
    if (series.name === undefined) delete series.name;
    if (series.group === undefined) delete series.group;
    rows.push({ type, name, series });
  });
  if (!header) throw new IngestError(file, 'file has no header row', { line: 1 });
  return rows;
}

// A timeline point while the history streams in: percentiles as a flat array in
// header order (NaN = N/A), so a row costs no per-row objects.
interface RawPoint {
  t: number;
  requests: number;
  failures: number;
  users: number;
  pct: Float64Array | undefined;
}

/** Builds one timeline, merging neighbours when it grows past MAX_TIMELINE_POINTS. */
class TimelineBuilder {
  private points: RawPoint[] = [];
  bucket = 1; // seconds per point
  private lastRequests = 0;
  private lastFailures = 0;

  add(t: number, users: number, totalRequests: number, totalFailures: number, pct: Float64Array | undefined): void {
    // Counts are cumulative: the point holds what completed since the previous row.
    // A drop means Locust reset its stats (--reset-stats): count from zero again.
    const requests = totalRequests >= this.lastRequests ? totalRequests - this.lastRequests : totalRequests;
    const failures = totalFailures >= this.lastFailures ? totalFailures - this.lastFailures : totalFailures;
    this.lastRequests = totalRequests;
    this.lastFailures = totalFailures;
    const bt = Math.floor(t / this.bucket) * this.bucket;
    const last = this.points[this.points.length - 1];
    if (last && last.t === bt) {
      mergeInto(last, requests, failures, users, pct);
      return;
    }
    this.points.push({ t: bt, requests, failures, users, pct: pct && pct.slice() });
    if (this.points.length > MAX_TIMELINE_POINTS) this.coarsen();
  }

  /** Double the bucket width, merging pairs of points. */
  private coarsen(): void {
    this.bucket *= 2;
    const merged: RawPoint[] = [];
    for (const p of this.points) {
      const bt = Math.floor(p.t / this.bucket) * this.bucket;
      const last = merged[merged.length - 1];
      if (last && last.t === bt) mergeInto(last, p.requests, p.failures, p.users, p.pct);
      else merged.push({ ...p, t: bt });
    }
    this.points = merged;
  }

  timeline(keys: string[]): TimelinePoint[] {
    return this.points.map(p => {
      const point: TimelinePoint = { t: p.t, requests: p.requests, failures: p.failures, users: p.users };
      if (p.pct) {
        const percentiles: Record<string, number> = {};
        keys.forEach((k, i) => {
          if (!Number.isNaN((p.pct as Float64Array)[i])) percentiles[k] = (p.pct as Float64Array)[i];
        });
        point.percentiles = percentiles;
      }
      return point;
    });
  }
}

// Counts add up; users and percentiles keep the worst (max) value in the bucket.
function mergeInto(into: RawPoint, requests: number, failures: number, users: number, pct: Float64Array | undefined): void {
  into.requests += requests;
  into.failures += failures;
  into.users = Math.max(into.users, users);
  if (!pct) return;
  if (!into.pct) {
    into.pct = pct.slice();
    return;
  }
  for (let i = 0; i < pct.length; i++) {
    const v = pct[i];
    if (!Number.isNaN(v) && !(into.pct[i] >= v)) into.pct[i] = v;
  }
}

interface History {
  timelines: Map<string, TimelineBuilder>;
  percentileKeys: string[];
  first?: number;
  last?: number;
  rows: number;
  unknownNames: Set<string>;
}

async function readHistory(file: string, known: Set<string>): Promise<History> {
  const history: History = { timelines: new Map(), percentileKeys: [], rows: 0, unknownNames: new Set() };
  let header: CsvHeader | undefined;
  let c = { t: 0, users: 0, type: 0, name: 0, total: 0, totalFail: 0 };
  let pct: { key: string; index: number; column: string }[] = [];
  let scratch = new Float64Array(0);
  await readCsv(file, (fields, line) => {
    if (!header) {
      header = new CsvHeader(file, fields, line);
      const h = header;
      c = {
        t: h.require('Timestamp'),
        users: h.require('User Count'),
        type: h.require('Type'),
        name: h.require('Name'),
        total: h.require('Total Request Count'),
        totalFail: h.require('Total Failure Count'),
      };
      pct = fields.flatMap((column, index) => {
        const key = percentileKey(column);
        return key ? [{ key, index, column }] : [];
      });
      history.percentileKeys = pct.map(p => p.key);
      scratch = new Float64Array(pct.length);
      return;
    }
    if (fields.length !== header.names.length) {
      throw new IngestError(file, `row has ${fields.length} columns, the header has ${header.names.length} (truncated or malformed row)`, { line });
    }
    const t = csvNumber(file, fields[c.t], line, 'Timestamp');
    const users = csvNumber(file, fields[c.users], line, 'User Count');
    const total = csvNumber(file, fields[c.total], line, 'Total Request Count');
    const totalFail = csvNumber(file, fields[c.totalFail], line, 'Total Failure Count');
    const key = seriesKey(fields[c.type], fields[c.name]);
    history.rows++;
    if (!known.has(key)) {
      // Bounded: only names the stats file knows get a timeline.
      if (history.unknownNames.size < 20) history.unknownNames.add(`${fields[c.type]} ${fields[c.name]}`.trim());
      return;
    }
    let any = false; // a non-zero percentile: until its rolling window has data Locust writes 0 for all
    let missing = 0;
    for (let i = 0; i < pct.length; i++) {
      const cell = fields[pct[i].index];
      if (cell === 'N/A') {
        scratch[i] = NaN;
        missing++;
        continue;
      }
      const v = csvNumber(file, cell, line, pct[i].column) / 1000;
      scratch[i] = v;
      if (v !== 0) any = true;
    }
    const percentiles = any && missing < pct.length ? scratch : undefined;
    let builder = history.timelines.get(key);
    if (!builder) history.timelines.set(key, (builder = new TimelineBuilder()));
    builder.add(t, users, total, totalFail, percentiles);
    history.first = history.first === undefined ? t : Math.min(history.first, t);
    history.last = history.last === undefined ? t : Math.max(history.last, t);
  });
  if (!header) throw new IngestError(file, 'file has no header row', { line: 1 });
  return history;
}

async function readFailures(file: string, options?: ParseOptions): Promise<Map<string, { message: string; count: number }[]>> {
  const out = new Map<string, { message: string; count: number }[]>();
  let header: CsvHeader | undefined;
  let c = { method: 0, name: 0, error: 0, count: 0 };
  parseCsvText(file, await readText(file, options), (fields, line) => {
    if (!header) {
      header = new CsvHeader(file, fields, line);
      c = { method: header.require('Method'), name: header.require('Name'), error: header.require('Error'), count: header.require('Occurrences') };
      return;
    }
    if (fields.length !== header.names.length) {
      throw new IngestError(file, `row has ${fields.length} columns, the header has ${header.names.length}`, { line });
    }
    const key = seriesKey(fields[c.method], fields[c.name]);
    const list = out.get(key) ?? [];
    list.push({ message: fields[c.error], count: csvNumber(file, fields[c.count], line, 'Occurrences') });
    out.set(key, list);
  });
  return out;
}

async function readExceptions(file: string, options?: ParseOptions): Promise<string[]> {
  const notes: string[] = [];
  let header: CsvHeader | undefined;
  let c = { count: 0, message: 0 };
  parseCsvText(file, await readText(file, options), (fields, line) => {
    if (!header) {
      header = new CsvHeader(file, fields, line);
      c = { count: header.require('Count'), message: header.require('Message') };
      return;
    }
    if (fields.length !== header.names.length) {
      throw new IngestError(file, `row has ${fields.length} columns, the header has ${header.names.length}`, { line });
    }
    const count = csvNumber(file, fields[c.count], line, 'Count');
    notes.push(`Locust user code raised an exception ${count} time${count === 1 ? '' : 's'}: ${fields[c.message]}`);
  });
  return notes;
}

async function parseLocust(file: string, options?: ParseOptions): Promise<Run> {
  const head = await readHeadLine(file);
  // Header first; a damaged header still parses by name so the error can say what is missing.
  const kind = kindOfHead(head) ?? kindOfName(file);
  if (!kind) throw new IngestError(file, 'not a Locust CSV file (unknown header)', { line: 1 });
  const prefix = prefixOf(file, kind);
  const statsFile = prefix + SUFFIX.stats;
  if (!(await exists(statsFile))) {
    throw new IngestError(file, `the Locust stats file ${path.basename(statsFile)} is missing beside it (needed for the endpoint summaries)`);
  }
  const rows = await readStats(statsFile, options);
  const bySeries = new Map(rows.map(r => [seriesKey(r.type, r.name), r.series]));

  const run: Run = { tool: 'locust', kind: 'load', startedAt: '', source: file, series: rows.map(r => r.series), notes: [] };
  const notes = run.notes as string[];

  const historyFile = prefix + SUFFIX.history;
  if (await exists(historyFile)) {
    const history = await readHistory(historyFile, new Set(bySeries.keys()));
    for (const [key, builder] of history.timelines) {
      const series = bySeries.get(key) as Series;
      series.timeline = builder.timeline(history.percentileKeys);
      (series.notes as string[]).push(HISTORY_NOTE);
      if (builder.bucket > 1) {
        (series.notes as string[]).push(`Timeline merged into ${builder.bucket}-second points (over ${MAX_TIMELINE_POINTS} seconds of history): counts are sums, users and percentiles the maximum in each point.`);
      }
    }
    if (history.first !== undefined && history.last !== undefined) {
      const started = isoOrUndefined(history.first * 1000);
      if (started === undefined) throw new IngestError(historyFile, `first Timestamp ${history.first} is not a date (epoch seconds expected)`, { field: 'Timestamp' });
      run.startedAt = started;
      run.durationSec = history.last - history.first;
    }
    const aggregate = bySeries.get(seriesKey('', AGGREGATED));
    const inHistory = aggregate?.timeline?.reduce((n, p) => n + p.requests, 0);
    if (aggregate?.endpoint && inHistory !== undefined && inHistory < aggregate.endpoint.requests) {
      // Locust flushes the history file every 10 s and (2.12) not at exit: the tail is lost.
      notes.push(`The history covers ${inHistory} of ${aggregate.endpoint.requests} requests: Locust did not write its last seconds (it flushes the history file every 10 s).`);
    }
    if (history.unknownNames.size > 0) {
      notes.push(`History rows for names missing from the stats file were skipped: ${[...history.unknownNames].join(', ')}`);
    }
  } else {
    notes.push('No stats_history CSV beside the stats file (run Locust with --csv-full-history for per-second timelines).');
  }

  const failuresFile = prefix + SUFFIX.failures;
  if (await exists(failuresFile)) {
    const failures = await readFailures(failuresFile, options);
    const all: { message: string; count: number }[] = [];
    for (const [key, errors] of failures) {
      const series = bySeries.get(key);
      if (series?.endpoint) series.endpoint.errors = errors;
      const label = key.replace('\u0000', ' ').trim();
      for (const e of errors) all.push({ message: `${label}: ${e.message}`, count: e.count });
    }
    const aggregate = bySeries.get(seriesKey('', AGGREGATED));
    if (aggregate?.endpoint && all.length > 0) aggregate.endpoint.errors = all;
  }

  const exceptionsFile = prefix + SUFFIX.exceptions;
  if (await exists(exceptionsFile)) notes.push(...(await readExceptions(exceptionsFile, options)));

  if (!run.startedAt) {
    // No history: the stats file's modification time is the end of the run, not its start.
    const st = await fs.stat(statsFile);
    run.startedAt = st.mtime.toISOString();
    notes.push('Start time unknown (no history rows): the stats file\'s modification time is used.');
  }
  if (notes.length === 0) delete run.notes;
  return run;
}

/** The start of a file (its header line), refusing an empty one. */
async function readHeadLine(file: string): Promise<string> {
  const head = await readHead(file, 4096);
  if (head.length === 0) throw new IngestError(file, 'file is empty');
  return head.toString('utf8');
}

export const locustParser: Parser = {
  tool: 'locust',
  format: 'Locust --csv (stats, stats_history, failures, exceptions)',
  detect(head: string): boolean {
    return kindOfHead(head) !== undefined;
  },
  parse: parseLocust,
};
