// The `metrics` setting of a load or memory suite in perf-lens.config.json:
//   "metrics": { "url": "http://127.0.0.1:8000/metrics", "intervalMs": 1000,
//                "alerts": { "responseTimeSec": 1, "errorRate": 0.05, "memoryMB": 1000, "cpuPercent": 80, "forScrapes": 2 } }
// A bare string is the URL. Validated here so projectConfig stays one call.
import type { JsonNode } from '../ingest/json';
import { DEFAULT_ALERT_RULES, type AlertRules } from './alerts';

export interface MetricsConfig {
  url: string;
  /** Scrape interval (default 1000 ms). */
  intervalMs: number;
  /** Request-duration histogram family, when not one of the usual names. */
  histogram?: string;
  alerts: AlertRules;
}

export const DEFAULT_SCRAPE_INTERVAL_MS = 1000;
const KEYS = ['url', 'intervalMs', 'histogram', 'alerts'];
const ALERT_KEYS = Object.keys(DEFAULT_ALERT_RULES) as (keyof AlertRules)[];
const QUANTILES: readonly AlertRules['responseTimeQuantile'][] = ['p50', 'p95', 'p99', 'mean'];

function known(node: JsonNode, keys: readonly string[]): void {
  for (const k of Object.keys(node.object())) if (!keys.includes(k)) node.get(k).fail(`unknown setting (known: ${keys.join(', ')})`);
}

/** Parses `metrics` (undefined when absent). Errors name the field via JsonNode. */
export function parseMetricsConfig(node: JsonNode): MetricsConfig | undefined {
  if (node.missing) return undefined;
  const obj = typeof node.value === 'string' ? undefined : node.optObject();
  const urlNode = obj ? obj.get('url') : node;
  const url = urlNode.string();
  if (!/^https?:\/\/[^/]/.test(url)) urlNode.fail(`"${url}" is not an http(s) URL`);
  const cfg: MetricsConfig = { url, intervalMs: DEFAULT_SCRAPE_INTERVAL_MS, alerts: { ...DEFAULT_ALERT_RULES } };
  if (!obj) return cfg;
  known(obj, KEYS);
  const interval = obj.get('intervalMs').optNumber();
  if (interval !== undefined && !(interval >= 50)) obj.get('intervalMs').fail(`expected at least 50 (ms), got ${interval}`);
  cfg.intervalMs = interval ?? DEFAULT_SCRAPE_INTERVAL_MS;
  cfg.histogram = obj.get('histogram').optString();
  const alerts = obj.get('alerts').optObject();
  if (alerts) {
    known(alerts, ALERT_KEYS);
    for (const k of ALERT_KEYS) {
      const n = alerts.get(k);
      if (n.missing) continue;
      if (k === 'responseTimeQuantile') {
        const q = n.string() as AlertRules['responseTimeQuantile'];
        if (!QUANTILES.includes(q)) n.fail(`"${q}" is not one of ${QUANTILES.join(', ')}`);
        cfg.alerts.responseTimeQuantile = q;
        continue;
      }
      const v = n.number();
      if (!(v >= 0) || ((k === 'forScrapes' || k === 'minRequests') && !Number.isInteger(v))) n.fail(`expected a ${k === 'forScrapes' || k === 'minRequests' ? 'whole' : 'non-negative'} number, got ${v}`);
      if (k === 'forScrapes' && v < 1) n.fail('expected at least 1');
      cfg.alerts[k] = v;
    }
  }
  return cfg;
}

/** Engine arguments carrying a suite's metrics setting (see src/engines/metrics/scraper.ts). */
export function metricsArgs(m: MetricsConfig | undefined): string[] {
  if (!m) return [];
  const args = ['--metrics', m.url, '--metrics-interval', String(m.intervalMs)];
  const changed = Object.fromEntries(ALERT_KEYS.filter(k => m.alerts[k] !== DEFAULT_ALERT_RULES[k]).map(k => [k, m.alerts[k]]));
  if (Object.keys(changed).length) args.push('--metrics-alerts', JSON.stringify(changed));
  if (m.histogram) args.push('--metrics-histogram', m.histogram);
  return args;
}
