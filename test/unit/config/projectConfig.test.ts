import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadProjectConfig, parseProjectConfig, CONFIG_FILE } from '../../../src/core/config/projectConfig';
import { repoRoot } from '../helpers';

const F = '/ws/perf-lens.config.json';

function fails(value: unknown, message: RegExp): void {
  assert.throws(() => parseProjectConfig(F, value), (e: Error) => {
    assert.match(e.message, message);
    assert.ok(e.message.startsWith(F), e.message);
    return true;
  });
}

describe('project config (perf-lens.config.json)', () => {
  it('reads suites of every kind, budgets and verdict rules', () => {
    const cfg = parseProjectConfig(F, {
      version: 1,
      suites: {
        api: { kind: 'regression', command: 'pytest tests/perf --benchmark-json=.perf/results/api.json', results: '.perf/results/api.json' },
        load: { kind: 'load', engine: 'builtin', scenario: 'perf/scenario.json', target: 'http://127.0.0.1:8000', durationSec: 30 },
        mem: { kind: 'memory', command: 'node server.js', durationSec: 60, load: 'load', env: { LEAK: '1' } },
      },
      budgets: [{ match: 'GET /api/**', p95: 0.2, errorRate: 0.01 }],
      verdict: { threshold: 0.1, hardLimit: 1.5 },
    });
    assert.deepStrictEqual(cfg.suites.map(s => [s.name, s.kind]), [['api', 'regression'], ['load', 'load'], ['mem', 'memory']]);
    assert.deepStrictEqual(cfg.suites[0].results, ['.perf/results/api.json']);
    assert.strictEqual(cfg.suites[0].format, 'auto');
    assert.strictEqual(cfg.suites[1].cwd, '.');
    assert.deepStrictEqual(cfg.suites[2].env, { LEAK: '1' });
    assert.deepStrictEqual(cfg.budgets, [{ match: 'GET /api/**', p95: 0.2, errorRate: 0.01 }]);
    assert.deepStrictEqual(cfg.verdict, { threshold: 0.1, hardLimit: 1.5, autoUpdateOnImprovement: undefined });
  });

  it('defaults an empty file to no suites and the 5% threshold', () => {
    const cfg = parseProjectConfig(F, {});
    assert.deepStrictEqual([cfg.suites, cfg.budgets, cfg.verdict.threshold], [[], [], 0.05]);
  });

  it('names the field of every mistake', () => {
    fails([], /expected object, got array/);
    fails({ version: 2 }, /unsupported version 2.*\(field version\)/);
    fails({ suites: { a: { kind: 'speed' } } }, /"speed" is not one of regression, memory, load, frontend \(field suites\.a\.kind\)/);
    fails({ suites: { a: { kind: 'regression', results: 'r.json' } } }, /missing \(expected string\) \(field suites\.a\.command\)/);
    fails({ suites: { a: { kind: 'regression', command: 'x' } } }, /names the result file.*\(field suites\.a\.results\)/);
    fails({ suites: { a: { kind: 'regression', command: 'x', results: '../out.json' } } }, /inside the workspace folder \(field suites\.a\.results\)/);
    fails({ suites: { a: { kind: 'regression', command: 'x', results: ['r.json'], comand: 'y' } } }, /unknown setting.*\(field suites\.a\.comand\)/);
    fails({ suites: { a: { kind: 'load', engine: 'builtin' } } }, /needs a scenario file, or give a command\) \(field suites\.a\.scenario\)/);
    fails({ suites: { a: { kind: 'load', engine: 'k6' } } }, /runs your command\) \(field suites\.a\.command\)/);
    fails({ suites: { a: { kind: 'load', engine: 'builtin', scenario: 's.json', target: 'ftp://x' } } }, /not an http\(s\) URL \(field suites\.a\.target\)/);
    fails({ suites: { a: { kind: 'load', engine: 'builtin', scenario: 's.json', workers: 2 } } }, /only the locust engine runs workers/);
    fails({ suites: { m: { kind: 'memory', command: 'x', load: 'nope' } } }, /"nope" is not a load suite of this file \(field suites\.m\.load\)/);
    fails({ suites: { 'bad name': { kind: 'memory', command: 'x' } } }, /suite name "bad name"/);
    fails({ suites: { m: { kind: 'memory', command: 'x', durationSec: -1 } } }, /positive number, got -1 \(field suites\.m\.durationSec\)/);
    fails({ budgets: [{ match: 'x', p95: '200ms' }] }, /budgets\[0\]\.p95 must be a number ≥ 0/);
    fails({ budgets: [{ match: 'x', p90: 1 }] }, /budgets\[0\]\.p90 is not a budget/);
    fails({ verdict: { hardLimit: 0.5 } }, /ratio above 1, e.g. 1.5 \(field verdict\.hardLimit\)/);
  });

  it('serve: a command (string) or object; its url defaults to the suite\'s own target; mistakes name the field', () => {
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      const cfg = parseProjectConfig(F, {
        suites: {
          api: { kind: 'load', engine: 'builtin', scenario: 's.json', target: 'http://127.0.0.1:8000/api', serve: 'uvicorn app.main:app --port 8000' },
          pages: { kind: 'frontend', urls: ['http://localhost:5173/', 'http://localhost:5173/about'], serve: { command: 'npm run preview', timeoutSec: 60, reuseExisting: false } },
          bench: { kind: 'regression', command: 'pytest', results: 'r.json', serve: { command: 'node server.js', url: 'http://127.0.0.1:3000/health' } },
          plain: { kind: 'load', engine: 'builtin', scenario: 's.json' },
        },
      });
      assert.deepStrictEqual(cfg.suites.map(s => s.serve), [
        { command: 'uvicorn app.main:app --port 8000', url: 'http://127.0.0.1:8000/api', timeoutSec: 30, reuseExisting: true },
        { command: 'npm run preview', url: 'http://localhost:5173/', timeoutSec: 60, reuseExisting: false },
        { command: 'node server.js', url: 'http://127.0.0.1:3000/health', timeoutSec: 30, reuseExisting: true },
        undefined,
      ]);
      assert.ok(!('serve' in cfg.suites[3]), 'no serve: no key');
      process.env.CI = 'true';
      const ci = parseProjectConfig(F, { suites: { api: { kind: 'load', engine: 'builtin', scenario: 's.json', target: 'http://127.0.0.1:8000', serve: 'x' } } });
      assert.strictEqual(ci.suites[0].serve?.reuseExisting, false, 'in CI a stale server on the port is an error, not measured');
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
    const load = { kind: 'load', engine: 'builtin', scenario: 's.json', target: 'http://127.0.0.1:8000' };
    fails({ suites: { b: { kind: 'regression', command: 'x', results: 'r.json', serve: 'node server.js' } } }, /missing the url to wait for.*\(field suites\.b\.serve\)/);
    fails({ suites: { m: { kind: 'memory', command: 'x', serve: 'y' } } }, /memory suite starts its own command.*\(field suites\.m\.serve\)/);
    fails({ suites: { a: { ...load, serve: { command: 'x', url: 'http://example.com/' } } } }, /not a local http\(s\) URL.*\(field suites\.a\.serve\.url\)/);
    fails({ suites: { a: { ...load, serve: { command: ' ' } } } }, /expected the command that starts the service \(field suites\.a\.serve\.command\)/);
    fails({ suites: { a: { ...load, serve: { command: 'x', timeoutSec: 0 } } } }, /between 0 and 600, got 0 \(field suites\.a\.serve\.timeoutSec\)/);
    fails({ suites: { a: { ...load, serve: { command: 'x', port: 1 } } } }, /unknown setting.*\(field suites\.a\.serve\.port\)/);
  });

  it('loads from a workspace folder: absent → undefined, broken JSON → located error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-config-'));
    assert.strictEqual(await loadProjectConfig(dir), undefined);
    fs.writeFileSync(path.join(dir, CONFIG_FILE), '{\n  "suites": {\n    "a": { "kind": "load", }\n  }\n}\n');
    await assert.rejects(loadProjectConfig(dir), /perf-lens\.config\.json:3/);
    fs.writeFileSync(path.join(dir, CONFIG_FILE), JSON.stringify({ suites: { a: { kind: 'memory', command: 'node x.js' } } }));
    assert.strictEqual((await loadProjectConfig(dir))?.suites[0].name, 'a');
  });

  it('keeps the contributed JSON schema in step with the parser', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'media', 'perf-lens.config.schema.json'), 'utf8'));
    const suiteKeys = Object.keys(schema.properties.suites.additionalProperties.properties).sort();
    const source = fs.readFileSync(path.join(repoRoot, 'src', 'core', 'config', 'projectConfig.ts'), 'utf8');
    // The suite parsers list their accepted keys in unknownKeys(node, ['kind', …]) calls.
    const parserKeys = new Set<string>();
    for (const m of source.matchAll(/unknownKeys\(node, \[('kind'[^\]]+)\]\)/g)) for (const k of m[1].matchAll(/'(\w+)'/g)) parserKeys.add(k[1]);
    assert.deepStrictEqual([...parserKeys].sort(), suiteKeys);
    assert.deepStrictEqual(Object.keys(schema.properties).sort(), ['$schema', 'budgets', 'history', 'suites', 'verdict', 'version']);
  });
});
