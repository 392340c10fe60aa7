// The Problems panel covers files that were never opened: the workspace index (scanned in a
// worker thread, kept fresh by a watcher) locates the benchmark in every file it covers and
// skips .gitignore'd folders, node_modules and virtual envs. The benchmark file and its real
// pytest-benchmark output come from test/fixtures/pytest-benchmark/ (regenerated there).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { untilTrue, workspaceUri } from '../../util';

const repo = path.resolve(__dirname, '..', '..', '..', '..', '..');
const fixture = (...p: string[]) => path.join(repo, 'test', 'fixtures', 'pytest-benchmark', ...p);
const PARSE = 'tests/perf/test_textops.py::test_parse_json';

const budgetLines = (uri: vscode.Uri) =>
  vscode.languages
    .getDiagnostics(uri)
    .filter(d => d.source === 'Perf Lens' && d.code === 'budget')
    .map(d => `${d.range.start.line} ${d.message.includes(PARSE)}`);

describe('workspace index: diagnostics on files that are not open', () => {
  const copies = {
    real: workspaceUri('tests', 'perf', 'test_textops.py'),
    // pytest ids match by path suffix, so these would be mapped too if the index located them.
    vendored: workspaceUri('vendored', 'tests', 'perf', 'test_textops.py'),
    ignored: workspaceUri('generated', 'tests', 'perf', 'test_textops.py'),
    dependency: workspaceUri('node_modules', 'pkg', 'tests', 'perf', 'test_textops.py'),
    venv: workspaceUri('venv2', 'tests', 'perf', 'test_textops.py'),
  };

  before(async () => {
    fs.mkdirSync(workspaceUri('venv2').fsPath, { recursive: true });
    fs.writeFileSync(workspaceUri('venv2', 'pyvenv.cfg').fsPath, 'home = /usr/bin\n');
    for (const uri of Object.values(copies)) {
      fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
      fs.copyFileSync(fixture('test_textops.py'), uri.fsPath);
    }
    fs.mkdirSync(workspaceUri('imports').fsPath, { recursive: true });
    fs.copyFileSync(fixture('stats.json'), workspaceUri('imports', 'stats.json').fsPath);
    await vscode.extensions.getExtension('perf-lens.perf-lens')?.activate();
  });

  it('puts the budget breach on the benchmark line of every indexed file, none of them open', async function () {
    this.timeout(150_000); // a cold workbench has been seen to index and report late
    const n = await vscode.commands.executeCommand<number>('perfLens.importResults', workspaceUri('imports', 'stats.json'));
    assert.strictEqual(n, 3);
    const open = vscode.workspace.textDocuments.filter(d => d.uri.fsPath.endsWith('test_textops.py'));
    assert.deepStrictEqual(open.map(d => d.uri.fsPath), [], 'the test opens none of the copies');
    // test_parse_json's name is on line 29 (index 28) of the fixture.
    try {
      await untilTrue(async () => budgetLines(copies.real), l => l.includes('28 true'), 60_000);
      await untilTrue(async () => budgetLines(copies.vendored), l => l.includes('28 true'), 60_000);
    } catch (e) {
      // Seen once in ~20 runs: no diagnostic for 60 s, then one at once on the next edit on disk.
      // What the index held and which watcher events it saw tell a missed event from the rest.
      const status = await vscode.commands.executeCommand<{ status: string; files: string[]; events: string[] }[]>('perfLens.workspaceIndexStatus');
      const docs = vscode.workspace.textDocuments.map(d => vscode.workspace.asRelativePath(d.uri));
      throw new Error(`${(e as Error).message}\nindex: ${JSON.stringify(status?.map(s => ({ status: s.status, files: s.files, events: s.events })))}\nopen documents: ${JSON.stringify(docs)}`);
    }
    for (const skipped of [copies.ignored, copies.dependency, copies.venv]) {
      assert.deepStrictEqual(budgetLines(skipped), [], `${vscode.workspace.asRelativePath(skipped)} is skipped by the index`);
    }
  });

  it('follows an edit made on disk (no editor): the diagnostic moves with the definition', async () => {
    const text = fs.readFileSync(copies.real.fsPath, 'utf8');
    fs.writeFileSync(copies.real.fsPath, '# three lines\n# added on disk\n# by another tool\n' + text);
    try {
      await untilTrue(async () => budgetLines(copies.real), l => l.includes('31 true') && !l.includes('28 true'), 30_000);
    } catch (e) {
      // What the index saw (watcher events, files), so a failure here can be told apart from a missed event.
      const status = await vscode.commands.executeCommand<{ status: string; events: string[] }[]>('perfLens.workspaceIndexStatus');
      throw new Error(`${(e as Error).message}\nindex: ${JSON.stringify(status?.map(s => ({ status: s.status, events: s.events })))}`);
    }
  });

  it('drops the diagnostics of a deleted file', async () => {
    fs.rmSync(path.dirname(path.dirname(path.dirname(copies.vendored.fsPath))), { recursive: true });
    await untilTrue(async () => budgetLines(copies.vendored), l => l.length === 0, 30_000);
  });
});
