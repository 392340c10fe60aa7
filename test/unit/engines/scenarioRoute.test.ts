// --only-route: the load engine narrowed to one handler's route (the endpoint lens's "Load test").
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { onlyRoute, parseScenario, ScenarioError } from '../../../src/engines/load/scenario';
import { runCli, startServer } from './serverHelpers';

const scenario = (target = 'http://127.0.0.1:9') => ({
  target,
  maxRequests: 30,
  connections: 2,
  seed: 3,
  requests: [
    { path: '/api/projects/{projectId}/videos?limit=10', weight: 3, params: { projectId: { choice: ['p1', 'p2'] } } },
    { path: '/api/videos/{videoId}/detections', params: { videoId: 'v1' } },
    { method: 'POST', path: '/api/videos/upload', json: { name: 'x' } },
    { name: 'stats', path: '/api/dashboard/stats' },
  ],
});

describe('engines/load scenario --only-route', () => {
  const sc = parseScenario(JSON.stringify(scenario()), 's.json');

  it('keeps the requests a handler template serves, whatever the framework syntax', () => {
    const keys = (route: string) => onlyRoute(sc, route, 's.json').requests.map(r => r.key);
    assert.deepStrictEqual(keys('GET /api/projects/:projectId/videos'), ['GET /api/projects/{projectId}/videos']);
    assert.deepStrictEqual(keys('/api/videos/<video_id>/detections'), ['GET /api/videos/{videoId}/detections']);
    assert.deepStrictEqual(keys('POST /api/videos/upload'), ['POST /api/videos/upload']);
    assert.deepStrictEqual(keys('GET /api/dashboard/stats'), ['stats']);
    // No method: any method; a parameter takes any one segment (upload has one segment fewer).
    assert.deepStrictEqual(keys('/api/videos/{id}/{what}'), ['GET /api/videos/{videoId}/detections']);
  });

  it('refuses a route nothing in the scenario sends, naming the file and what it does send', () => {
    assert.throws(() => onlyRoute(sc, 'GET /api/videos/upload', 's.json'), (e: unknown) =>
      e instanceof ScenarioError && /^s\.json: no request matches route "GET \/api\/videos\/upload" \(the scenario sends GET \/api\/projects.*POST \/api\/videos\/upload.*\(field requests\)$/.test(e.message));
    assert.throws(() => onlyRoute(sc, 'videos', 's.json'), /expects "\[METHOD\] \/path"/);
  });

  it('the engine sends only that route to a real server, and says so when nothing matches', async function () {
    this.timeout(20000);
    const seen = new Set<string>();
    const srv = await startServer((req, res) => {
      // The engine's reachability probe (HEAD /) is not part of the scenario.
      if (req.method !== 'HEAD') seen.add(`${req.method} ${req.url!.split('?')[0].replace(/p[12]/, '{p}')}`);
      res.end('{}');
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-route-'));
    try {
      const file = path.join(dir, 's.json');
      fs.writeFileSync(file, JSON.stringify(scenario(srv.url)));
      const out = path.join(dir, 'r.json');
      const ok = await runCli('loadMain', ['--scenario', file, '--out', out, '--only-route', 'GET /api/projects/:projectId/videos']);
      assert.strictEqual(ok.code, 0, ok.stderr);
      assert.deepStrictEqual([...seen], ['GET /api/projects/{p}/videos']);
      const ids = (JSON.parse(fs.readFileSync(out, 'utf8')) as { series: { id: string }[] }).series.map(s => s.id);
      assert.ok(ids.includes('GET /api/projects/{projectId}/videos') && !ids.some(i => i.includes('detections')), ids.join(', '));

      const none = await runCli('loadMain', ['--scenario', file, '--out', out, '--only-route', 'DELETE /api/videos/{id}']);
      assert.strictEqual(none.code, 2);
      assert.match(none.stderr, /s\.json: no request matches route "DELETE \/api\/videos\/\{id\}"/);
    } finally {
      await srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
