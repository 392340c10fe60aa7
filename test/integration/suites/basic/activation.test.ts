import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, untilTrue, workspaceUri } from '../../util';

describe('activation and commands', () => {
  it('activates on a workspace with test files', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed: { command: string }[] = ext?.packageJSON.contributes.commands ?? [];
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map(c => c.command).filter(c => !registered.has(c));
    assert.deepStrictEqual(missing, []);
  });

  it('gives a benchmark with no results one quiet lens, on its name, that offers to run it', async () => {
    const uri = workspaceUri('tests', 'test_api.py');
    await vscode.window.showTextDocument(uri);
    const lenses = await untilTrue(
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri),
      l => (l ?? []).some(x => x.command?.title.includes('Perf Lens')),
    );
    const ours = lenses.filter(l => l.command?.title.includes('Perf Lens'));
    assert.strictEqual(ours.length, 1);
    assert.strictEqual(ours[0].range.start.line, 7); // def test_build_payload(benchmark):
    assert.strictEqual(ours[0].command?.title, '$(play) Perf Lens · no results yet — Run');
    assert.strictEqual(ours[0].command?.command, 'perfLens.runBenchmark');
    assert.deepStrictEqual(ours[0].command?.arguments, [
      { id: 'tests/test_api.py::test_build_payload', name: 'test_build_payload', file: 'tests/test_api.py', suite: undefined },
    ]);
  });

  it('gives no lens to a plain test with no timing, nor to a file that holds no tests', async () => {
    const test = workspaceUri('tests', 'api.test.js');
    await vscode.window.showTextDocument(test);
    const testLenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', test)) ?? [];
    assert.deepStrictEqual(testLenses.filter(l => l.command?.title.includes('Perf Lens')).length, 0);
    const uri = workspaceUri('README.md');
    await vscode.window.showTextDocument(uri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    assert.strictEqual(lenses.filter(l => l.command?.title.includes('Perf Lens')).length, 0);
  });

  it('hides its lenses when perfLens.codeLens.enabled is false', async () => {
    const uri = workspaceUri('tests', 'test_api.py');
    await vscode.window.showTextDocument(uri);
    const ourLenses = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter(l =>
        l.command?.title.includes('Perf Lens'),
      );
    await untilTrue(ourLenses, l => l.length === 1);
    const config = vscode.workspace.getConfiguration('perfLens');
    await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Workspace);
    try {
      await untilTrue(ourLenses, l => l.length === 0);
    } finally {
      await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await untilTrue(ourLenses, l => l.length === 1);
  });
});

describe('no config yet', () => {
  const config = () => workspaceUri('perf-lens.config.json');
  after(async () => {
    await vscode.workspace.fs.delete(config()).then(undefined, () => undefined);
  });

  it('writes a config with a suite for the pytest-benchmark tests it found, which then shows as a task', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('perfLens.createConfig');
    assert.strictEqual(uri?.fsPath, config().fsPath);
    const doc = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(config())).toString('utf8'));
    assert.deepStrictEqual(doc.suites.benchmarks, {
      kind: 'regression',
      command: 'python3 -m pytest tests --benchmark-json=.perf/results/benchmarks.json',
      results: '.perf/results/benchmarks.json',
    });
    const tasks = await untilTrue(() => vscode.tasks.fetchTasks({ type: 'perf' }), t => t.some(x => x.name === 'benchmarks'));
    assert.strictEqual((tasks.find(t => t.name === 'benchmarks')?.execution as vscode.ShellExecution).commandLine, doc.suites.benchmarks.command);
    // A second call keeps the user's file as it is.
    await vscode.workspace.fs.writeFile(config(), Buffer.from('{"version": 1}\n'));
    await vscode.commands.executeCommand('perfLens.createConfig');
    assert.strictEqual(Buffer.from(await vscode.workspace.fs.readFile(config())).toString('utf8'), '{"version": 1}\n');
  });
});
