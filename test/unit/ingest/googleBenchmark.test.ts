import * as assert from 'assert';
import { detectParser } from '../../../src/core/ingest/detect';
import { googleBenchmarkParser } from '../../../src/core/ingest/googleBenchmark';
import { fixture } from '../helpers';
import { close, readJsonFixture, rejectsWith, TmpDir } from './tmpFiles';

const single = fixture('google-benchmark', 'single.json');
const reps = fixture('google-benchmark', 'repetitions.json');

describe('ingest: Google Benchmark --benchmark_format=json', () => {
  let tmp: TmpDir;
  before(() => (tmp = new TmpDir()));
  after(() => tmp.remove());

  it('single run: one sample per benchmark, converted from time_unit to seconds', async () => {
    const raw = readJsonFixture(single);
    const run = await googleBenchmarkParser.parse(single);
    assert.strictEqual(run.tool, 'google-benchmark');
    assert.strictEqual(run.startedAt, '2026-11-26T23:42:48.000Z');
    assert.deepStrictEqual(run.series.map(s => [s.id, s.group, s.samples?.length, s.summary.n, s.summary.stddev]), [
      ['BM_Sort/64', 'BM_Sort', 1, 1, undefined], // one sample: no spread claimed
      ['BM_Sort/1024', 'BM_Sort', 1, 1, undefined],
      ['BM_StringConcat', 'BM_StringConcat', 1, 1, undefined],
    ]);
    assert.strictEqual(raw.benchmarks[0].time_unit, 'us');
    assert.strictEqual(raw.benchmarks[2].time_unit, 'ns');
    close(run.series[0].summary.mean, raw.benchmarks[0].real_time * 1e-6, 'us → s');
    close(run.series[2].summary.mean, raw.benchmarks[2].real_time * 1e-9, 'ns → s');
    close(run.series[0].extra?.cpuTime as number, raw.benchmarks[0].cpu_time * 1e-6, 'cpu time');
    assert.strictEqual(run.series[0].extra?.items_per_second, raw.benchmarks[0].items_per_second);
    assert.deepStrictEqual(run.machine, { cpuModel: '', cores: 2, os: '', arch: '', runtimes: {} });
    assert.ok(run.notes?.some(n => n.includes('debug build')));
  });

  it('repetitions become samples; the tool aggregates fill the summary', async () => {
    const raw = readJsonFixture(reps);
    const run = await googleBenchmarkParser.parse(reps);
    assert.deepStrictEqual(run.series.map(s => [s.id, s.samples?.length, s.summary.n]), [
      ['BM_Sort/64', 4, 4],
      ['BM_Sort/1024', 4, 4],
      ['BM_StringConcat', 4, 4],
    ]);
    const agg = (name: string, kind: string) =>
      raw.benchmarks.find((b: Record<string, any>) => b.run_name === name && b.aggregate_name === kind);
    for (const s of run.series) {
      const unit = agg(s.id, 'mean').time_unit === 'us' ? 1e-6 : 1e-9;
      close(s.summary.mean, agg(s.id, 'mean').real_time * unit, `${s.id} mean`);
      close(s.summary.median, agg(s.id, 'median').real_time * unit, `${s.id} median`);
      close(s.summary.stddev, agg(s.id, 'stddev').real_time * unit, `${s.id} stddev`);
      assert.strictEqual(s.extra?.cv, agg(s.id, 'cv').real_time); // a ratio, not converted
      const iterations = raw.benchmarks.filter((b: Record<string, any>) => b.run_name === s.id && b.run_type === 'iteration');
      iterations.forEach((b: Record<string, any>, i: number) => close(s.samples?.[i], b.real_time * unit, `${s.id} sample ${i}`));
    }
    close(run.series[0].samples?.[0], 1.9426581849398636e-7, 'BM_Sort/64 first repetition');
  });

  it('is detected by content, also under a misleading name', async () => {
    assert.strictEqual(await detectParser(tmp.copy(reps, 'hyperfine.json')), googleBenchmarkParser);
    assert.strictEqual(await detectParser(tmp.copy(single, 'stats.txt')), googleBenchmarkParser);
  });

  it('refuses an unknown time unit and wrong types with the field path', async () => {
    const f = tmp.editJson(single, 'unit.json', d => (d.benchmarks[1].time_unit = 'fortnights'));
    await rejectsWith(googleBenchmarkParser.parse(f), f, 'unknown time unit "fortnights"', 'benchmarks[1].time_unit');
    const g = tmp.editJson(reps, 'type.json', d => (d.benchmarks[3].real_time = '0.2'));
    await rejectsWith(googleBenchmarkParser.parse(g), 'expected number, got string', 'benchmarks[3].real_time');
  });

  it('turns a benchmark that errored into a note, not a series', async () => {
    const f = tmp.editJson(single, 'err.json', d => {
      d.benchmarks[2].error_occurred = true;
      d.benchmarks[2].error_message = 'out of memory';
    });
    const run = await googleBenchmarkParser.parse(f);
    assert.deepStrictEqual(run.series.map(s => s.id), ['BM_Sort/64', 'BM_Sort/1024']);
    assert.ok(run.notes?.includes('BM_StringConcat failed: out of memory'));
  });
});

describe('ingest: Google Benchmark variants', () => {
  let tmp: TmpDir;
  before(() => (tmp = new TmpDir()));
  after(() => tmp.remove());

  it('--benchmark_report_aggregates_only: summary from aggregates, n from repetitions, no samples', async () => {
    const f = tmp.editJson(reps, 'aggonly.json', d => (d.benchmarks = d.benchmarks.filter((b: Record<string, any>) => b.run_type === 'aggregate')));
    const run = await googleBenchmarkParser.parse(f);
    const full = await googleBenchmarkParser.parse(reps);
    assert.deepStrictEqual(run.series.map(s => [s.id, s.samples, s.summary.n]), [
      ['BM_Sort/64', undefined, 4],
      ['BM_Sort/1024', undefined, 4],
      ['BM_StringConcat', undefined, 4],
    ]);
    run.series.forEach((s, i) => {
      assert.strictEqual(s.summary.mean, full.series[i].summary.mean);
      assert.strictEqual(s.summary.stddev, full.series[i].summary.stddev);
    });
  });

  it('pre-1.5 output (no run_name/run_type): "<name>_mean" rows are aggregates of <name>', async () => {
    const f = tmp.editJson(reps, 'legacy.json', d =>
      d.benchmarks.forEach((b: Record<string, any>) => {
        delete b.run_name;
        delete b.run_type;
        delete b.aggregate_name;
      }),
    );
    const run = await googleBenchmarkParser.parse(f);
    const full = await googleBenchmarkParser.parse(reps);
    assert.deepStrictEqual(run.series.map(s => [s.id, s.samples?.length]), full.series.map(s => [s.id, 4]));
    assert.deepStrictEqual(run.series.map(s => s.summary), full.series.map(s => s.summary));
  });
});
