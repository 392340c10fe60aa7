import * as assert from 'assert';
import { locateSource } from '../../../src/core/locate/locate';
import { locateFixture, summary } from './workspace';

describe('locate: Python', () => {
  it('finds FastAPI endpoints with APIRouter prefix + include_router prefix, api_route methods', async () => {
    const found = await locateFixture('fastapi-service', 'app/main.py');
    assert.deepStrictEqual(summary(found), [
      'endpoint 11/10 GET /api/projects/{project_id}/videos',
      'endpoint 16/15 POST /api/projects/{project_id}/videos',
      'endpoint 21/20 POST /api/videos/upload',
      'endpoint 26/25 GET /api/videos/{video_id}/detections',
      'endpoint 31/30 GET /api/dashboard/stats',
      'endpoint 36/35 GET /api/health',
      'endpoint 36/35 HEAD /api/health',
    ]);
    const stats = found.find(f => f.id === 'GET /api/dashboard/stats');
    assert.deepStrictEqual(stats?.nameRange, { start: { line: 31, character: 4 }, end: { line: 31, character: 19 } });
    assert.strictEqual(stats?.name, 'dashboard_stats');
    assert.deepStrictEqual(stats?.range.end, { line: 32, character: 40 });
  });

  it('does not find routes or tests in comments, strings, docstrings or plain helpers', async () => {
    const found = await locateFixture('fastapi-service', 'app/main.py');
    for (const bogus of ['not-a-route', 'also-not-a-route', 'test_fake', 'helper_not_an_endpoint']) {
      assert.ok(!found.some(f => f.id.includes(bogus) || f.name.includes(bogus)), bogus);
    }
  });

  it('finds pytest tests and pytest-benchmark benchmarks with fullname ids', async () => {
    const found = await locateFixture('fastapi-service', 'tests/performance/test_api_benchmarks.py');
    const p = 'tests/performance/test_api_benchmarks.py';
    assert.deepStrictEqual(summary(found), [
      `benchmark 8/8 ${p}::test_dashboard_stats_speed`,
      `benchmark 14/13 ${p}::test_detections_speed`,
      `benchmark 19/19 ${p}::TestProjectEndpoints::test_list_videos`,
      `test 22/22 ${p}::TestProjectEndpoints::test_status_only`,
      `test 29/29 ${p}::TestProjectEndpoints::TestNested::test_inner`,
      `test 38/38 ${p}::test_plain`,
    ]);
  });

  it('finds Locust tasks with the request names they report', async () => {
    const found = await locateFixture('fastapi-service', 'locustfile.py');
    assert.deepStrictEqual(summary(found), [
      'load-task 11/10 locustfile.py::ApiUser::list_videos',
      'load-task 15/14 locustfile.py::ApiUser::dashboard',
      'load-task 19/18 locustfile.py::ApiUser::upload',
    ]);
    assert.deepStrictEqual(
      found.map(f => f.requests),
      [
        [{ method: 'GET', name: '/api/projects/[id]/videos', line: 12 }],
        [{ method: 'GET', name: '/api/dashboard/stats', line: 16 }],
        [{ method: 'POST', name: '/api/videos/upload', line: 20 }],
      ],
    );
  });

  it('finds Flask routes: methods=, @bp.get, url_prefix replaced at register_blueprint, app-factory routes, converters kept', async () => {
    const found = await locateFixture('flask-service', 'app/__init__.py');
    assert.deepStrictEqual(summary(found), [
      'endpoint 8/7 GET /api/videos/<int:video_id>/detections',
      'endpoint 8/7 POST /api/videos/<int:video_id>/detections',
      'endpoint 13/12 GET /api/videos/<video_id>',
      'endpoint 18/17 DELETE /admin/cache',
      'endpoint 26/25 GET /health',
      'endpoint 38/37 GET /api/projects/<int:project_id>/videos',
    ]);
  });

  it('finds Django path()/re_path() routes in urlpatterns, not include() prefixes or comments', async () => {
    const found = await locateFixture('django-service', 'videos/urls.py');
    assert.deepStrictEqual(summary(found), [
      'endpoint 8/8 * /api/projects/<int:project_id>/videos/',
      'endpoint 9/9 * /api/dashboard/stats',
      'endpoint 10/10 * /api/videos/{video_id}/detections',
    ]);
    assert.strictEqual(found[0].name, 'views.project_videos');
  });

  it('skips Test classes with __init__ and non-Test classes, as pytest does', async () => {
    const src = [
      'class TestWithInit:',
      '    def __init__(self):',
      '        pass',
      '    def test_a(self):',
      '        pass',
      'class Helper:',
      '    def test_b(self):',
      '        pass',
      'async def test_c(benchmark):',
      '    pass',
      '',
    ].join('\n');
    assert.deepStrictEqual(summary(await locateSource(src, 't/test_x.py')), ['benchmark 8/8 t/test_x.py::test_c']);
  });

  it('returns nothing for a syntactically broken file rather than throwing', async () => {
    const found = await locateSource('def test_ok():\n    pass\n\ndef (((:\n', 'test_broken.py');
    assert.deepStrictEqual(summary(found), ['test 0/0 test_broken.py::test_ok']);
  });
});
