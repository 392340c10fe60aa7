import * as assert from 'assert';
import { goFunctionName, matchBenchmarkId, stripPytestParams } from '../../../src/core/match/benchmark';
import type { Finding } from '../../../src/core/locate/types';
import { locateFixture, toolIds } from '../locate/workspace';

function where(r: ReturnType<typeof matchBenchmarkId<Finding>>): string {
  if (r.status === 'matched') return `${r.target.id}@${r.target.nameRange.start.line}`;
  return r.status === 'ambiguous' ? `ambiguous(${r.candidates.length})` : 'none';
}

describe('match: benchmark and test ids', () => {
  it('every id real pytest / pytest-benchmark report resolves to its def (params dropped)', async () => {
    const found = await locateFixture('fastapi-service', 'tests/performance/test_api_benchmarks.py');
    const p = 'tests/performance/test_api_benchmarks.py';
    assert.deepStrictEqual(toolIds('pytest-benchmark-fastapi-service.txt').map(id => where(matchBenchmarkId(id, found))), [
      `${p}::test_dashboard_stats_speed@8`,
      `${p}::test_detections_speed@14`,
      `${p}::test_detections_speed@14`,
      `${p}::TestProjectEndpoints::test_list_videos@19`,
    ]);
    const collected = toolIds('pytest-fastapi-service.txt');
    assert.ok(collected.length >= 7);
    for (const id of collected) assert.strictEqual(matchBenchmarkId(id, found).status, 'matched', id);
    // And nothing we report is unknown to pytest.
    for (const f of found) assert.ok(collected.some(id => stripPytestParams(id) === f.id), f.id);
  });

  it('matches a pytest fullname whose rootdir differs from the workspace root by path suffix', async () => {
    const found = await locateFixture('flask-service', 'tests/test_app.py');
    assert.strictEqual(where(matchBenchmarkId('flask-service/tests/test_app.py::test_detections_speed', found)), 'tests/test_app.py::test_detections_speed@8');
    assert.strictEqual(where(matchBenchmarkId('pp.py::test_detections_speed', found)), 'none');
    for (const id of toolIds('pytest-flask-service.txt')) assert.strictEqual(matchBenchmarkId(id, found).status, 'matched', id);
  });

  it('maps go test -bench names (BenchmarkX-N, sub-benchmarks, package-qualified) to the func', async () => {
    const found = await locateFixture('go-service', 'main_test.go');
    assert.deepStrictEqual(toolIds('go-bench.txt').map(id => where(matchBenchmarkId(id, found))), [
      'BenchmarkDashboardStats@15',
      'BenchmarkProjectVideos@22',
      'BenchmarkProjectVideos@22',
    ]);
    assert.deepStrictEqual(toolIds('go-list.txt').map(id => where(matchBenchmarkId(id, found))), [
      'TestDashboardStats@7',
      'BenchmarkDashboardStats@15',
      'BenchmarkProjectVideos@22',
    ]);
    assert.strictEqual(goFunctionName('example.com/videosvc.BenchmarkProjectVideos/large-8'), 'BenchmarkProjectVideos');
    assert.strictEqual(goFunctionName('BenchmarkX'), 'BenchmarkX');
    assert.strictEqual(where(matchBenchmarkId('BenchmarkMissing-2', found)), 'none');
  });

  it('maps mocha fullTitles (from a real mocha run) and jest .each instances to the test', async () => {
    const found = await locateFixture('express-service', 'test/api.test.js');
    for (const id of toolIds('mocha-express-service.txt')) assert.strictEqual(where(matchBenchmarkId(id, found)), `${id}@${found.find(f => f.id === id)?.nameRange.start.line}`);
    const jest = await locateFixture('jest-tests', 'videos.test.ts');
    assert.strictEqual(where(matchBenchmarkId('math add(2, 2) = 4', jest)), 'math add(%i, %i) = %i@13');
    assert.strictEqual(where(matchBenchmarkId('perf add 1e3 times', jest)), 'perf add 1e3 times@27');
    assert.strictEqual(where(matchBenchmarkId('math', jest)), 'none');
  });

  it('reports the same id in two files as ambiguous', async () => {
    const a = await locateFixture('go-service', 'main_test.go');
    assert.strictEqual(where(matchBenchmarkId('BenchmarkDashboardStats-2', [...a, ...a.map(f => ({ ...f }))])), 'ambiguous(2)');
  });
});
