import * as assert from 'assert';
import { AlertEvaluator, DEFAULT_ALERT_RULES, findingNote } from '../../../src/core/metrics/alerts';
import type { MetricsPoint } from '../../../src/core/metrics/derive';

function point(t: number, o: { p95?: number; errorRate?: number; rss?: number; cpu?: number; requests?: number } = {}): MetricsPoint {
  const requests = o.requests ?? 100;
  return {
    t,
    dtSec: 1,
    requests,
    failures: Math.round(requests * (o.errorRate ?? 0)),
    rps: requests,
    errorRate: o.errorRate ?? 0,
    rssBytes: o.rss ?? 50e6,
    cpuPercent: o.cpu ?? 10,
    routes: [{ id: 'GET /api/slow/{id}', method: 'GET', route: '/api/slow/{id}', rps: requests, percentiles: { p50: 0.01, p95: o.p95 ?? 0.02, p99: 0.03 } }],
  };
}

describe('metrics/alerts', () => {
  it('the seed defaults', () => {
    assert.strictEqual(DEFAULT_ALERT_RULES.responseTimeSec, 1);
    assert.strictEqual(DEFAULT_ALERT_RULES.errorRate, 0.05);
    assert.strictEqual(DEFAULT_ALERT_RULES.memoryMB, 1000);
    assert.strictEqual(DEFAULT_ALERT_RULES.cpuPercent, 80);
  });

  it('one spike does not fire; N consecutive breaches fire once, a clean scrape resolves', () => {
    const ev = new AlertEvaluator({ ...DEFAULT_ALERT_RULES, forScrapes: 2 });
    assert.deepStrictEqual(ev.check(point(1, { p95: 1.5 })), []);
    assert.deepStrictEqual(ev.check(point(2)), []);
    assert.deepStrictEqual(ev.check(point(3, { p95: 1.2 })), []);
    const fired = ev.check(point(4, { p95: 1.8 }));
    assert.strictEqual(fired.length, 1);
    assert.strictEqual(fired[0].state, 'firing');
    assert.strictEqual(fired[0].rule, 'responseTime');
    assert.strictEqual(fired[0].route, 'GET /api/slow/{id}');
    assert.strictEqual(fired[0].threshold, 1);
    assert.deepStrictEqual(ev.check(point(5, { p95: 1.1 })), []); // still firing: no repeat
    const resolved = ev.check(point(6));
    assert.deepStrictEqual(resolved.map(e => e.state), ['resolved']);
    const [f] = ev.findings();
    assert.deepStrictEqual([f.from, f.to, f.scrapes, f.peak], [3, 5, 3, 1.8]);
    assert.match(findingNote(f, 0), /^alert responseTime: GET \/api\/slow\/\{id\}: server p95 1\.80 s > 1\.00 s .*3 consecutive scrape\(s\) at 3\.0–5\.0 s/);
  });

  it('error rate, memory and CPU rules; thresholds configurable; quiet intervals do not judge', () => {
    const ev = new AlertEvaluator({ ...DEFAULT_ALERT_RULES, forScrapes: 1, memoryMB: 100, cpuPercent: 50, minRequests: 10 });
    const rules = (p: MetricsPoint) => ev.check(p).map(e => `${e.state} ${e.rule}`).sort();
    assert.deepStrictEqual(rules(point(1, { errorRate: 0.2, rss: 150e6, cpu: 90 })), ['firing cpu', 'firing errorRate', 'firing memory']);
    assert.deepStrictEqual(rules(point(2, { errorRate: 0.2, rss: 150e6, cpu: 90 })), []);
    // 5 requests < minRequests: the error rate is not judged, its episode goes on; then a clean interval ends it.
    assert.deepStrictEqual(rules(point(3, { errorRate: 1, requests: 5, rss: 150e6, cpu: 90 })), []);
    assert.deepStrictEqual(rules(point(4, { errorRate: 0, rss: 150e6, cpu: 90 })), ['resolved errorRate']);
    assert.strictEqual(ev.findings().length, 3, 'open episodes are findings too');
    assert.deepStrictEqual(ev.findings().find(f => f.rule === 'errorRate')?.scrapes, 2);
  });
});
