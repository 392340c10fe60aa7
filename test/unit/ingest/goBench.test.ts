import * as assert from 'assert';
import * as fs from 'fs';
import { detectParser } from '../../../src/core/ingest/detect';
import { goBenchTextParser, goTestJsonParser } from '../../../src/core/ingest/goBench';
import { fixture } from '../helpers';
import { close, rejectsWith, TmpDir } from './tmpFiles';

const text = fixture('go', 'bench.txt');
const cpu = fixture('go', 'bench-cpu.txt');
const json = fixture('go', 'test2json.jsonl');
const pkg = 'example.com/svc/parse';

describe('ingest: go test -bench (text and -json)', () => {
  let tmp: TmpDir;
  before(() => (tmp = new TmpDir()));
  after(() => tmp.remove());

  it('text: package-qualified ids without -GOMAXPROCS, -count lines as samples in seconds', async () => {
    const run = await goBenchTextParser.parse(text);
    assert.strictEqual(run.tool, 'go-bench');
    assert.deepStrictEqual(run.series.map(s => [s.id, s.name, s.group, s.samples?.length]), [
      [`${pkg}.BenchmarkParse/small`, 'BenchmarkParse/small', pkg, 3],
      [`${pkg}.BenchmarkParse/size-100`, 'BenchmarkParse/size-100', pkg, 3], // a dash inside a sub-benchmark name survives
      [`${pkg}.BenchmarkJoin`, 'BenchmarkJoin', pkg, 3],
    ]);
    const small = run.series[0];
    // bench.txt: 982.1, 271.0 and 1011 ns/op
    [982.1e-9, 271.0e-9, 1011e-9].forEach((v, i) => close(small.samples?.[i], v, `sample ${i}`));
    close(small.summary.mean, (982.1e-9 + 271.0e-9 + 1011e-9) / 3, 'mean');
    close(small.summary.median, 982.1e-9, 'median');
    close(small.summary.min, 271e-9, 'min');
    assert.deepStrictEqual(small.extra, { procs: 2, iterations: 2000, 'B/op': 240, 'allocs/op': 2 });
    assert.deepStrictEqual(run.series[2].extra, { procs: 2, iterations: 2000, 'B/op': 640, 'allocs/op': 48 });
    assert.deepStrictEqual(run.machine, { cpuModel: 'Oxide Virtual Turin-like Processor', cores: 0, os: 'linux x64', arch: 'x64', runtimes: {} });
    assert.strictEqual(run.durationSec, 0.099);
  });

  it('text: -cpu 1,2 keeps one series per GOMAXPROCS (no suffix for 1)', async () => {
    const run = await goBenchTextParser.parse(cpu);
    assert.deepStrictEqual(run.series.map(s => [s.id, s.extra?.procs, s.samples?.length]), [
      [`${pkg}.BenchmarkJoin`, 1, 2],
      [`${pkg}.BenchmarkJoin-2`, 2, 2],
    ]);
    close(run.series[1].samples?.[1], 1047e-9, 'BenchmarkJoin-2 second sample');
  });

  it('-json: rebuilds benchmark lines split across output events', async () => {
    const run = await goTestJsonParser.parse(json);
    assert.strictEqual(run.startedAt, '2026-11-26T23:42:30.411Z');
    assert.deepStrictEqual(run.series.map(s => [s.id, s.samples?.length, s.extra?.procs]), [
      [`${pkg}.BenchmarkParse/small`, 2, 2],
      [`${pkg}.BenchmarkParse/size-100`, 2, 2],
      [`${pkg}.BenchmarkJoin`, 2, 2],
    ]);
    // "BenchmarkParse/size-100-2      \t" + "    2000\t     10138 ns/op\t    2688 B/op ..." in two events
    close(run.series[1].samples?.[0], 10138e-9, 'split line');
    assert.strictEqual(run.series[1].extra?.['B/op'], 2688);
  });

  it('is detected by content, also under misleading names', async () => {
    assert.strictEqual(await detectParser(tmp.copy(text, 'results.json')), goBenchTextParser);
    assert.strictEqual(await detectParser(tmp.copy(cpu, 'locust_stats.csv')), goBenchTextParser);
    assert.strictEqual(await detectParser(tmp.copy(json, 'bench.txt')), goTestJsonParser);
  });

  it('reports the line of a broken event or benchmark line', async () => {
    const lines = fs.readFileSync(json, 'utf8').split('\n');
    lines.splice(7, 0, '{"Time":"2026-11-26T23:42:30Z","Action":"output"');
    const f = tmp.write('broken.jsonl', lines.join('\n'));
    await rejectsWith(goTestJsonParser.parse(f), `${f}:8:`, 'invalid JSON event');
    const g = tmp.write('odd.txt', 'pkg: x\nBenchmarkA-2   100   12 ns/op  7\n');
    await rejectsWith(goBenchTextParser.parse(g), `${g}:2:`, 'value/unit pairs');
    const h = tmp.write('nonum.txt', 'BenchmarkA-2   100   fast ns/op\n');
    await rejectsWith(goBenchTextParser.parse(h), `${h}:1:`, '"fast"');
  });

  it('streams: no size limit applies, empty and binary files are still refused', async () => {
    assert.strictEqual((await goTestJsonParser.parse(json, { maxBytes: 100 })).series.length, 3);
    await rejectsWith(goBenchTextParser.parse(tmp.write('empty.txt', '')), 'empty.txt', 'file is empty');
    await rejectsWith(goTestJsonParser.parse(tmp.write('bin.jsonl', Buffer.from([0x7b, 0, 1, 2, 0xff]))), 'bin.jsonl', 'binary');
  });

  it('says so when a stream holds no benchmark results', async () => {
    const f = tmp.write('nobench.jsonl', '{"Time":"2026-11-26T23:42:30Z","Action":"output","Package":"p","Output":"PASS\\n"}\n');
    await rejectsWith(goTestJsonParser.parse(f), 'no benchmark results found');
  });
});

describe('ingest: go test -bench over several packages', () => {
  let tmp: TmpDir;
  before(() => (tmp = new TmpDir()));
  after(() => tmp.remove());

  it('qualifies ids by the pkg: line in force (go test ./... prints one block per package)', async () => {
    const block = fs.readFileSync(text, 'utf8');
    const f = tmp.write('multi.txt', block + block.replace(/example\.com\/svc\/parse/g, 'example.com/svc/other'));
    const run = await goBenchTextParser.parse(f);
    assert.deepStrictEqual(
      run.series.map(s => s.id),
      ['parse', 'other'].flatMap(p => ['BenchmarkParse/small', 'BenchmarkParse/size-100', 'BenchmarkJoin'].map(b => `example.com/svc/${p}.${b}`)),
    );
    assert.ok(Math.abs((run.durationSec ?? 0) - 0.198) < 1e-9);
  });
});
