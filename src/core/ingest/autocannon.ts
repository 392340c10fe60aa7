// autocannon --json: one run against one URL. Latencies are milliseconds in the file
// (recorded as whole ms by autocannon's histogram), seconds here. autocannon reports
// p90 and p97.5 but no p95: we do not invent one.
import type { Run, Series } from '../model';
import { readJsonNode, type JsonNode } from './json';
import type { ParseOptions, Parser } from './types';

/** "p97_5" → "p97.5", "p0_001" → "p0.001". */
function percentileKey(key: string): string | undefined {
  const m = /^p(\d+)(?:_(\d+))?$/.exec(key);
  if (!m) return undefined;
  return m[2] ? `p${m[1]}.${m[2]}` : `p${m[1]}`;
}

function percentiles(node: JsonNode, divisor: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(node.object())) {
    const p = percentileKey(key);
    if (p) out[p] = node.get(key).number() / divisor;
  }
  return out;
}

/** An ISO timestamp from a date string field; a clear error when it is not a date. */
export function isoDate(node: JsonNode): string {
  const d = new Date(node.string());
  if (Number.isNaN(d.getTime())) node.fail(`expected a date, got ${JSON.stringify(node.value)}`);
  return d.toISOString();
}

function routeOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

async function parseAutocannon(file: string, options?: ParseOptions): Promise<Run> {
  const root = await readJsonNode(file, options);
  const url = root.get('url').string();
  const route = routeOf(url);
  const latency = root.get('latency');
  const requests = root.get('requests');
  const throughput = root.get('throughput');

  const errors = root.get('errors').number();
  const timeouts = root.get('timeouts').number();
  const non2xx = root.get('non2xx').number();
  const total = requests.get('total').number();

  // Failure kinds with counts: non-2xx by status code, then connection errors.
  const errorList: { message: string; count: number }[] = [];
  const codes = root.get('statusCodeStats').optObject();
  if (codes) {
    for (const code of Object.keys(codes.object())) {
      if (/^2\d\d$/.test(code)) continue;
      errorList.push({ message: `HTTP ${code}`, count: codes.get(code).get('count').number() });
    }
  }
  if (timeouts > 0) errorList.push({ message: 'timeout', count: timeouts });
  if (errors - timeouts > 0) errorList.push({ message: 'connection error', count: errors - timeouts });

  const extra: Record<string, number | string> = {
    url,
    connections: root.get('connections').number(),
    errors,
    timeouts,
    non2xx,
    throughputBytesPerSec: throughput.get('mean').number(),
    bytesTotal: throughput.get('total').number(),
  };
  for (const k of ['pipelining', 'workers', 'mismatches', 'resets', '1xx', '2xx', '3xx', '4xx', '5xx']) {
    const v = root.get(k).optNumber();
    if (v !== undefined) extra[k] = v;
  }
  const sent = requests.get('sent').optNumber();
  if (sent !== undefined) extra.requestsSent = sent;

  const latencySeries: Series = {
    id: route,
    name: url,
    metric: 'duration',
    unit: 's',
    summary: {
      n: latency.get('totalCount').optNumber() ?? total,
      mean: latency.get('mean').number() / 1000,
      stddev: latency.get('stddev').number() / 1000,
      min: latency.get('min').number() / 1000,
      max: latency.get('max').number() / 1000,
      median: latency.get('p50').number() / 1000,
      percentiles: percentiles(latency, 1000),
    },
    endpoint: {
      route,
      requests: total,
      // Responses with a non-2xx status plus requests that got no response at all.
      failures: non2xx + errors,
      rps: requests.get('mean').number(),
    },
    notes: [
      'autocannon records latencies in whole milliseconds: sub-millisecond differences are invisible.',
      'autocannon reports p90 and p97.5 but no p95; none is interpolated here.',
    ],
    extra,
  };
  if (errorList.length > 0 && latencySeries.endpoint) latencySeries.endpoint.errors = errorList;

  // Requests per second, one value per sampling interval (sampleInt, usually 1 s).
  const rateSeries: Series = {
    id: `${route} requests/s`,
    name: `${url} requests/s`,
    metric: 'throughput',
    unit: '1/s',
    summary: {
      n: root.get('samples').optNumber(),
      mean: requests.get('mean').number(),
      stddev: requests.get('stddev').number(),
      min: requests.get('min').number(),
      max: requests.get('max').number(),
      median: requests.get('p50').number(),
      percentiles: percentiles(requests, 1),
    },
    notes: [`Per-interval request counts (interval ${root.get('sampleInt').optNumber() ?? 1000} ms), as autocannon samples them.`],
  };
  if (rateSeries.summary.n === undefined) delete rateSeries.summary.n;

  return {
    tool: 'autocannon',
    kind: 'load',
    startedAt: isoDate(root.get('start')),
    durationSec: root.get('duration').number(),
    source: file,
    series: [latencySeries, rateSeries],
  };
}

export const autocannonParser: Parser = {
  tool: 'autocannon',
  format: 'autocannon --json',
  detect(head: string): boolean {
    const h = head.trimStart();
    return h.startsWith('{') && /"latency"\s*:\s*\{/.test(h) && /"throughput"\s*:/.test(h) && /"non2xx"\s*:/.test(h);
  },
  parse: parseAutocannon,
};
