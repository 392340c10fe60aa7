import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { vitestBenchParser } from '../../../src/core/ingest/vitestBench';
import type { Run } from '../../../src/core/model';
import { fixture } from '../helpers';
import { assertIngestError } from './badInput';

const file = fixture('vitest', 'result.json');

describe('vitest bench JSON parser', () => {
  let run: Run;
  before(async () => {
    run = await vitestBenchParser.parse(file);
  });

  it('detects vitest bench output by content', async () => {
    assert.ok(vitestBenchParser.detect(await fs.readFile(file, 'utf8'), 'x.json'));
    assert.ok(!vitestBenchParser.detect(await fs.readFile(fixture('mocha', 'report.json'), 'utf8'), 'result.json'));
  });

  it('walks files → groups → benchmarks', () => {
    assert.strictEqual(run.tool, 'vitest-bench');
    assert.deepStrictEqual(run.series.map(s => [s.id, s.group, s.name]), [
      ['benches/parse.bench.js > parse video list > JSON.parse', 'benches/parse.bench.js > parse video list', 'JSON.parse'],
      ['benches/parse.bench.js > parse video list > JSON.parse + map ids', 'benches/parse.bench.js > parse video list', 'JSON.parse + map ids'],
      ['benches/route.bench.js > top-level noop', 'benches/route.bench.js', 'top-level noop'],
      ['benches/route.bench.js > route matching > regex', 'benches/route.bench.js > route matching', 'regex'],
      ['benches/route.bench.js > route matching > split', 'benches/route.bench.js > route matching', 'split'],
    ]);
  });

  it('converts milliseconds to seconds and keeps hz, rme, rank', () => {
    const s = run.series[0];
    assert.strictEqual(s.metric, 'duration');
    assert.strictEqual(s.unit, 's');
    assert.deepStrictEqual(s.summary, {
      n: 1999,
      mean: 0.10005525662831369 / 1000,
      median: 0.04006600000002436 / 1000,
      stddev: 0.9438508950109926 / 1000,
      min: 0.03879400000005262 / 1000,
      max: 32.70981800000004 / 1000,
      percentiles: {
        p50: 0.04006600000002436 / 1000,
        p75: 0.0406270000000859 / 1000,
        p99: 0.30535699999995813 / 1000,
        'p99.5': 2.3343560000000707 / 1000,
        'p99.9': 17.373450999999932 / 1000,
      },
    });
    assert.deepStrictEqual(s.extra, { hz: 9994.477388777388, rmePercent: 41.353584138363374, rank: 2, totalTimeMs: 200.01045799999906, moeMs: 0.0413764347346451 });
    assert.strictEqual(s.samples, undefined); // vitest wrote an empty samples array
  });

  it('keeps per-iteration samples when vitest wrote them', async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'vitest-samples-'));
    try {
      const data = JSON.parse(await fs.readFile(file, 'utf8'));
      data.files[0].groups[0].benchmarks[0].samples = [0.5, 0.25];
      const f = path.join(tmp, 'with-samples.json');
      await fs.writeFile(f, JSON.stringify(data));
      const r = await vitestBenchParser.parse(f);
      assert.deepStrictEqual(r.series[0].samples, [0.0005, 0.00025]);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });

  describe('bad input', () => {
    it('truncated JSON names the line', () =>
      assertIngestError(vitestBenchParser, fixture('vitest', 'bad', 'truncated.json'), /truncated JSON/, { line: 28 }));
    it('a wrong type names the field', () =>
      assertIngestError(vitestBenchParser, fixture('vitest', 'bad', 'wrong-type.json'), /expected number, got string/, { field: 'files[1].groups[0].benchmarks[0].mean' }));
    it('a missing field names it', () =>
      assertIngestError(vitestBenchParser, fixture('vitest', 'bad', 'missing-field.json'), /missing .*number/, { field: 'files[0].groups[0].benchmarks[1].hz' }));
  });
});
