import * as assert from 'assert';
import { checkBudgets, globToRegExp, matchesId, parseBudgets } from '../../src/core/budget';
import type { Series } from '../../src/core/model';

const MB = 1024 * 1024;

describe('budget', () => {
  describe('glob matcher', () => {
    const cases: [string, string, boolean][] = [
      ['GET /api/videos', 'GET /api/videos', true],
      ['GET /api/*', 'GET /api/videos', true],
      ['GET /api/*', 'GET /api/videos/{id}', false], // * stops at '/'
      ['GET /api/**', 'GET /api/videos/{id}', true],
      ['tests/**/test_*.py::*', 'tests/perf/api/test_api.py::test_video_list', true],
      ['tests/**/test_*.py::*', 'tests/test_api.py::test_video_list', true], // ** may match no folder
      ['**/test_api.py::*', 'test_api.py::test_list', true],
      ['Benchmark?arse', 'BenchmarkParse', true],
      ['Benchmark?arse', 'Benchmark/arse', false],
      ['a.b', 'axb', false], // '.' is literal
      ['GET /api/videos/{id}', 'GET /api/videos/{id}', true], // braces literal
      ['x*', 'y', false],
      ['*', '', true],
    ];
    for (const [pattern, id, expected] of cases) {
      it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(id)}`, () => {
        assert.strictEqual(matchesId(pattern, id), expected);
      });
    }
    it('anchors the whole id', () => {
      assert.strictEqual(globToRegExp('api').test('my api call'), false);
    });
  });

  // The seed's API_PERFORMANCE_TARGETS and memory targets, as budgets.
  const endpoint: Series = {
    id: 'GET /api/videos',
    metric: 'duration',
    unit: 's',
    summary: { median: 0.08, mean: 0.09, percentiles: { p95: 0.231, p99: 0.4 } },
    endpoint: { method: 'GET', route: '/api/videos', requests: 1000, failures: 5, rps: 120 },
  };
  const mem: Series = {
    id: 'memory/worker',
    metric: 'memory',
    unit: 'bytes',
    summary: {},
    memory: [
      { t: 0, rss: 300 * MB },
      { t: 1, rss: 620 * MB },
      { t: 2, rss: 400 * MB },
    ],
  };
  const bench: Series = { id: 'tests/perf/test_api.py::test_list', metric: 'duration', unit: 's', samples: [0.01, 0.02, 0.03, 0.04, 0.05], summary: {} };

  it('checks p95, error rate, throughput, peak RSS and sample-derived statistics', () => {
    const res = checkBudgets(
      [endpoint, mem, bench],
      [
        { match: 'GET /api/*', p95: 0.2, errorRate: 0.01, minRps: 100 },
        { match: 'memory/*', maxRss: 500 * MB },
        { match: 'tests/**', median: 0.05, p95: 0.04 },
      ],
    );
    const by = (id: string, key: string) => res.find((r) => r.id === id && r.budget === key);
    assert.strictEqual(res.length, 6);
    assert.deepStrictEqual([by(endpoint.id, 'p95')?.ok, by(endpoint.id, 'p95')?.actual], [false, 0.231]);
    assert.strictEqual(by(endpoint.id, 'p95')?.message, 'p95 231 ms > budget 200 ms (+15.5%)');
    assert.deepStrictEqual([by(endpoint.id, 'errorRate')?.ok, by(endpoint.id, 'errorRate')?.actual], [true, 0.005]);
    assert.strictEqual(by(endpoint.id, 'minRps')?.ok, true);
    assert.deepStrictEqual([by(mem.id, 'maxRss')?.ok, by(mem.id, 'maxRss')?.message], [false, 'peak RSS 620.0 MB > budget 500.0 MB (+24.0%)']);
    assert.deepStrictEqual([by(bench.id, 'median')?.actual, by(bench.id, 'median')?.ok], [0.03, true]);
    // p95 from samples, type-7 quantile: 0.04 + 0.8·0.01 = 0.048.
    assert.ok(Math.abs((by(bench.id, 'p95')?.actual ?? 0) - 0.048) < 1e-12);
    assert.strictEqual(by(bench.id, 'p95')?.ok, false);
  });

  it('a limit the series should report but does not fails as "not reported"; inapplicable limits are skipped', () => {
    const bare: Series = { id: 'GET /health', metric: 'duration', unit: 's', summary: { median: 0.001 } };
    const res = checkBudgets([bare], [{ match: 'GET /health', p99: 0.1, maxRss: 1 }]);
    assert.strictEqual(res.length, 1); // maxRss does not apply to a latency series without memory
    assert.deepStrictEqual([res[0].budget, res[0].ok, res[0].actual], ['p99', false, undefined]);
    assert.match(res[0].message, /not reported/);
  });

  it('throughput series: a minimum, checked with ≥', () => {
    const rps: Series = { id: 'load/rps', metric: 'throughput', unit: '1/s', summary: { mean: 95 } };
    const [r] = checkBudgets([rps], [{ match: 'load/rps', minRps: 100 }]);
    assert.strictEqual(r.ok, false);
    assert.strictEqual(r.message, 'throughput 95.00/s < budget 100.0/s (-5.0%)');
  });

  it('validates a budget config with errors naming file and field', () => {
    assert.deepStrictEqual(parseBudgets([{ match: 'x', p95: 0.2 }], 'cfg.json'), [{ match: 'x', p95: 0.2 }]);
    assert.throws(() => parseBudgets({}, 'cfg.json'), /cfg\.json: budgets must be an array/);
    assert.throws(() => parseBudgets([{ p95: 1 }], 'cfg.json'), /cfg\.json: budgets\[0\]\.match must be/);
    assert.throws(() => parseBudgets([{ match: 'a' }, { match: 'b', p95: '200ms' }], 'cfg.json'), /budgets\[1\]\.p95 must be a number/);
    assert.throws(() => parseBudgets([{ match: 'a', latency: 1 }], 'cfg.json'), /budgets\[0\]\.latency is not a budget/);
  });
});
