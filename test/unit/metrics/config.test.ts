import * as assert from 'assert';
import { parseProjectConfig, type LoadSuite, type MemorySuite } from '../../../src/core/config/projectConfig';
import { engineInvocation } from '../../../src/core/config/suiteCommand';
import { DEFAULT_ALERT_RULES } from '../../../src/core/metrics/alerts';
import { metricsArgs } from '../../../src/core/metrics/config';

const load = (metrics: unknown) => parseProjectConfig('/w/perf-lens.config.json', { suites: { api: { kind: 'load', engine: 'builtin', scenario: 's.json', metrics } } });

describe('metrics/config: the suite "metrics" setting', () => {
  it('a URL string, or an object with interval and alert rules over the seed defaults', () => {
    const a = load('http://127.0.0.1:8000/metrics').suites[0] as LoadSuite;
    assert.deepStrictEqual(a.metrics, { url: 'http://127.0.0.1:8000/metrics', intervalMs: 1000, alerts: DEFAULT_ALERT_RULES });
    const b = load({ url: 'http://localhost:9/metrics', intervalMs: 250, alerts: { responseTimeSec: 0.5, forScrapes: 3, responseTimeQuantile: 'p99' } }).suites[0] as LoadSuite;
    assert.strictEqual(b.metrics?.intervalMs, 250);
    assert.deepStrictEqual(b.metrics?.alerts, { ...DEFAULT_ALERT_RULES, responseTimeSec: 0.5, forScrapes: 3, responseTimeQuantile: 'p99' });
    assert.deepStrictEqual(metricsArgs(b.metrics), [
      '--metrics', 'http://localhost:9/metrics', '--metrics-interval', '250',
      '--metrics-alerts', JSON.stringify({ responseTimeSec: 0.5, responseTimeQuantile: 'p99', forScrapes: 3 }),
    ]);
    const m = parseProjectConfig('/w/c.json', { suites: { mem: { kind: 'memory', command: 'node s.js', metrics: 'http://127.0.0.1:1/metrics' } } }).suites[0] as MemorySuite;
    assert.strictEqual(m.metrics?.url, 'http://127.0.0.1:1/metrics');
  });

  it('bad settings name the field', () => {
    assert.throws(() => load('ftp://x'), /"ftp:\/\/x" is not an http\(s\) URL \(field suites\.api\.metrics\)/);
    assert.throws(() => load({ url: 'http://a/m', intervalMs: 5 }), /at least 50 \(ms\), got 5 \(field suites\.api\.metrics\.intervalMs\)/);
    assert.throws(() => load({ url: 'http://a/m', alerts: { latency: 1 } }), /unknown setting .*\(field suites\.api\.metrics\.alerts\.latency\)/);
    assert.throws(() => load({ url: 'http://a/m', alerts: { forScrapes: 0 } }), /suites\.api\.metrics\.alerts\.forScrapes/);
    assert.throws(() => load({ url: 'http://a/m', alerts: { responseTimeQuantile: 'p90' } }), /"p90" is not one of/);
  });
});

describe('metrics/config: engine invocation', () => {
  it('load and memory suites pass their metrics setting to the engine; a memory suite falls back to its load suite', () => {
    const cfg = parseProjectConfig('/w/c.json', {
      suites: {
        api: { kind: 'load', engine: 'builtin', scenario: 's.json', metrics: { url: 'http://127.0.0.1:8000/metrics', intervalMs: 500 } },
        mem: { kind: 'memory', command: 'node s.js', load: 'api' },
        plain: { kind: 'load', engine: 'builtin', scenario: 's.json' },
      },
    });
    const args = (name: string) => engineInvocation(cfg.suites.find(s => s.name === name)!, cfg)!.args;
    assert.deepStrictEqual(args('api').slice(-4), ['--metrics', 'http://127.0.0.1:8000/metrics', '--metrics-interval', '500']);
    const mem = args('mem');
    assert.deepStrictEqual(mem.slice(mem.indexOf('--metrics'), mem.indexOf('--metrics') + 2), ['--metrics', 'http://127.0.0.1:8000/metrics']);
    assert.ok(mem.indexOf('--metrics') < mem.indexOf('--'), 'engine options before the command');
    assert.ok(!args('plain').includes('--metrics'));
  });
});
