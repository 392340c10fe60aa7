import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { engineInvocation, narrowCommand, resultFolders, shellQuote } from '../../../src/core/config/suiteCommand';
import { parseProjectConfig, type RegressionSuite } from '../../../src/core/config/projectConfig';

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

describe('engine invocations for builtin load and memory suites', () => {
  const config = parseProjectConfig('/ws/perf-lens.config.json', {
    suites: {
      api: { kind: 'load', engine: 'builtin', scenario: 'perf/scenario.json', target: 'http://127.0.0.1:3000', durationSec: 20 },
      mem: { kind: 'memory', command: 'node server.js --leak', load: 'api', intervalMs: 100 },
      solo: { kind: 'memory', command: 'node job.js', durationSec: 30, results: 'out/mem.json' },
      soak: { kind: 'memory', command: 'node server.js', load: 'api', durationSec: 90 },
      ext: { kind: 'load', engine: 'k6', command: 'k6 run --summary-export=.perf/results/k6.json s.js', results: '.perf/results/k6.json' },
    },
  });
  const suite = (name: string) => config.suites.find(s => s.name === name) as (typeof config.suites)[number];

  it('runs the load engine on the scenario, with the suite target and duration, and its V8 flags', () => {
    assert.deepStrictEqual(engineInvocation(suite('api'), config, { progressJson: true }), {
      script: 'loadMain.js',
      nodeFlags: ['--max-semi-space-size=64', '--min-semi-space-size=64'],
      out: '.perf/results/api.json',
      args: ['--scenario', 'perf/scenario.json', '--out', '.perf/results/api.json', '--suite', 'api', '--progress-json', '--target', 'http://127.0.0.1:3000', '--duration', '20'],
    });
    assert.ok(!engineInvocation(suite('api'), config)?.args.includes('--progress-json'), 'a task terminal gets the progress bar');
  });

  it('wraps a memory suite command in the sampler, driving the named load suite (its target and duration win, as in the load suite)', () => {
    assert.deepStrictEqual(engineInvocation(suite('mem'), config, { progressJson: true })?.args, [
      '--out', '.perf/results/mem.json', '--suite', 'mem', '--progress-json', '--interval', '100', '--load', 'perf/scenario.json', '--load-duration', '20', '--load-target', 'http://127.0.0.1:3000', '--', 'sh', '-c', 'node server.js --leak',
    ]);
    const soak = engineInvocation(suite('soak'), config)?.args ?? [];
    assert.strictEqual(soak[soak.indexOf('--load-duration') + 1], '90', 'the memory suite\'s own durationSec drives the load that long');
    assert.ok(!soak.includes('--duration'));
    assert.deepStrictEqual(engineInvocation(suite('solo'), config)?.args.slice(0, 2), ['--out', 'out/mem.json']);
    assert.ok(engineInvocation(suite('solo'), config)?.args.includes('--duration'));
  });

  it('leaves suites that run their own tool alone', () => {
    assert.strictEqual(engineInvocation(suite('ext'), config), undefined);
  });
});

describe('result folders created before a run', () => {
  it('are the literal folders of result files and of globs, once each, never the workspace itself', () => {
    const s = { ...suite('x'), results: ['.perf/results/a.json', '.perf/results/b.json', 'out/**/*.json', 'reports/{x,y}/r.csv', 'top.json', 'data/[ab].csv'] };
    assert.deepStrictEqual(resultFolders(s), ['.perf/results', 'out', 'reports', 'data']);
  });
});
