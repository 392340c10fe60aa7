import * as assert from 'assert';
import { detectParser } from '../../../src/core/ingest/detect';
import { hyperfineParser } from '../../../src/core/ingest/hyperfine';
import { fixture } from '../helpers';
import { readJsonFixture, rejectsWith, TmpDir } from './tmpFiles';

const basic = fixture('hyperfine', 'basic.json');
const params = fixture('hyperfine', 'params.json');

describe('ingest: hyperfine --export-json', () => {
  let tmp: TmpDir;
  before(() => (tmp = new TmpDir()));
  after(() => tmp.remove());

  it('reads one series per command; --command-name replaces the command as id', async () => {
    const run = await hyperfineParser.parse(basic);
    assert.strictEqual(run.tool, 'hyperfine');
    assert.deepStrictEqual(run.series.map(s => [s.id, s.metric, s.unit, s.samples?.length, s.summary.n]), [
      ['sort words', 'duration', 's', 8, 8], // --runs 8
      ['gzip -c words.txt', 'duration', 's', 8, 8],
    ]);
    assert.ok(Number.isFinite(Date.parse(run.startedAt)));
    assert.ok(run.notes?.[0].includes('estimated'));
  });

  it('keeps times[] as samples and the tool statistics (seconds) exactly', async () => {
    for (const file of [basic, params]) {
      const raw = readJsonFixture(file);
      const run = await hyperfineParser.parse(file);
      raw.results.forEach((r: Record<string, any>, i: number) => {
        const s = run.series[i];
        assert.deepStrictEqual(s.samples, r.times);
        assert.deepStrictEqual(
          [s.summary.mean, s.summary.stddev, s.summary.median, s.summary.min, s.summary.max],
          [r.mean, r.stddev, r.median, r.min, r.max],
        );
        assert.strictEqual(s.extra?.userSec, r.user);
        assert.strictEqual(s.extra?.systemSec, r.system);
      });
    }
  });

  it('keeps --parameter-scan values in extra', async () => {
    const run = await hyperfineParser.parse(params);
    assert.deepStrictEqual(run.series.map(s => [s.id, s.extra?.['param.n'], s.samples?.length]), [
      ['head -n 1000 words.txt', '1', 5],
      ['head -n 2000 words.txt', '2', 5],
      ['head -n 3000 words.txt', '3', 5],
    ]);
    assert.strictEqual(run.series[0].summary.mean, 0.0037914596800000004);
  });

  it('is detected by content, also under a misleading name', async () => {
    assert.strictEqual(await detectParser(tmp.copy(basic, 'pytest-bench.json')), hyperfineParser);
    assert.strictEqual(await detectParser(tmp.copy(params, 'results.csv')), hyperfineParser);
  });

  it('names the field path of a wrong type', async () => {
    const f = tmp.editJson(basic, 'bad.json', d => (d.results[1].times[3] = 'slow'));
    await rejectsWith(hyperfineParser.parse(f), f, 'expected number, got string', 'results[1].times[3]');
    const g = tmp.editJson(basic, 'nomean.json', d => delete d.results[0].mean);
    await rejectsWith(hyperfineParser.parse(g), 'missing', 'results[0].mean');
  });
});
