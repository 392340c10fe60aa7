import * as assert from 'assert';
import { counterIncrease, deriveInterval, histogramQuantile, histograms, normalizeRoute, routeKey } from '../../../src/core/metrics/derive';
import { CLIENTS, expo, sumOf } from './fixtures';

const close = (a: number | undefined, b: number, eps = 1e-9) => assert.ok(a !== undefined && Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

describe('metrics/derive', () => {
  describe('histogramQuantile (as PromQL histogram_quantile)', () => {
    const b = [
      { le: 0.1, count: 10 },
      { le: 0.5, count: 60 },
      { le: 1, count: 90 },
      { le: Infinity, count: 100 },
    ];
    it('interpolates linearly inside the bucket the rank falls in', () => {
      close(histogramQuantile(0.5, b), 0.1 + 0.4 * (40 / 50)); // rank 50: 40 of 50 into (0.1, 0.5]
      close(histogramQuantile(0.05, b), 0.05); // first bucket starts at 0
      close(histogramQuantile(0.9, b), 1);
    });
    it('answers the highest finite bound for a rank in +Inf, nothing without observations or +Inf', () => {
      close(histogramQuantile(0.99, b), 1);
      assert.strictEqual(histogramQuantile(0.5, [{ le: 1, count: 0 }, { le: Infinity, count: 0 }]), undefined);
      assert.strictEqual(histogramQuantile(0.5, [{ le: 1, count: 3 }]), undefined);
    });
  });

  it('counters: increase, and a decrease is a restart', () => {
    assert.strictEqual(counterIncrease(10, 25), 15);
    assert.strictEqual(counterIncrease(25, 4), 4);
    assert.strictEqual(counterIncrease(undefined, 7), 7);
  });

  it('maps framework route labels to our series ids', () => {
    assert.strictEqual(normalizeRoute('/api/items/:id'), '/api/items/{id}');
    assert.strictEqual(normalizeRoute('/u/<int:user_id>/x'), '/u/{user_id}/x');
    assert.strictEqual(normalizeRoute('/v/{vid:int}'), '/v/{vid}');
    assert.deepStrictEqual(routeKey({ method: 'get', route: '/api/items/:id' }), { id: 'GET /api/items/{id}', method: 'GET', route: '/api/items/{id}' });
    assert.deepStrictEqual(routeKey({ handler: '/h' }), { id: '/h', method: undefined, route: '/h' });
  });

  for (const client of CLIENTS) {
    describe(`between two real ${client} scrapes`, () => {
      const a = expo(client, 'scrape-1.txt');
      const b = expo(client, 'scrape-2.txt');
      const { point, deltas } = deriveInterval({ t: 100, expo: a }, { t: 102, expo: b });

      it('request and 5xx counts agree with the separate http_requests_total counter', () => {
        const total = sumOf(b, 'http_requests_total') - sumOf(a, 'http_requests_total');
        const errors = sumOf(b, 'http_requests_total', l => l.status_code.startsWith('5')) - sumOf(a, 'http_requests_total', l => l.status_code.startsWith('5'));
        assert.ok(total > 0 && errors > 0);
        assert.strictEqual(point.requests, total);
        assert.strictEqual(point.failures, errors);
        close(point.rps, total / 2);
        close(point.errorRate, errors / total);
      });

      it('per-route series only for route templates, ids in our form', () => {
        const ids = deltas.map(d => d.id).sort();
        const param = client === 'node' ? '{id}' : '{item_id}';
        assert.deepStrictEqual(ids, ['GET /api/items', `GET /api/items/${param}`, `GET /api/slow/${param}`, 'POST /api/orders']);
        const orders = point.routes.find(r => r.id === 'POST /api/orders')!;
        assert.ok(orders.errorRate! > 0);
      });

      it('the slow route (30 ms handler delay) lands in the 25–50 ms bucket; fast ones below 5 ms', () => {
        const slow = point.routes.find(r => r.id.startsWith('GET /api/slow'))!;
        assert.ok(slow.percentiles.p50 > 0.025 && slow.percentiles.p50 <= 0.05, String(slow.percentiles.p50));
        assert.ok(slow.mean! >= 0.03, String(slow.mean));
        const items = point.routes.find(r => r.id === 'GET /api/items')!;
        assert.ok(items.percentiles.p99 <= 0.005);
      });

      it('memory is the resident set gauge, CPU the rate of process_cpu_seconds_total', () => {
        assert.strictEqual(point.rssBytes, sumOf(b, 'process_resident_memory_bytes'));
        close(point.cpuPercent, (100 * (sumOf(b, 'process_cpu_seconds_total') - sumOf(a, 'process_cpu_seconds_total'))) / 2, 1e-6);
      });

      it('after a restart the new counts are the increase (reset handled)', () => {
        const c = expo(client, 'after-restart.txt');
        const r = deriveInterval({ t: 102, expo: b }, { t: 104, expo: c });
        assert.strictEqual(r.point.requests, sumOf(c, 'http_requests_total'));
        assert.ok(r.point.cpuPercent! >= 0);
        const h = histograms(c, 'http_request_duration_seconds');
        assert.strictEqual(r.deltas.reduce((s, d) => s + d.requests, 0), h.filter(x => x.labels.route.startsWith('/')).reduce((s, x) => s + x.count, 0));
      });
    });
  }
});
