import * as assert from 'assert';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { detectParser, ingestFile } from '../../../src/core/ingest/detect';
import { lineColumnAt, parseJson, readJson, summarize } from '../../../src/core/ingest/json';
import { parsers } from '../../../src/core/ingest/registry';
import { fixture } from '../helpers';
import { rejectsWith, TmpDir } from './tmpFiles';

/** Part-1 fixtures and the format each must be detected as. */
const FIXTURES: [string[], string][] = [
  [['pytest-benchmark', 'stats.json'], 'pytest-benchmark --benchmark-json'],
  [['pytest-benchmark', 'no-git.json'], 'pytest-benchmark --benchmark-json'],
  [['hyperfine', 'basic.json'], 'hyperfine --export-json'],
  [['hyperfine', 'params.json'], 'hyperfine --export-json'],
  [['go', 'bench.txt'], 'go test -bench text output'],
  [['go', 'bench-cpu.txt'], 'go test -bench text output'],
  [['go', 'test2json.jsonl'], 'go test -json stream'],
  [['google-benchmark', 'single.json'], 'Google Benchmark --benchmark_format=json'],
  [['google-benchmark', 'repetitions.json'], 'Google Benchmark --benchmark_format=json'],
  [['perf-lens', 'run.json'], 'Perf Lens run (perf-lens-run JSON)'],
];

describe('ingest: detection and shared JSON reading', () => {
  let tmp: TmpDir;
  before(() => (tmp = new TmpDir()));
  after(() => tmp.remove());

  it('detects every fixture by content, with every registered parser competing', async () => {
    for (const [parts, format] of FIXTURES) {
      assert.strictEqual((await detectParser(fixture(...parts))).format, format, parts.join('/'));
      // Renamed to a name that suggests another tool: content still decides.
      const renamed = tmp.copy(fixture(...parts), `locust_stats_${parts[0]}.csv`);
      assert.strictEqual((await detectParser(renamed)).format, format, `${parts.join('/')} renamed`);
    }
  });

  it('ingestFile parses every fixture and records the source', async () => {
    for (const [parts] of FIXTURES) {
      const run = await ingestFile(fixture(...parts));
      assert.strictEqual(run.source, fixture(...parts));
      assert.ok(run.series.length > 0, parts.join('/'));
    }
  });

  it('refuses an empty file, binary garbage and unknown text, listing the known formats', async () => {
    await rejectsWith(ingestFile(tmp.write('empty.json', '')), 'empty.json', 'file is empty');
    await rejectsWith(ingestFile(tmp.write('garbage.json', randomBytes(4096))), 'garbage.json', 'binary');
    const e = await rejectsWith(ingestFile(tmp.write('notes.txt', 'hello\nworld\n')), 'notes.txt', 'unrecognised result format');
    for (const p of parsers) assert.ok(e.message.includes(p.format), `lists ${p.format}`);
    await rejectsWith(ingestFile(tmp.dir + '/missing.json'), 'missing.json', 'cannot open');
    await rejectsWith(ingestFile(tmp.dir), tmp.dir, 'cannot read');
  });

  it('refuses a file above maxBytes before reading it', async () => {
    const f = fixture('pytest-benchmark', 'stats.json');
    await rejectsWith(ingestFile(f, { maxBytes: 1000 }), f, 'above the 1000 B limit');
    assert.ok((await ingestFile(f, { maxBytes: fs.statSync(f).size })).series.length === 3);
  });

  it('locates JSON syntax errors by line and column, with or without a V8 position', () => {
    const cases: [string, number, number, RegExp][] = [
      ['{\n  "a": }', 2, 8, /invalid JSON: Unexpected token '}'/], // V8 gives no position here
      ['{\n  "a": 1\n  "b": 2}', 3, 3, /invalid JSON/],
      ['[1,\n2,', 2, 3, /truncated JSON/],
      ['{"a": "x', 1, 9, /truncated JSON/],
      ['{"a": 1} x', 1, 10, /invalid JSON/],
    ];
    for (const [text, line, column, what] of cases) {
      assert.throws(() => parseJson('f.json', text), (e: Error) => {
        assert.match(e.message, what);
        assert.ok(e.message.startsWith(`f.json:${line}: `), e.message);
        assert.ok(e.message.includes(`line ${line}, column ${column}`), `${JSON.stringify(text)}: ${e.message}`);
        return true;
      });
    }
    assert.deepStrictEqual(lineColumnAt('ab\ncd', 4), { line: 2, column: 2 });
  });

  it('strips a UTF-8 byte order mark', async () => {
    assert.deepStrictEqual(await readJson(tmp.write('bom.json', '\ufeff{"a":1}')), { a: 1 });
  });

  it('summarize: sample stddev, even-count median, no stddev for one sample', () => {
    assert.deepStrictEqual(summarize([4, 1, 3, 2]), { n: 4, mean: 2.5, median: 2.5, stddev: Math.sqrt(5 / 3), min: 1, max: 4 });
    assert.deepStrictEqual(summarize([7]), { n: 1, mean: 7, median: 7, min: 7, max: 7 });
  });
});
