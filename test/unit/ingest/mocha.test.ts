import * as assert from 'assert';
import { promises as fs } from 'fs';
import { mochaJsonParser } from '../../../src/core/ingest/mochaJson';
import type { Run } from '../../../src/core/model';
import { fixture } from '../helpers';
import { assertIngestError } from './badInput';

const file = fixture('mocha', 'report.json');
const api = '/work/main/test/fixtures/mocha/specs/api.spec.js';
const stats = '/work/main/test/fixtures/mocha/specs/stats.spec.js';

describe('mocha JSON reporter parser', () => {
  let run: Run;
  before(async () => {
    run = await mochaJsonParser.parse(file);
  });

  it('detects the mocha report by content', async () => {
    assert.ok(mochaJsonParser.detect(await fs.readFile(file, 'utf8'), 'x.json'));
    assert.ok(!mochaJsonParser.detect(await fs.readFile(fixture('autocannon', 'result.json'), 'utf8'), 'report.json'));
  });

  it('makes one duration series per timed test, id = file :: full title', () => {
    assert.strictEqual(run.tool, 'mocha');
    assert.strictEqual(run.startedAt, '2026-11-26T23:40:45.123Z');
    assert.strictEqual(run.durationSec, 0.16);
    assert.deepStrictEqual(run.series.map(s => [s.id, s.summary.mean]), [
      [`${api}::video API GET /api/projects/:id/videos lists the first page`, 0.031],
      [`${api}::video API GET /api/projects/:id/videos paginates with offset and limit`, 0.061],
      [`${api}::video API GET /api/videos/:id/detections returns detections within budget`, 0.017],
      [`${stats}::dashboard stats aggregates counts`, 0.045],
      [`${stats}::dashboard stats is fast (sync)`, 0.002],
    ]);
    const s = run.series[1];
    assert.strictEqual(s.name, 'paginates with offset and limit');
    assert.strictEqual(s.group, api);
    assert.deepStrictEqual(s.samples, [0.061]);
    assert.deepStrictEqual(s.summary, { n: 1, mean: 0.061, median: 0.061, min: 0.061, max: 0.061 });
  });

  it('puts pass/fail into extra and the failure message into notes', () => {
    assert.deepStrictEqual(run.series.map(s => s.extra?.status), ['passed', 'passed', 'failed', 'passed', 'passed']);
    assert.ok(run.series[2].notes?.includes('failed: detections budget exceeded'), String(run.series[2].notes));
  });

  it('lists pending tests in the run notes instead of inventing a duration', () => {
    assert.deepStrictEqual(run.notes, ['1 pending test without a duration: video API GET /api/videos/:id/detections streams large result sets']);
  });

  describe('bad input', () => {
    it('truncated JSON names the line', () =>
      assertIngestError(mochaJsonParser, fixture('mocha', 'bad', 'truncated.json'), /truncated JSON/, { line: 38 }));
    it('a wrong type names the field', () =>
      assertIngestError(mochaJsonParser, fixture('mocha', 'bad', 'wrong-type.json'), /expected number, got string/, { field: 'tests[1].duration' }));
    it('a missing field names it', () =>
      assertIngestError(mochaJsonParser, fixture('mocha', 'bad', 'missing-field.json'), /missing .*string/, { field: 'tests[0].fullTitle' }));
  });
});
