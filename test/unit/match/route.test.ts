import * as assert from 'assert';
import { matchRoute, parseRoute, RouteTemplate, splitMethod } from '../../../src/core/match/route';
import { locateFixture } from '../locate/workspace';

const t = (method: string | undefined, route: string): RouteTemplate => ({ method, route });

function target(r: ReturnType<typeof matchRoute>): string {
  if (r.status === 'matched') return `${r.target.method ?? ''} ${r.target.route}`.trim();
  if (r.status === 'ambiguous') return 'ambiguous: ' + r.candidates.map(c => `${c.method} ${c.route}`).join(' | ');
  return 'none';
}

describe('match: route templates', () => {
  for (const tmpl of ['/api/projects/{project_id}/videos', '/api/projects/:id/videos', '/api/projects/<int:id>/videos', '/api/projects/<id>/videos', '/api/projects/{id}/videos']) {
    it(`a concrete URL and a Locust [id] name match ${tmpl}`, () => {
      const q = tmpl.includes('int:') ? '/api/projects/123/videos' : '/api/projects/test-project-123/videos';
      assert.strictEqual(target(matchRoute({ route: q }, [t('GET', tmpl)])), `GET ${tmpl}`);
      assert.strictEqual(target(matchRoute({ method: 'GET', route: '/api/projects/[id]/videos' }, [t('GET', tmpl)])), `GET ${tmpl}`);
    });
  }

  it('checks Flask converters against concrete segments', () => {
    assert.strictEqual(target(matchRoute({ route: '/api/projects/abc/videos' }, [t('GET', '/api/projects/<int:id>/videos')])), 'none');
    assert.strictEqual(target(matchRoute({ route: '/items/7' }, [t('GET', '/items/:id(\\d+)')])), 'GET /items/:id(\\d+)');
    assert.strictEqual(target(matchRoute({ route: '/items/x' }, [t('GET', '/items/:id(\\d+)')])), 'none');
  });

  it('requires the method to agree when both sides give one; * and a missing method agree with any', () => {
    const ts = [t('POST', '/api/videos/upload')];
    assert.strictEqual(target(matchRoute({ method: 'GET', route: '/api/videos/upload' }, ts)), 'none');
    assert.strictEqual(target(matchRoute({ method: 'POST', route: '/api/videos/upload' }, ts)), 'POST /api/videos/upload');
    assert.strictEqual(target(matchRoute({ route: '/api/videos/upload' }, ts)), 'POST /api/videos/upload');
    assert.strictEqual(target(matchRoute({ route: 'DELETE /api/videos/upload' }, ts)), 'none');
    assert.strictEqual(target(matchRoute({ method: 'PUT', route: '/api/dashboard/stats' }, [t('*', '/api/dashboard/stats')])), '* /api/dashboard/stats');
    assert.strictEqual(target(matchRoute({ method: 'GET', route: '/x' }, [t(undefined, '/x')])), '/x');
  });

  it('prefers the most specific template: literals over parameters, exact method over *', () => {
    const ts = [t('GET', '/api/videos/{video_id}'), t('GET', '/api/videos/upload'), t('*', '/api/videos/{id}')];
    assert.strictEqual(target(matchRoute({ method: 'GET', route: '/api/videos/upload' }, ts)), 'GET /api/videos/upload');
    assert.strictEqual(target(matchRoute({ method: 'GET', route: '/api/videos/v-9' }, ts)), 'GET /api/videos/{video_id}');
    // A placeholder in the query never matches a literal template segment.
    assert.strictEqual(target(matchRoute({ method: 'GET', route: '/api/videos/[id]' }, ts)), 'GET /api/videos/{video_id}');
  });

  it('reports a tie between different handlers as ambiguous instead of guessing', () => {
    const ts = [t('GET', '/api/{kind}/stats'), t('GET', '/api/dashboard/{what}')];
    const r = matchRoute({ route: '/api/dashboard/stats' }, ts);
    assert.strictEqual(r.status, 'ambiguous');
    assert.strictEqual(target(r), 'ambiguous: GET /api/{kind}/stats | GET /api/dashboard/{what}');
    // Without a method, GET and POST handlers of one route are two targets too.
    const both = matchRoute({ route: '/api/projects/1/videos' }, [t('GET', '/api/projects/{id}/videos'), t('POST', '/api/projects/{id}/videos')]);
    assert.strictEqual(both.status, 'ambiguous');
    // …unless the caller says they are one handler.
    const one = matchRoute({ route: '/p/1' }, [t('GET', '/p/<int:id>'), t('POST', '/p/<int:id>')], (a, b) => a.route === b.route);
    assert.strictEqual(one.status, 'matched');
  });

  it('handles catch-alls, query strings, full URLs, trailing slashes and Go {$}', () => {
    assert.strictEqual(target(matchRoute({ route: '/static/css/site.css' }, [t('GET', '/static/{path...}')])), 'GET /static/{path...}');
    assert.strictEqual(target(matchRoute({ route: '/files/a/b' }, [t('GET', '/files/{p:path}')])), 'GET /files/{p:path}');
    assert.strictEqual(target(matchRoute({ route: '/files/a/b' }, [t('GET', '/files/<path:p>')])), 'GET /files/<path:p>');
    assert.strictEqual(target(matchRoute({ route: '/files/a/b' }, [t('GET', '/files/*')])), 'GET /files/*');
    assert.strictEqual(target(matchRoute({ route: '/files/a/b' }, [t('GET', '/files/{p:path}'), t('GET', '/files/a/{x}')])), 'GET /files/a/{x}');
    assert.strictEqual(target(matchRoute({ route: 'http://127.0.0.1:8000/api/videos/v1/detections?limit=10' }, [t('GET', '/api/videos/{video_id}/detections')])), 'GET /api/videos/{video_id}/detections');
    assert.strictEqual(target(matchRoute({ route: '/api/dashboard/stats/' }, [t('GET', '/api/dashboard/stats')])), 'GET /api/dashboard/stats');
    assert.strictEqual(target(matchRoute({ route: '/' }, [t('GET', '/{$}')])), 'GET /{$}');
    assert.strictEqual(target(matchRoute({ route: '/api/projects' }, [t('GET', '/api/projects/{id}/videos')])), 'none');
    assert.strictEqual(target(matchRoute({ route: 'Upload a video' }, [t('GET', '/{x}')])), 'none');
  });

  it('matches Django routes (trailing slash, converters) from the fixture', async () => {
    const django = await locateFixture('django-service', 'videos/urls.py');
    assert.strictEqual(target(matchRoute({ method: 'GET', route: '/api/projects/12/videos/' }, django)), '* /api/projects/<int:project_id>/videos/');
    assert.strictEqual(target(matchRoute({ method: 'GET', route: '/api/projects/p-12/videos' }, django)), 'none');
    assert.strictEqual(target(matchRoute({ route: '/api/videos/[id]/detections' }, django)), '* /api/videos/{video_id}/detections');
  });

  it('parses every parameter syntax', () => {
    assert.deepStrictEqual(parseRoute('/a/{b}/:c/<int:d>/[e]/*'), [
      { kind: 'literal', text: 'a' },
      { kind: 'param', name: 'b', test: undefined },
      { kind: 'param', name: 'c', test: undefined },
      { kind: 'param', name: 'd', test: /^\d+$/ },
      { kind: 'param', name: 'e' },
      { kind: 'rest', name: '' },
    ]);
    assert.deepStrictEqual(splitMethod('get /x'), { method: 'GET', route: '/x' });
    assert.deepStrictEqual(splitMethod('Upload video'), { route: 'Upload video' });
  });

  it('maps the Locust fixture requests onto the FastAPI fixture handlers', async () => {
    const endpoints = await locateFixture('fastapi-service', 'app/main.py');
    const tasks = await locateFixture('fastapi-service', 'locustfile.py');
    const mapped = tasks.flatMap(task => (task.requests ?? []).map(r => `${task.name} → ${target(matchRoute({ method: r.method, route: r.name }, endpoints))}`));
    assert.deepStrictEqual(mapped, [
      'list_videos → GET /api/projects/{project_id}/videos',
      'dashboard → GET /api/dashboard/stats',
      'upload → POST /api/videos/upload',
    ]);
  });
});
