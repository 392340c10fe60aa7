import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { narrowCommand, shellQuote } from '../../../src/core/config/suiteCommand';
import type { RegressionSuite } from '../../../src/core/config/projectConfig';

const suite = (command: string, runOne?: string): RegressionSuite => ({
  name: 's', kind: 'regression', cwd: '.', results: ['r.json'], format: 'auto', env: {}, command, runOne,
});

describe('suite commands narrowed to one benchmark', () => {
  it('uses pytest -k, go test -bench anchors and mocha --grep', () => {
    assert.strictEqual(
      narrowCommand(suite('python3 -m pytest tests/perf --benchmark-json=.perf/results/b.json'), { id: 'tests/perf/t.py::test_sort[10]', name: 'test_sort', file: 'tests/perf/t.py' }),
      'python3 -m pytest tests/perf --benchmark-json=.perf/results/b.json -k test_sort',
    );
    assert.strictEqual(
      narrowCommand(suite('go test -bench . -benchmem ./... > .perf/results/go.txt'), { id: 'BenchmarkParse/small', name: 'BenchmarkParse', file: 'p_test.go' }),
      "go test -bench . -benchmem ./... > .perf/results/go.txt -run '^$' -bench '^BenchmarkParse$'",
    );
    assert.strictEqual(
      narrowCommand(suite('npx mocha --reporter json > out.json'), { id: 'api serialises (fast)', name: 'serialises', file: 'a.test.js' }),
      "npx mocha --reporter json > out.json --grep 'api serialises \\(fast\\)'",
    );
    assert.strictEqual(narrowCommand(suite('hyperfine --export-json r.json "sort x"'), { id: 'sort x', name: 'sort x', file: '' }), undefined);
  });

  it('fills a runOne template with shell-quoted values', () => {
    assert.strictEqual(
      narrowCommand(suite('x', 'run-bench --only {id} --file {file}'), { id: "it's [1]", name: 'n', file: 'a b.py' }),
      `run-bench --only 'it'\\''s [1]' --file 'a b.py'`,
    );
  });

  it('quotes so that a real shell reads back the exact word', () => {
    for (const word of ["it's", 'a b', '$(rm -rf /)', '`x`', 'plain', '"q"', 'x;y', '^B$']) {
      assert.strictEqual(execFileSync('sh', ['-c', `printf %s ${shellQuote(word)}`], { encoding: 'utf8' }), word);
    }
  });
});
