import * as assert from 'assert';
import * as fs from 'fs';
import { detectParser, ingestFile } from '../../../src/core/ingest/detect';
import { pytestBenchmarkParser } from '../../../src/core/ingest/pytestBenchmark';
import { fixture } from '../helpers';
import { close, readJsonFixture, rejectsWith, TmpDir } from './tmpFiles';

const stats = fixture('pytest-benchmark', 'stats.json');
const noGit = fixture('pytest-benchmark', 'no-git.json');

describe('ingest: pytest-benchmark --benchmark-json', () => {
  let tmp: TmpDir;
  before(() => (tmp = new TmpDir()));
  after(() => tmp.remove());

  it('reads every benchmark as a series keyed by fullname, in seconds', async () => {
    const run = await pytestBenchmarkParser.parse(stats);
    assert.strictEqual(run.tool, 'pytest-benchmark');
    assert.strictEqual(run.startedAt, '2026-11-26T23:41:53.949Z'); // naive UTC "datetime" + Z
    assert.deepStrictEqual(
      run.series.map(s => [s.id, s.name, s.group, s.metric, s.unit]),
      [
        ['tests/perf/test_textops.py::test_sort[10]', 'test_sort[10]', 'sort', 'duration', 's'],
        ['tests/perf/test_textops.py::test_sort[1000]', 'test_sort[1000]', 'sort', 'duration', 's'],
        ['tests/perf/test_textops.py::test_parse_json', 'test_parse_json', 'parse', 'duration', 's'],
      ],
    );
    // samples = rounds; test_parse_json uses pedantic(rounds=12) so its count is fixed by the source.
    assert.deepStrictEqual(run.series.map(s => [s.samples?.length, s.summary.n]), [[534, 534], [49, 49], [12, 12]]);
    const parse = run.series[2];
    assert.strictEqual(parse.summary.mean, 9.135710000312732e-5);
    assert.strictEqual(parse.summary.median, 8.835710000312246e-5);
    assert.strictEqual(parse.extra?.iterations, 5);
    assert.strictEqual(parse.extra?.outliers, '2;1');
    assert.deepStrictEqual(parse.notes, ['each round ran 5 iterations; values are per iteration']);
    assert.strictEqual(run.series[0].extra?.param, '10');
  });

  it('matches the raw stats of every benchmark (already seconds, no conversion)', async () => {
    const raw = readJsonFixture(stats);
    const run = await pytestBenchmarkParser.parse(stats);
    raw.benchmarks.forEach((b: Record<string, any>, i: number) => {
      const s = run.series[i].summary;
      for (const k of ['mean', 'median', 'stddev', 'min', 'max', 'iqr'] as const) close(s[k], b.stats[k], `${b.fullname} ${k}`);
      assert.deepStrictEqual(run.series[i].samples, b.stats.data);
      close(run.series[i].extra?.ops as number, b.stats.ops, 'ops');
      // Samples are consistent with the summary the tool computed.
      assert.strictEqual(Math.min(...(run.series[i].samples ?? [])), s.min);
      assert.strictEqual(Math.max(...(run.series[i].samples ?? [])), s.max);
    });
  });

  it('keeps git (commit, branch, dirty) and the machine fingerprint', async () => {
    const run = await pytestBenchmarkParser.parse(stats);
    assert.deepStrictEqual(run.git, { commit: '86ae2be44da7353a084af430d33dba7de39fcf41', branch: 'perf-fixtures', dirty: true });
    assert.deepStrictEqual(run.machine, {
      cpuModel: 'AMD EPYC',
      cores: 0, // py-cpuinfo absent: pytest-benchmark records no core count
      os: 'linux 6.18.44-fc-v782 x64',
      arch: 'x64',
      runtimes: { python: '3.11.2' },
    });
  });

  it('outside a git repository has no git info (not "unversioned")', async () => {
    const run = await pytestBenchmarkParser.parse(noGit);
    assert.strictEqual(run.git, undefined);
    assert.deepStrictEqual(run.series.map(s => [s.id, s.samples?.length]), [['test_textops.py::test_parse_json', 12]]);
  });

  it('keeps working without per-round data (pytest-benchmark 4 without --benchmark-save-data)', async () => {
    const f = tmp.editJson(stats, 'nodata.json', d => d.benchmarks.forEach((b: Record<string, any>) => delete b.stats.data));
    const run = await pytestBenchmarkParser.parse(f);
    assert.ok(run.series.every(s => s.samples === undefined && s.summary.n !== undefined));
  });

  it('keeps scalar extra_info values set by the test', async () => {
    const f = tmp.editJson(stats, 'info.json', d => (d.benchmarks[0].extra_info = { rows: 10, backend: 'sqlite', nested: { x: 1 } }));
    const run = await pytestBenchmarkParser.parse(f);
    assert.strictEqual(run.series[0].extra?.['info.rows'], 10);
    assert.strictEqual(run.series[0].extra?.['info.backend'], 'sqlite');
    assert.strictEqual(run.series[0].extra?.['info.nested'], undefined);
  });

  it('is detected by content, also under a misleading name', async () => {
    for (const name of ['results.txt', 'bench.csv', 'k6-summary.json']) {
      assert.strictEqual(await detectParser(tmp.copy(stats, name)), pytestBenchmarkParser);
    }
    assert.strictEqual((await ingestFile(noGit)).source, noGit);
  });

  it('names the field path of a wrong type', async () => {
    const f = tmp.editJson(stats, 'wrong.json', d => (d.benchmarks[2].stats.mean = '91 us'));
    await rejectsWith(pytestBenchmarkParser.parse(f), f, 'expected number, got string', 'benchmarks[2].stats.mean');
    const g = tmp.editJson(stats, 'nofullname.json', d => delete d.benchmarks[1].fullname);
    await rejectsWith(pytestBenchmarkParser.parse(g), 'missing (expected string)', 'benchmarks[1].fullname');
  });

  it('reports the line and column of truncated JSON', async () => {
    const text = fs.readFileSync(stats, 'utf8');
    const f = tmp.write('cut.json', text.slice(0, 2000));
    const line = text.slice(0, 2000).split('\n').length;
    await rejectsWith(pytestBenchmarkParser.parse(f), `${f}:${line}:`, 'truncated JSON', `line ${line}, column`);
  });
});
