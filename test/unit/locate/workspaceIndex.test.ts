import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scanIncludes } from '../../../src/core/locate/scan';
import { WorkspaceIndex } from '../../../src/workspace/workspaceIndex';
import { summary, writeFile } from './workspace';

describe('workspace index: scan, then file by file', () => {
  let root: string;
  const write = (rel: string, text: string): void => writeFile(root, rel, text);
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-wsindex-'));
    write('.gitignore', 'generated/\n');
    write('pkg/.gitignore', '*_local.py\n');
    write('tests/test_a.py', 'def test_a():\n    pass\n');
    write('env/pyvenv.cfg', 'home = /usr/bin\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('says which paths the scan would include (folders, venvs, nested .gitignore)', () => {
    assert.ok(scanIncludes(root, 'tests/test_a.py'));
    assert.ok(scanIncludes(root, 'pkg/test_b.py'));
    assert.ok(!scanIncludes(root, 'pkg/test_b_local.py'), 'pkg/.gitignore applies below pkg/');
    assert.ok(scanIncludes(root, 'test_b_local.py'), 'but not above it');
    assert.ok(!scanIncludes(root, 'generated/test_g.py'));
    assert.ok(!scanIncludes(root, 'node_modules/x/a.test.js'));
    assert.ok(!scanIncludes(root, 'env/lib/test_v.py'), 'a folder with pyvenv.cfg is a venv');
    assert.ok(!scanIncludes(root, 'tests/README.md'), 'not a language we locate in');
    assert.ok(scanIncludes(root, 'pkg/sub', true));
    assert.ok(!scanIncludes(root, 'env', true) && !scanIncludes(root, 'generated', true) && !scanIncludes(root, 'a/build', true));
  });

  it('scans, then follows creates, changes and deletes, firing the changed paths', async () => {
    const index = new WorkspaceIndex(root);
    const fired: string[][] = [];
    index.onDidChange(p => fired.push([...p]));
    await index.scan();
    assert.strictEqual(index.status, 'ready');
    assert.deepStrictEqual(index.paths(), ['tests/test_a.py']);
    assert.deepStrictEqual(fired, [['tests/test_a.py']]);

    write('tests/test_a.py', '\n\ndef test_a():\n    pass\n\ndef test_c():\n    pass\n');
    write('src/app.js', "const app = require('express')();\napp.get('/x', (q, s) => s.end());\n");
    write('generated/test_g.py', 'def test_g():\n    pass\n');
    write('pkg/test_b_local.py', 'def test_b():\n    pass\n');
    await Promise.all(['tests/test_a.py', 'src/app.js', 'generated/test_g.py', 'pkg/test_b_local.py'].map(r => index.fileChanged(r)));
    assert.deepStrictEqual(index.paths(), ['src/app.js', 'tests/test_a.py']);
    assert.deepStrictEqual(summary([...index.findings('tests/test_a.py')]), ['test 2/2 tests/test_a.py::test_a', 'test 5/5 tests/test_a.py::test_c']);
    assert.deepStrictEqual(
      index.located().map(l => `${l.file} ${l.finding.id}`),
      ['tests/test_a.py tests/test_a.py::test_a', 'tests/test_a.py tests/test_a.py::test_c', 'src/app.js GET /x'],
    );
    assert.deepStrictEqual(fired.slice(1), [['tests/test_a.py'], ['src/app.js']], 'ignored files fire nothing');

    fs.rmSync(path.join(root, 'tests'), { recursive: true });
    await index.fileDeleted('tests');
    assert.deepStrictEqual(index.paths(), ['src/app.js']);
    fs.rmSync(path.join(root, 'src/app.js'));
    await index.fileChanged('src/app.js'); // a change event racing the delete reads nothing
    assert.deepStrictEqual(index.paths(), []);
    index.dispose();
  });

  it('looks inside a folder that appears whole, with the scan rules', async () => {
    const index = new WorkspaceIndex(root);
    await index.scan();
    write('vendored/tests/test_v.py', 'def test_v():\n    pass\n');
    write('vendored/node_modules/x/a.test.js', "it('x', () => {})\n");
    write('generated/test_g.py', 'def test_g():\n    pass\n');
    await index.folderCreated('vendored');
    await index.folderCreated('generated');
    assert.deepStrictEqual(index.paths(), ['tests/test_a.py', 'vendored/tests/test_v.py']);
  });

  it('keeps to the file bound after the scan too', async () => {
    write('tests/test_b.py', 'def test_b():\n    pass\n');
    const index = new WorkspaceIndex(root, { maxFiles: 2 });
    await index.scan();
    assert.strictEqual(index.paths().length, 2);
    write('tests/test_c.py', 'def test_c():\n    pass\n');
    await index.fileChanged('tests/test_c.py');
    assert.strictEqual(index.paths().length, 2, 'a third file is not located');
    write('tests/test_b.py', 'def test_b2():\n    pass\n');
    await index.fileChanged('tests/test_b.py');
    assert.deepStrictEqual(summary([...index.findings('tests/test_b.py')]), ['test 0/0 tests/test_b.py::test_b2'], 'known files still update');
  });

  it('catches up with files written with no watcher event: those modified since the scan began, with the scan rules', async () => {
    write('tests/test_old.py', 'def test_old():\n    pass\n');
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const rel of ['tests/test_a.py', 'tests/test_old.py', 'pkg/.gitignore', '.gitignore']) fs.utimesSync(path.join(root, rel), hourAgo, hourAgo);
    const index = new WorkspaceIndex(root);
    assert.strictEqual(await index.catchUp(), 0, 'nothing to catch up with before a scan');
    await index.scan();
    const fired: string[][] = [];
    index.onDidChange(p => fired.push([...p]));
    // Written as the window opened: no event reaches the index.
    write('tests/perf/test_new.py', 'def test_new():\n    pass\n');
    write('tests/test_a.py', 'def test_a2():\n    pass\n');
    write('generated/test_g.py', 'def test_g():\n    pass\n');
    write('node_modules/x/a.test.js', "it('x', () => {})\n");
    assert.strictEqual(await index.catchUp(), 2, 'the new file and the edited one; not the untouched or the skipped ones');
    assert.deepStrictEqual(index.paths(), ['tests/perf/test_new.py', 'tests/test_a.py', 'tests/test_old.py']);
    assert.deepStrictEqual(summary([...index.findings('tests/test_a.py')]), ['test 0/0 tests/test_a.py::test_a2']);
    assert.deepStrictEqual(fired.flat().sort(), ['tests/perf/test_new.py', 'tests/test_a.py']);
    assert.strictEqual(await index.catchUp(() => true), 0, 'a cancelled catch-up changes nothing');
    index.dispose();
  });

  it('a cancelled scan leaves the index empty and says so', async () => {
    const index = new WorkspaceIndex(root);
    await index.scan(undefined, () => true);
    assert.strictEqual(index.status, 'cancelled');
    assert.deepStrictEqual(index.paths(), []);
  });
});
