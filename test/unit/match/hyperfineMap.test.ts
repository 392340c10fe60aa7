// hyperfine results mapped to code through the suite config: `map` for --command-name names,
// the script a plain command runs otherwise. The results are real hyperfine output
// (test/workspaces/hyperfine-map/generate.sh).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseProjectConfig } from '../../../src/core/config/projectConfig';
import { mappedTarget, parseScriptTarget, scriptOfCommand } from '../../../src/core/match/benchmark';
import { DocumentItems } from '../../../src/workspace/documentItems';
import { ResultsStore } from '../../../src/workspace/resultsStore';
import { workspace } from '../locate/workspace';

describe('match: hyperfine commands and names → code', () => {
  it('finds the script a command line runs, relative to the suite cwd', () => {
    assert.strictEqual(scriptOfCommand('/usr/bin/python3 bench/textops.py sort 20000'), 'bench/textops.py');
    assert.strictEqual(scriptOfCommand('PYTHONHASHSEED=0 python3 -u ./bench/x.py'), 'bench/x.py');
    assert.strictEqual(scriptOfCommand('node scripts/startup.js --fast', 'tools'), 'tools/scripts/startup.js');
    assert.strictEqual(scriptOfCommand('python -m bench.sorting 10'), 'bench/sorting.py');
    assert.strictEqual(scriptOfCommand('node ../x.js'), undefined, 'outside the workspace folder');
    assert.strictEqual(scriptOfCommand('/usr/bin/python3 -c pass'), undefined);
    assert.strictEqual(scriptOfCommand('./target/release/app --bench'), undefined);
    assert.strictEqual(scriptOfCommand('python3 /opt/x.py'), undefined, 'absolute paths are not in the workspace');
  });

  it('reads map targets and refuses paths outside the workspace', () => {
    assert.deepStrictEqual(parseScriptTarget('bench/textops.py::Codec.roundtrip'), { file: 'bench/textops.py', symbol: 'Codec.roundtrip' });
    assert.deepStrictEqual(parseScriptTarget('./scripts/startup.js'), { file: 'scripts/startup.js' });
    assert.strictEqual(parseScriptTarget('/abs/x.py::f'), undefined);
    assert.strictEqual(parseScriptTarget('../x.py'), undefined);
    assert.strictEqual(parseScriptTarget('x.py::not a name'), undefined);
  });

  it('prefers the suite map, derives from the command for hyperfine only', () => {
    const suite = { cwd: '.', map: { sort: 'bench/textops.py::sort_numbers' } };
    assert.deepStrictEqual(mappedTarget('sort', 'hyperfine', suite), { file: 'bench/textops.py', symbol: 'sort_numbers' });
    assert.deepStrictEqual(mappedTarget('node scripts/startup.js', 'hyperfine', suite), { file: 'scripts/startup.js' });
    assert.strictEqual(mappedTarget('node scripts/startup.js', 'pytest-benchmark', suite), undefined);
  });

  it('names the config file and field of a bad map entry', () => {
    const config = { version: 1, suites: { cli: { kind: 'regression', command: 'hyperfine x', results: 'r.json', map: { sort: '/abs/bench.py::f' } } } };
    assert.throws(() => parseProjectConfig('/w/perf-lens.config.json', config), (e: Error) => /perf-lens\.config\.json/.test(e.message) && /map/.test(e.message) && /sort/.test(e.message));
  });

  describe('real hyperfine results in the editor model', () => {
    let root: string;
    let store: ResultsStore;
    const documents = new DocumentItems();
    before(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-hyperfine-map-'));
      fs.cpSync(workspace('hyperfine-map'), root, { recursive: true });
      store = new ResultsStore(root);
      await store.reload();
      await store.ingest(path.join(root, 'hyperfine.json'), { suite: 'cli' });
    });
    after(() => {
      documents.dispose();
      store.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    });

    const items = async (rel: string) =>
      (await documents.items({ key: rel, version: 1, relPath: rel, text: () => fs.readFileSync(path.join(root, rel), 'utf8') }, store))
        .filter(i => i.states.length)
        .map(i => `${i.finding.nameRange.start.line} ${i.finding.name}: ${i.states.map(s => s.id).join(', ')}`);

    it('puts --command-name results on the mapped function and method', async () => {
      assert.deepStrictEqual(await items('bench/textops.py'), ['5 sort_numbers: sort', '10 Codec.roundtrip: json']);
    });

    it('puts an unnamed `node script.js` command on that script; an inline -c command nowhere', async () => {
      assert.deepStrictEqual(await items('scripts/startup.js'), ['1 startup.js: node scripts/startup.js']);
      assert.ok(store.get('/usr/bin/python3 -c pass'), 'the inline command is a stored series all the same');
    });
  });
});
