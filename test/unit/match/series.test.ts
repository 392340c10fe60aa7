import * as assert from 'assert';
import type { Series } from '../../../src/core/model';
import { Located, matchSeries } from '../../../src/core/match/series';
import { locateFixture } from '../locate/workspace';

async function fastapiWorkspace(): Promise<Located[]> {
  const files = ['app/main.py', 'locustfile.py', 'tests/performance/test_api_benchmarks.py'];
  const out: Located[] = [];
  for (const file of files) for (const finding of await locateFixture('fastapi-service', file)) out.push({ file, finding });
  return out;
}

const endpointSeries = (method: string | undefined, route: string): Series => ({
  id: `${method ?? ''} ${route}`.trim(),
  metric: 'duration',
  unit: 's',
  summary: {},
  endpoint: { method, route, requests: 10, failures: 0 },
});

function where(r: ReturnType<typeof matchSeries>): string {
  if (r.status === 'matched') return `${r.target.file}:${r.target.finding.nameRange.start.line} ${r.target.finding.name}`;
  return r.status === 'ambiguous' ? `ambiguous: ${r.candidates.map(c => `${c.file}:${c.finding.nameRange.start.line}`).join(', ')}` : 'none';
}

describe('match: series → source', () => {
  it('joins Locust endpoint rows to the FastAPI handlers', async () => {
    const ws = await fastapiWorkspace();
    assert.strictEqual(where(matchSeries(endpointSeries('GET', '/api/projects/[id]/videos'), ws)), 'app/main.py:11 list_project_videos');
    assert.strictEqual(where(matchSeries(endpointSeries('POST', '/api/projects/[id]/videos'), ws)), 'app/main.py:16 add_project_video');
    assert.strictEqual(where(matchSeries(endpointSeries(undefined, 'GET /api/videos/v-1/detections?limit=5'), ws)), 'app/main.py:26 list_detections');
    // HEAD and GET of one api_route are the same handler, so no ambiguity without a method.
    assert.strictEqual(where(matchSeries(endpointSeries(undefined, '/api/health'), ws)), 'app/main.py:36 health');
    assert.strictEqual(where(matchSeries(endpointSeries(undefined, '/api/projects/p-1/videos'), ws)), 'ambiguous: app/main.py:11, app/main.py:16');
  });

  it('falls back to the Locust task that makes a request when no handler matches', async () => {
    const ws = (await fastapiWorkspace()).filter(l => l.file !== 'app/main.py');
    assert.strictEqual(where(matchSeries(endpointSeries('GET', '/api/projects/[id]/videos'), ws)), 'locustfile.py:11 list_videos');
    assert.strictEqual(where(matchSeries(endpointSeries('DELETE', '/api/projects/[id]/videos'), ws)), 'none');
  });

  it('joins pytest-benchmark series by fullname', async () => {
    const ws = await fastapiWorkspace();
    const s: Series = { id: 'tests/performance/test_api_benchmarks.py::test_detections_speed[100]', metric: 'duration', unit: 's', summary: {} };
    assert.strictEqual(where(matchSeries(s, ws)), 'tests/performance/test_api_benchmarks.py:14 test_detections_speed');
  });
});
