import * as assert from 'assert';
import { locateFixture, summary } from './workspace';

describe('locate: Go', () => {
  it('finds net/http handlers, Go 1.22 method patterns, and not the commented/raw-string look-alikes', async () => {
    const found = await locateFixture('go-service', 'main.go');
    assert.deepStrictEqual(summary(found), [
      'endpoint 30/30 GET /api/projects/{project_id}/videos',
      'endpoint 31/31 POST /api/videos/upload',
      'endpoint 34/34 * /api/dashboard/stats',
      'endpoint 35/35 * /static/',
    ]);
  });

  it('finds Test and Benchmark functions by signature, not by name alone', async () => {
    const found = await locateFixture('go-service', 'main_test.go');
    assert.deepStrictEqual(summary(found), [
      'test 7/7 TestDashboardStats',
      'benchmark 15/15 BenchmarkDashboardStats',
      'benchmark 22/22 BenchmarkProjectVideos',
    ]);
    assert.deepStrictEqual(found[1].nameRange, { start: { line: 15, character: 5 }, end: { line: 15, character: 28 } });
    const main = await locateFixture('go-service', 'main.go');
    assert.ok(!main.some(f => f.id === 'BenchmarkHelper'));
  });

  it('finds gin groups and chi Route blocks with their prefixes', async () => {
    const found = await locateFixture('go-service', 'ginapi/routes.go');
    assert.deepStrictEqual(summary(found), [
      'endpoint 13/13 GET /health',
      'endpoint 16/16 GET /api/v1/projects/:project_id/videos',
      'endpoint 17/17 POST /api/v1/videos/upload',
      'endpoint 22/22 GET /api/v2/videos/{videoID}/detections',
      'endpoint 23/23 POST /api/v2/videos/upload',
    ]);
  });
});
