import * as assert from 'assert';
import { promises as fs } from 'fs';
import { autocannonParser } from '../../../src/core/ingest/autocannon';
import type { Run } from '../../../src/core/model';
import { fixture } from '../helpers';
import { assertIngestError } from './badInput';

const file = fixture('autocannon', 'result.json');

describe('autocannon --json parser', () => {
  let run: Run;
  before(async () => {
    run = await autocannonParser.parse(file);
  });

  it('detects autocannon output by content', async () => {
    assert.ok(autocannonParser.detect(await fs.readFile(file, 'utf8'), 'x.json'));
    assert.ok(!autocannonParser.detect(await fs.readFile(fixture('vitest', 'result.json'), 'utf8'), 'result.json'));
    assert.ok(!autocannonParser.detect(await fs.readFile(fixture('k6', 'summary-export.json'), 'utf8'), 'result.json'));
  });

  it('reads the run and its latency series in seconds', () => {
    assert.strictEqual(run.tool, 'autocannon');
    assert.strictEqual(run.startedAt, '2026-11-26T23:40:34.373Z');
    assert.strictEqual(run.durationSec, 2.08);
    assert.deepStrictEqual(run.series.map(s => s.id), ['/api/dashboard/stats', '/api/dashboard/stats requests/s']);
    const lat = run.series[0];
    assert.strictEqual(lat.metric, 'duration');
    assert.strictEqual(lat.unit, 's');
    assert.deepStrictEqual(lat.summary, {
      n: 1251,
      mean: 15.8 / 1000,
      stddev: 26.72 / 1000,
      min: 1 / 1000,
      max: 182 / 1000,
      median: 7 / 1000,
      percentiles: {
        'p0.001': 0, 'p0.01': 0, 'p0.1': 0, p1: 0, 'p2.5': 0.001, p10: 0.001, p25: 0.003, p50: 0.007,
        p75: 0.017, p90: 0.037, 'p97.5': 0.088, p99: 0.176, 'p99.9': 0.182, 'p99.99': 0.182, 'p99.999': 0.182,
      },
    });
  });

  it('invents no p95 and says so', () => {
    const lat = run.series[0];
    assert.strictEqual(lat.summary.percentiles?.p95, undefined);
    assert.ok(lat.notes?.some(n => /no p95/.test(n)));
  });

  it('keeps requests, failures (non-2xx and errors) and their kinds', () => {
    assert.deepStrictEqual(run.series[0].endpoint, {
      route: '/api/dashboard/stats',
      requests: 1251,
      failures: 25,
      rps: 625.5,
      errors: [{ message: 'HTTP 503', count: 25 }],
    });
    assert.strictEqual(run.series[0].extra?.timeouts, 0);
    assert.strictEqual(run.series[0].extra?.non2xx, 25);
    assert.strictEqual(run.series[0].extra?.throughputBytesPerSec, 144208);
  });

  it('gives requests per second as a throughput series', () => {
    const rate = run.series[1];
    assert.strictEqual(rate.metric, 'throughput');
    assert.strictEqual(rate.unit, '1/s');
    assert.strictEqual(rate.summary.n, 2);
    assert.strictEqual(rate.summary.mean, 625.5);
    assert.strictEqual(rate.summary.min, 550);
    assert.strictEqual(rate.summary.max, 701);
  });

  describe('bad input', () => {
    it('truncated JSON names the line', () =>
      assertIngestError(autocannonParser, fixture('autocannon', 'bad', 'truncated.json'), /truncated JSON/, { line: 1 }));
    it('a wrong type names the field', () =>
      assertIngestError(autocannonParser, fixture('autocannon', 'bad', 'wrong-type.json'), /expected number, got string/, { field: 'latency.p99' }));
    it('a missing field names it', () =>
      assertIngestError(autocannonParser, fixture('autocannon', 'bad', 'missing-field.json'), /missing .*number/, { field: 'requests.total' }));
  });
});
