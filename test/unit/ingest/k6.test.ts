import * as assert from 'assert';
import { promises as fs } from 'fs';
import { k6Parser } from '../../../src/core/ingest/k6';
import type { Run, Series } from '../../../src/core/model';
import { fixture } from '../helpers';
import { assertIngestError } from './badInput';

// The k6 fixtures are hand-built from k6's documented format (see their README).
const legacy = fixture('k6', 'summary-export.json');
const v1 = fixture('k6', 'summary-export-v1.json');

function byId(run: Run, id: string): Series {
  const s = run.series.find(x => x.id === id);
  assert.ok(s, `series ${id} missing; have ${run.series.map(x => x.id).join(', ')}`);
  return s;
}

describe('k6 --summary-export parser', () => {
  let run: Run;
  before(async () => {
    run = await k6Parser.parse(legacy);
  });

  it('detects both export shapes by content', async () => {
    assert.ok(k6Parser.detect(await fs.readFile(legacy, 'utf8'), 'x.json'));
    assert.ok(k6Parser.detect(await fs.readFile(v1, 'utf8'), 'x.json'));
    assert.ok(!k6Parser.detect(await fs.readFile(fixture('autocannon', 'result.json'), 'utf8'), 'summary.json'));
  });

  it('turns time trends into duration series in seconds', () => {
    assert.deepStrictEqual(run.series.map(s => s.id), [
      'checks', 'group_duration{group:::videos}', 'http_req_blocked', 'http_req_duration',
      'http_req_duration{expected_response:true}', 'http_req_failed', 'http_req_waiting', 'iteration_duration',
    ]);
    const d = byId(run, 'http_req_duration');
    assert.strictEqual(d.metric, 'duration');
    assert.strictEqual(d.unit, 's');
    assert.deepStrictEqual(d.summary, {
      n: 1236,
      mean: 23.4471 / 1000,
      median: 18.9902 / 1000,
      min: 2.1043 / 1000,
      max: 301.4488 / 1000,
      percentiles: { p90: 44.1214 / 1000, p95: 61.0075 / 1000 },
    });
    assert.strictEqual(byId(run, 'http_req_duration{expected_response:true}').group, 'http_req_duration');
  });

  it('puts request counts, failures and rate on http_req_duration', () => {
    const d = byId(run, 'http_req_duration');
    assert.deepStrictEqual(d.endpoint, { route: 'all requests', requests: 1236, failures: 24, rps: 41.2 });
    assert.deepStrictEqual(d.extra, { iterations: 412, vusMax: 10, vusPeak: 10, dataReceivedBytes: 1893412, dataSentBytes: 132564 });
  });

  it('reports rate metrics as error rates', () => {
    const failed = byId(run, 'http_req_failed');
    assert.strictEqual(failed.metric, 'errorRate');
    assert.deepStrictEqual(failed.summary, { n: 1236, mean: 0.019417475728155338 });
    assert.deepStrictEqual(byId(run, 'checks').summary, { n: 1236, mean: 24 / 1236 });
  });

  it('keeps threshold verdicts (legacy true = crossed) and checks as notes', () => {
    assert.deepStrictEqual(byId(run, 'http_req_duration').notes, ['k6 threshold p(95)<50: FAILED', 'k6 threshold avg<100: passed']);
    assert.deepStrictEqual(byId(run, 'http_req_failed').notes, ['k6 threshold rate<0.01: FAILED']);
    assert.deepStrictEqual(run.notes?.slice(0, 3), [
      'k6 check ::stats is 200: 412 passed, 0 failed',
      'k6 check ::videos::list is 200: 412 passed, 0 failed',
      'k6 check ::videos::detections is 200: 388 passed, 24 failed',
    ]);
    assert.ok(run.notes?.some(n => /no start time/.test(n)));
  });

  it('reads the k6 1.x shape with top-level thresholds', async () => {
    const r = await k6Parser.parse(v1);
    const d = byId(r, 'http_req_duration');
    assert.strictEqual(d.summary.mean, 12.5 / 1000);
    assert.deepStrictEqual(d.endpoint, { route: 'all requests', requests: 300, failures: 0, rps: 29.95 });
    assert.deepStrictEqual(d.notes, ['k6 threshold p(95)<200: passed']);
    assert.deepStrictEqual(byId(r, 'http_req_failed').summary, { n: 300, mean: 0 });
  });

  describe('bad input', () => {
    it('truncated JSON names the line', () =>
      assertIngestError(k6Parser, fixture('k6', 'bad', 'truncated.json'), /truncated JSON/, { line: 48 }));
    it('a wrong type names the field', () =>
      assertIngestError(k6Parser, fixture('k6', 'bad', 'wrong-type.json'), /expected number, got string/, { field: 'metrics.http_req_duration.p(95)' }));
    it('a number written as a string names the field', () =>
      assertIngestError(k6Parser, fixture('k6', 'bad', 'string-number.json'), /expected number, got string/, { field: 'metrics.http_req_failed.passes' }));
    it('a check without its fails count names it', () =>
      assertIngestError(k6Parser, fixture('k6', 'bad', 'missing-field.json'), /missing .*number/, { field: 'root_group.groups.videos.checks.detections is 200.fails' }));
  });
});
