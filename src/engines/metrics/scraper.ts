// Scrapes a service's Prometheus endpoint while an engine runs: every interval one GET (never
// two at once), parsed and fed to a MetricsSession, which turns it into `metrics` and `alert`
// progress events and, at the end, a Run. A scrape that fails (refused, timeout, HTTP error,
// bad text, too big) is counted and reported as a `metrics-error` event; it never stops the run.
import { request } from 'undici';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../../core/metrics/alerts';
import { parseExposition } from '../../core/metrics/parse';
import { MetricsSession } from '../../core/metrics/session';
export { serverRunFile } from '../../core/metrics/session';
import type { Run, SuiteKind } from '../../core/model';
import { UsageError, type ParsedArgs } from '../args';
import { isLoopback } from '../load/guard';

export interface ScraperOptions {
  url: string;
  intervalMs: number;
  /** Per scrape (default: the interval, at most 5 s). */
  timeoutMs?: number;
  rules?: AlertRules;
  histogram?: string;
  /** Progress sink: `metrics`, `alert` and `metrics-error` events. */
  onEvent: (json: object) => void;
}

/** Larger expositions are refused (a misconfigured URL serving a big file, say). */
const MAX_BYTES = 16 * 1024 * 1024;

export class Scraper {
  readonly session: MetricsSession;
  readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private finalScrape = false;
  private readonly ctl = new AbortController();

  constructor(private readonly opts: ScraperOptions) {
    this.session = new MetricsSession({ rules: opts.rules, histogram: opts.histogram });
  }

  /** First scrape now (the baseline of the first interval), then one per interval. */
  start(): this {
    const tick = () => {
      if (this.stopped) return;
      // A scrape still running when the next is due: skip this one rather than pile up.
      if (!this.inFlight) this.inFlight = this.scrapeOnce().finally(() => (this.inFlight = undefined));
      this.timer = setTimeout(tick, this.opts.intervalMs);
    };
    tick();
    return this;
  }

  private async scrapeOnce(): Promise<void> {
    const timeout = this.opts.timeoutMs ?? Math.min(5000, Math.max(200, this.opts.intervalMs));
    let text: string;
    try {
      const res = await request(this.opts.url, {
        method: 'GET',
        headers: { accept: 'text/plain;version=0.0.4' },
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: this.ctl.signal,
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        return this.fail(`HTTP ${res.statusCode}`);
      }
      const declared = Number(res.headers['content-length']);
      if (declared > MAX_BYTES) {
        await res.body.dump();
        return this.fail(`exposition of ${declared} bytes is over ${MAX_BYTES}`);
      }
      text = await res.body.text();
    } catch (e) {
      if (this.stopped) return;
      const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
      return this.fail(err.cause?.code ?? err.code ?? err.message);
    }
    const t = Date.now() / 1000;
    try {
      const { point, alerts } = this.session.add({ t, expo: parseExposition(text, this.opts.url) });
      if (point) this.opts.onEvent({ type: 'metrics', ...point });
      for (const a of alerts) this.opts.onEvent(a);
    } catch (e) {
      this.fail((e as Error).message);
    }
  }

  private fail(reason: string): void {
    // Before the first answer the service may still be starting (memory runs launch it), and the
    // last scrape is best effort (a memory run has already stopped the service): not failures.
    if ((this.session.scrapes === 0 && !this.stopped) || this.finalScrape) return;
    this.session.failed(reason);
    this.opts.onEvent({ type: 'metrics-error', t: Date.now() / 1000, message: reason, failures: this.session.failures });
  }

  /** Stops scraping after one last scrape (so the end of the run is measured), waiting at most one timeout. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
    this.finalScrape = true;
    await this.scrapeOnce();
    this.stopped = true;
    this.ctl.abort();
  }

  toRun(meta: { suite?: string; kind: SuiteKind }): Run | undefined {
    return this.session.toRun({ ...meta, startedAt: this.startedAt, source: this.opts.url, intervalMs: this.opts.intervalMs });
  }
}

export const METRICS_ARGS = ['--metrics', '--metrics-interval', '--metrics-alerts', '--metrics-histogram'];

export const METRICS_USAGE = `  --metrics URL       scrape this Prometheus endpoint during the run (server rates, latency per route,
                      memory, CPU, alerts); the server run goes to OUT.server.json
  --metrics-interval MS  scrape interval (default 1000)
  --metrics-alerts JSON  alert rules over the defaults, e.g. '{"responseTimeSec":0.5,"forScrapes":3}'
  --metrics-histogram NAME  request-duration histogram family (default: the usual names)`;

/** Scraper options from engine arguments; undefined without --metrics. Hosts: loopback or `allowHosts`. */
export function scraperOptionsFromArgs(args: ParsedArgs, allowHosts: readonly string[] = []): Omit<ScraperOptions, 'onEvent'> | undefined {
  const url = args.values.get('--metrics');
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--metrics: expected an http:// URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--metrics: expected http or https, got "${parsed.protocol}"`);
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (!isLoopback(host) && !allowHosts.includes(host)) throw new UsageError(`--metrics: ${parsed.origin} is not a loopback address (nor the load target's host)`);
  const interval = Number(args.values.get('--metrics-interval') ?? 1000);
  if (!(interval >= 50)) throw new UsageError(`--metrics-interval expects a number >= 50, got "${args.values.get('--metrics-interval')}"`);
  let rules = DEFAULT_ALERT_RULES;
  const alerts = args.values.get('--metrics-alerts');
  if (alerts !== undefined) {
    let over: unknown;
    try {
      over = JSON.parse(alerts);
    } catch {
      throw new UsageError(`--metrics-alerts: not JSON: ${alerts}`);
    }
    if (!over || typeof over !== 'object' || Array.isArray(over)) throw new UsageError('--metrics-alerts: expected a JSON object');
    for (const [k, v] of Object.entries(over)) {
      if (!(k in DEFAULT_ALERT_RULES)) throw new UsageError(`--metrics-alerts: unknown rule "${k}" (known: ${Object.keys(DEFAULT_ALERT_RULES).join(', ')})`);
      if (typeof v !== typeof DEFAULT_ALERT_RULES[k as keyof AlertRules]) throw new UsageError(`--metrics-alerts: "${k}" has the wrong type`);
    }
    rules = { ...DEFAULT_ALERT_RULES, ...(over as Partial<AlertRules>) };
  }
  return { url, intervalMs: interval, rules, histogram: args.values.get('--metrics-histogram') };
}
