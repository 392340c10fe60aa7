import * as assert from 'assert';
import { JsonNode } from '../../../src/core/ingest/json';
import { serializeRun, validateRun } from '../../../src/core/ingest/perfLens';
import { MetricsSession, SERVER_NOTE, serverRunFile } from '../../../src/core/metrics/session';
import { expo, sumOf } from './fixtures';

describe('metrics/session: real scrapes to a stored prometheus run', () => {
  const startedAt = new Date(1_700_000_000_000).toISOString();
  const t0 = 1_700_000_000;

  function session(): MetricsSession {
    const s = new MetricsSession();
    s.add({ t: t0 + 1, expo: expo('node', 'scrape-1.txt') });
    s.add({ t: t0 + 3, expo: expo('node', 'scrape-2.txt') });
    s.add({ t: t0 + 5, expo: expo('node', 'after-restart.txt') });
    return s;
  }

  it('a valid perf-lens-run: route series with endpoint stats summed over intervals (restart included)', () => {
    const run = session().toRun({ suite: 'api', kind: 'load', startedAt, source: 'http://127.0.0.1:1/metrics', intervalMs: 2000 })!;
    const back = validateRun(JsonNode.root('mem.json', JSON.parse(serializeRun(run))));
    assert.strictEqual(back.tool, 'prometheus');
    const items = back.series.find(s => s.id === 'GET /api/items (server)')!;
    const count = (name: string) => sumOf(expo('node', name), 'http_requests_total', l => l.route === '/api/items');
    assert.strictEqual(items.endpoint!.requests, count('scrape-2.txt') - count('scrape-1.txt') + count('after-restart.txt'));
    assert.deepStrictEqual(items.notes, [SERVER_NOTE]);
    assert.strictEqual(items.timeline!.length, 2);
    assert.ok(back.series.some(s => s.id === 'server:api requests/s' && s.timeline!.length === 2));
    assert.ok(back.series.some(s => s.id === 'server:api memory' && s.memory!.length === 2));
  });

  it('failures are counted: during the run, and apart from those after the last answer', () => {
    const s = session();
    s.failed('HTTP 503');
    s.add({ t: t0 + 7, expo: expo('node', 'after-restart.txt') });
    s.failed('ECONNREFUSED');
    s.failed('ECONNREFUSED');
    const note = s.toRun({ startedAt })!.notes!.at(-1)!;
    assert.match(note, /4 time\(s\); 1 scrape\(s\) failed during the run; no answer after 7\.0 s \(2 scrape\(s\): ECONNREFUSED/);
    assert.strictEqual(new MetricsSession().toRun({ startedAt }), undefined, 'fewer than two scrapes: no run');
    assert.strictEqual(serverRunFile('.perf/results/api.json'), '.perf/results/api.server.json');
  });
});
