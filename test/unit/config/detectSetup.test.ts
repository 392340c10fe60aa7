import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { detectSetups, proposedConfig } from '../../../src/core/config/detectSetup';
import { parseProjectConfig } from '../../../src/core/config/projectConfig';
import { repoRoot } from '../helpers';

const ws = (name: string) => path.join(repoRoot, 'test', 'workspaces', name);

describe('detecting existing setups without a config', () => {
  it('finds pytest-benchmark tests and the locustfile of the FastAPI service', async () => {
    const found = await detectSetups(ws('fastapi-service'));
    assert.deepStrictEqual(found.map(f => f.name), ['benchmarks', 'load']);
    assert.strictEqual(found[0].evidence, 'pytest-benchmark tests in tests/performance/');
    assert.match(String(found[1].suite.command), /^locust -f locustfile\.py --headless .* --csv \.perf\/results\/locust --csv-full-history$/);
  });

  it('finds Go benchmarks', async () => {
    const found = await detectSetups(ws('go-service'));
    assert.deepStrictEqual(found.map(f => [f.name, f.evidence]), [['go-bench', 'Go benchmarks in main_test.go']]);
  });

  it('proposes nothing where there is nothing, and ignores look-alikes in node_modules', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-detect-'));
    fs.mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'x', 'test_x.py'), 'def test_a(benchmark):\n    pass\n');
    fs.writeFileSync(path.join(dir, 'test_plain.py'), 'def test_a():\n    assert "benchmark"\n');
    assert.deepStrictEqual(await detectSetups(dir), []);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'mocha', 'bench:api': 'node bench.js' } }));
    assert.deepStrictEqual((await detectSetups(dir)).map(f => f.suite.command), ['npm run bench:api']);
  });

  it('writes a config the parser accepts', async () => {
    const found = [...(await detectSetups(ws('fastapi-service'))), ...(await detectSetups(ws('go-service')))];
    const cfg = parseProjectConfig('/p/perf-lens.config.json', JSON.parse(proposedConfig(found)));
    assert.deepStrictEqual(cfg.suites.map(s => `${s.name}:${s.kind}`), ['benchmarks:regression', 'load:load', 'go-bench:regression']);
  });
});
