// k6 --summary-export: end-of-test aggregates, no per-request data and no timestamps.
// Two shapes exist (k6 js/summary-wrapper.js): the legacy one (k6 < 1.0, or
// --summary-mode=legacy) with thresholds inside each metric and rates as `value`, and
// the k6 1.x one with a top-level `thresholds` map and rates as `rate`. In both,
// `metrics` maps a metric name (with `{tag:value}` for submetrics) to flat values.
// Built-in time trends are milliseconds; seconds here.
import { promises as fs } from 'fs';
import type { EndpointStats, Run, Series, Summary } from '../model';
import { readJsonNode, type JsonNode } from './json';
import type { ParseOptions, Parser } from './types';

// Built-in trends whose values are times in ms. A custom Trend may or may not be a
// time: the export does not say (the legacy shape drops `contains`), so we keep its
// values as written.
const TIME_TRENDS = /^(http_req_(duration|blocked|connecting|tls_handshaking|sending|waiting|receiving)|iteration_duration|group_duration|ws_connecting|ws_session_duration|grpc_req_duration|browser_[a-z_]+)(\{.*\})?$/;

/** "p(95)" → "p95", "p(99.9)" → "p99.9". */
function percentileKey(key: string): string | undefined {
  const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(key);
  return m ? `p${m[1]}` : undefined;
}

function isTrend(values: Record<string, unknown>): boolean {
  return 'avg' in values || 'med' in values || Object.keys(values).some(k => percentileKey(k) !== undefined);
}

function trendSummary(node: JsonNode, divisor: number): Summary {
  const get = (k: string) => {
    const v = node.get(k).optNumber();
    return v === undefined ? undefined : v / divisor;
  };
  const summary: Summary = {};
  const mean = get('avg');
  const median = get('med');
  const min = get('min');
  const max = get('max');
  if (mean !== undefined) summary.mean = mean;
  if (median !== undefined) summary.median = median;
  if (min !== undefined) summary.min = min;
  if (max !== undefined) summary.max = max;
  const count = node.get('count').optNumber(); // present with --summary-trend-stats including count
  if (count !== undefined) summary.n = count;
  const percentiles: Record<string, number> = {};
  for (const key of Object.keys(node.object())) {
    const p = percentileKey(key);
    if (p) percentiles[p] = node.get(key).number() / divisor;
  }
  if (Object.keys(percentiles).length > 0) summary.percentiles = percentiles;
  return summary;
}

/** Threshold verdicts as notes; `failed` is true when the threshold was crossed. */
function thresholdNotes(node: JsonNode | undefined): string[] {
  if (!node) return [];
  return Object.keys(node.object()).map(expr => `k6 threshold ${expr}: ${node.get(expr).boolean() ? 'FAILED' : 'passed'}`);
}

/** Members of a map or an array (the legacy shape uses maps, k6's own data arrays). */
function children(node: JsonNode): JsonNode[] {
  if (node.value == null) return [];
  if (Array.isArray(node.value)) return node.array();
  return Object.keys(node.object()).map(k => node.get(k));
}

/** Check results of a group tree, as "path: passes, fails" notes. */
function checkNotes(group: JsonNode, out: string[]): void {
  for (const c of children(group.get('checks'))) {
    const passes = c.get('passes').number();
    const fails = c.get('fails').number();
    const label = c.get('path').optString() ?? c.get('name').string();
    out.push(`k6 check ${label}: ${passes} passed, ${fails} failed`);
  }
  for (const g of children(group.get('groups'))) checkNotes(g, out);
}

async function parseK6(file: string, options?: ParseOptions): Promise<Run> {
  const root = await readJsonNode(file, options);
  const metrics = root.get('metrics');
  const topThresholds = root.get('thresholds').optObject();
  const series: Series[] = [];
  const num = (metric: string, key: string) => (metrics.has(metric) ? metrics.get(metric).get(key).optNumber() : undefined);

  for (const name of Object.keys(metrics.object())) {
    const node = metrics.get(name);
    const values = node.object();
    const notes = [...thresholdNotes(node.get('thresholds').optObject()), ...thresholdNotes(topThresholds?.get(name).optObject())];
    if (isTrend(values)) {
      const isTime = TIME_TRENDS.test(name);
      const s: Series = {
        id: name,
        group: name.replace(/\{.*\}$/, ''),
        metric: isTime ? 'duration' : 'count',
        unit: isTime ? 's' : 'count',
        summary: trendSummary(node, isTime ? 1000 : 1),
      };
      if (!isTime) notes.push('custom k6 trend: the summary export does not say whether it holds times, so values are kept as written');
      if (notes.length > 0) s.notes = notes;
      series.push(s);
    } else if ('passes' in values && 'fails' in values) {
      // Rate metric: passes are the non-zero values (for http_req_failed: failed requests).
      const passes = node.get('passes').number();
      const fails = node.get('fails').number();
      const ratio = node.get('value').optNumber() ?? node.get('rate').optNumber() ?? (passes + fails > 0 ? passes / (passes + fails) : 0);
      // `checks` counts passing checks: its error rate is the failing share.
      const errorRatio = name === 'checks' ? (passes + fails > 0 ? fails / (passes + fails) : 0) : ratio;
      const s: Series = {
        id: name,
        metric: 'errorRate',
        unit: 'ratio',
        summary: { n: passes + fails, mean: errorRatio },
        extra: { passes, fails },
      };
      if (name === 'checks') notes.push('error rate = share of failed checks');
      if (notes.length > 0) s.notes = notes;
      series.push(s);
    } else if (notes.length > 0) {
      // Counters and gauges are folded into the request series below; keep their verdicts.
      series.push({ id: name, metric: 'count', unit: 'count', summary: { mean: node.get('count').optNumber() ?? node.get('value').optNumber() }, notes });
    }
  }

  // Request-level facts onto http_req_duration, the series users compare.
  const duration = series.find(s => s.id === 'http_req_duration');
  if (duration) {
    const requests = num('http_reqs', 'count');
    if (requests !== undefined) {
      const endpoint: EndpointStats = { route: 'all requests', requests, failures: num('http_req_failed', 'passes') ?? 0 };
      const rps = num('http_reqs', 'rate');
      if (rps !== undefined) endpoint.rps = rps;
      duration.endpoint = endpoint;
      duration.summary.n ??= requests;
    }
    const extra: Record<string, number> = {};
    for (const [metric, key, label] of [
      ['iterations', 'count', 'iterations'],
      ['vus_max', 'value', 'vusMax'],
      ['vus', 'max', 'vusPeak'],
      ['data_received', 'count', 'dataReceivedBytes'],
      ['data_sent', 'count', 'dataSentBytes'],
    ] as const) {
      const v = num(metric, key);
      if (v !== undefined) extra[label] = v;
    }
    if (Object.keys(extra).length > 0) duration.extra = extra;
  }

  const runNotes: string[] = [];
  const group = root.get('root_group').optObject();
  if (group) checkNotes(group, runNotes);
  // The export carries no timestamps; k6 1.x keeps none either once `state` is dropped.
  const st = await fs.stat(file);
  runNotes.push('k6 --summary-export has no start time: the file modification time (end of the run) is used.');
  return { tool: 'k6', kind: 'load', startedAt: st.mtime.toISOString(), source: file, series, notes: runNotes };
}

export const k6Parser: Parser = {
  tool: 'k6',
  format: 'k6 --summary-export',
  detect(head: string): boolean {
    const h = head.trimStart();
    return h.startsWith('{') && /"root_group"\s*:/.test(h) && (/"metrics"\s*:/.test(h) || /"http_req_duration"/.test(h));
  },
  parse: parseK6,
};
