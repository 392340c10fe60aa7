// Mutants the fuzzer (bench/fuzz-parsers.ts) found breaking the parser contract, kept as small
// files in test/fixtures/fuzz/ (see its README for seed and case of each). Before the fixes each
// was either an uncaught exception or an accepted run with an invalid model.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ingestFile } from '../../../src/core/ingest/detect';
import { IngestError } from '../../../src/core/ingest/types';
import { modelProblems } from '../../../bench/fuzz/contract';
import { fixture } from '../helpers';

interface Found {
  file: string;
  what: string;
  /** The field (or line) the rejection must name, or 'accepted' when the mutant is valid input. */
  expect: RegExp | number | 'accepted';
  /** Text the message must contain. */
  says?: RegExp;
}

const FOUND: Found[] = [
  { file: 'hyperfine-2pow64/params.json', what: 'hyperfine time of 2^64 s (was: uncaught RangeError: Invalid time value)', expect: 'accepted' },
  { file: 'hyperfine-negative-2pow64/params.json', what: 'hyperfine time of -2^64 s (was: uncaught RangeError)', expect: /^series\[\d+\]\.samples\[\d+\]$/, says: /negative/ },
  { file: 'perf-lens-unit-mismatch/run.json', what: 'perf-lens duration series in bytes', expect: /^series\[0\]\.unit$/, says: /does not fit metric duration/ },
  { file: 'google-benchmark-1e400-extra/single.json', what: 'Google Benchmark items_per_second 1e400 (Infinity after JSON.parse)', expect: /^series\[0\]\.extra\.items_per_second$/, says: /not a finite number/ },
  { file: 'pytest-benchmark-negative-sample/no-git.json', what: 'pytest-benchmark negative round time', expect: /^series\[0\]\.samples\[2\]$/, says: /negative/ },
  { file: 'go-text-negative-nsop/bench.txt', what: 'go test -bench line with -1011 ns/op', expect: 7, says: /negative time -1011 ns\/op/ },
  { file: 'go-json-negative-nsop/test2json.jsonl', what: 'test2json output event with -7503 ns/op', expect: 12, says: /negative time -7503 ns\/op/ },
  { file: 'go-text-huge-iterations/bench.txt', what: 'Go iteration count of 400 digits (Infinity)', expect: /\.extra\.iterations$/, says: /not a finite number/ },
  { file: 'k6-negative-fails/summary-export-v1.json', what: 'k6 rate metric with fails -300', expect: /^series\[\d+\]\.summary\.n$/, says: /negative/ },
  { file: 'locust-negative-mean/run_stats.csv', what: 'Locust negative Average Response Time', expect: /^series\[\d+\]\.summary\.mean$/, says: /negative/ },
  { file: 'locust-negative-2pow64-timestamp/run_stats.csv', what: 'Locust history Timestamp -2^64 (was: uncaught RangeError)', expect: /^Timestamp$/, says: /not a date/ },
  { file: 'autocannon-negative-stddev/result.json', what: 'autocannon negative latency stddev', expect: /^series\[0\]\.summary\.stddev$/, says: /negative/ },
  { file: 'vitest-negative-mean/result.json', what: 'vitest bench negative mean', expect: /^series\[0\]\.summary\.mean$/, says: /negative/ },
];

describe('fuzz regressions: mutants that once broke the parser contract', () => {
  for (const f of FOUND) {
    it(f.what, async () => {
      const file = fixture('fuzz', f.file);
      let outcome: unknown;
      try {
        const run = await ingestFile(file);
        assert.strictEqual(f.expect, 'accepted', `accepted, but should be refused: ${f.file}`);
        assert.deepStrictEqual(modelProblems(run), []);
        return;
      } catch (e) {
        outcome = e;
      }
      assert.ok(outcome instanceof IngestError, `not an IngestError: ${String(outcome)}`);
      assert.notStrictEqual(f.expect, 'accepted', `refused: ${outcome.message}`);
      assert.ok(outcome.message.startsWith(outcome.file) && outcome.file.startsWith(fixture('fuzz')), outcome.message);
      if (typeof f.expect === 'number') assert.strictEqual(outcome.where?.line, f.expect, outcome.message);
      else if (f.expect !== 'accepted') assert.match(outcome.where?.field ?? '', f.expect, outcome.message);
      if (f.says) assert.match(outcome.message, f.says);
    });
  }
});

describe('fuzz regressions: inputs that once hung a parser', function () {
  // A hang shows as this timeout; the fixed parsers take milliseconds.
  this.timeout(10_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-fuzz-hang-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('go test -bench: a config line with 285k spaces inside (was: regex backtracking, over a minute; seed 1, go-text case 624)', async () => {
    // Built from the real fixture rather than stored: the mutant is 285 KB of spaces.
    const real = fs.readFileSync(fixture('go', 'bench.txt'), 'utf8');
    const file = path.join(dir, 'bench.txt');
    fs.writeFileSync(file, real.replace(/^pkg: example\.com\/svc\/par/m, m => m + ' '.repeat(285_000) + 'x'));
    const run = await ingestFile(file);
    assert.ok(run.series.length > 0);
    assert.deepStrictEqual(modelProblems(run), []);
  });
});

