// The editor's run loop on a pytest-benchmark file: the context-menu command runs the file's
// benchmarks through the real suite, the lens says running… on the same line meanwhile, then
// shows the timing in the statistic the user chose; the hover follows the setting too.
// Leaves the workspace as it found it (the UI tests reuse this copy).
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { untilTrue, workspaceUri } from '../../util';

const SUITE = {
  version: 1,
  suites: {
    benchmarks: {
      kind: 'regression',
      // The Debian python has pytest-benchmark; the first python3 on PATH may not.
      command: '/usr/bin/python3 -m pytest tests --benchmark-json=.perf/results/benchmarks.json -q',
      results: '.perf/results/benchmarks.json',
    },
  },
  verdict: { threshold: 0.07 },
};

async function ours(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return all.filter(l => l.range.start.line === 7);
}

describe('run a file\'s benchmarks from the editor (basic workspace)', () => {
  const config = () => workspaceUri('perf-lens.config.json');
  const settings = () => vscode.workspace.getConfiguration('perfLens');

  before(async function () {
    this.timeout(30_000);
    fs.writeFileSync(config().fsPath, JSON.stringify(SUITE, null, 2));
    // Wait for this config's task, not the one the setup test's config (python3 on PATH) made.
    const command = (t: vscode.Task) => { const e = t.execution as vscode.ShellExecution | undefined; return e?.commandLine ?? String(e?.command ?? ''); };
    await untilTrue(() => vscode.tasks.fetchTasks({ type: 'perf' }), t => t.some(x => x.name === 'benchmarks' && command(x).includes('/usr/bin/python3')));
  });

  after(async () => {
    await settings().update('codeLens.statistic', undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update('codeLens.showThresholds', undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update('codeLens.layout', undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update('autoRun.onSave', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(config().fsPath, { force: true });
    fs.rmSync(workspaceUri('.perf').fsPath, { recursive: true, force: true });
    fs.rmSync(workspaceUri('.benchmarks').fsPath, { recursive: true, force: true });
    await vscode.commands.executeCommand('perfLens.reloadResults');
    await untilTrue(() => ours(workspaceUri('tests', 'test_api.py')), l => l.length === 1 && l[0].command?.title === '$(play) Perf Lens · no results yet — Run');
  });

  it('runs the file\'s benchmarks in turn; the lens line says running… meanwhile, then shows the timing', async function () {
    this.timeout(120_000);
    const uri = workspaceUri('tests', 'test_api.py');
    await vscode.window.showTextDocument(uri);
    await untilTrue(() => ours(uri), l => l[0]?.command?.title === '$(play) Perf Lens · no results yet — Run');
    const seen = new Set<string>();
    let done = false;
    const ran = vscode.commands.executeCommand<number>('perfLens.runFileBenchmarks', uri).then(n => ((done = true), n));
    // Sample the lens line while the task runs: one line, its title turned into running….
    while (!done) {
      const lenses = await ours(uri);
      if (lenses.length) seen.add(`${lenses.length}: ${lenses[0].command?.title}`);
      await new Promise(r => setTimeout(r, 50));
    }
    assert.strictEqual(await ran, 1, 'one benchmark in the file, run once');
    assert.ok(seen.has('1: $(sync~spin) running… · Perf Lens · no results yet — Run'), [...seen].join(' | '));
    const after = await untilTrue(() => ours(uri), l => /^\$\(watch\) [\d.]+ (ns|µs|ms) ±/.test(l[0]?.command?.title ?? ''), 30_000);
    assert.deepStrictEqual(after.map(l => l.command?.title).slice(1), ['Run', 'A/B', 'History', 'Accept baseline']);
  });

  it('shows the statistic the user chose, and the threshold when asked; the hover bolds that statistic', async function () {
    this.timeout(60_000);
    const uri = workspaceUri('tests', 'test_api.py');
    await settings().update('codeLens.statistic', 'min', vscode.ConfigurationTarget.Workspace);
    const min = await untilTrue(() => ours(uri), l => /^\$\(watch\) min [\d.]+ (ns|µs|ms) · new · no baseline$/.test(l[0]?.command?.title ?? ''));
    assert.strictEqual(min.length, 5, 'same line, same actions');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(7, 6));
    const text = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*min [\d.]+ (ns|µs|ms)\*\* · median [\d.]+ (ns|µs|ms) · mean/);
    // Accept it and run again: with thresholds shown the comparison carries the project's ±7%.
    await vscode.commands.executeCommand('perfLens.acceptBaseline', ['tests/test_api.py::test_build_payload'], 'tests/test_api.py');
    await settings().update('codeLens.showThresholds', true, vscode.ConfigurationTarget.Workspace);
    assert.strictEqual(await vscode.commands.executeCommand<number>('perfLens.runFileBenchmarks', uri), 1);
    await untilTrue(() => ours(uri), l => /^\$\(watch\) min [\d.]+ (ns|µs|ms) · .* · threshold ±7%/.test(l[0]?.command?.title ?? ''), 30_000);
  });

  it('compact layout for a narrow editor: figure and change, Run, and the other actions behind ⋯ in a quick pick', async function () {
    this.timeout(60_000);
    const uri = workspaceUri('tests', 'test_api.py');
    await settings().update('codeLens.layout', 'compact', vscode.ConfigurationTarget.Workspace);
    try {
      // Compared with the baseline the previous test accepted: no interval or threshold on the line.
      const lenses = await untilTrue(() => ours(uri), l => l.length === 3 && /^\$\(watch\) min [\d.]+ (ns|µs|ms) · [▲▼≈] \S+% \w+$/.test(l[0]?.command?.title ?? ''));
      assert.deepStrictEqual(lenses.slice(1).map(l => l.command?.title), ['Run', '$(ellipsis)']);
      const more = lenses[2].command!;
      const menu = (more.arguments?.[0] as vscode.Command[]).map(c => c.title);
      assert.strictEqual(menu[0], 'History', menu.join(', '));
      assert.deepStrictEqual(menu.filter(t => t !== 'Keep sampling'), ['History', 'A/B', 'Accept baseline']);
      // ⋯ opens the menu; accepting its first item (History) opens the panel as the History lens does.
      let settled = false;
      const chosen = vscode.commands.executeCommand<{ panel?: vscode.WebviewPanel }>(more.command, ...(more.arguments ?? [])).then(r => ((settled = true), r));
      while (!settled) {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await new Promise(r => setTimeout(r, 100));
      }
      assert.strictEqual((await chosen)?.panel?.viewType, 'perfLens.panel');
    } finally {
      await settings().update('codeLens.layout', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('re-runs the file\'s benchmarks on save only when perfLens.autoRun.onSave is on', async function () {
    this.timeout(120_000);
    const uri = workspaceUri('tests', 'test_api.py');
    const original = fs.readFileSync(uri.fsPath, 'utf8');
    const started: string[] = [];
    const watch = vscode.tasks.onDidStartTask(e => started.push(e.execution.task.name));
    const saveWithEdit = async (text: string) => {
      const editor = await vscode.window.showTextDocument(uri);
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      await editor.edit(b => b.insert(end, text));
      assert.ok(await editor.document.save(), 'saved');
    };
    try {
      // Off (the default): a save starts nothing.
      await saveWithEdit('\n');
      await new Promise(r => setTimeout(r, 3000));
      assert.deepStrictEqual(started, [], 'no task without the setting');
      // On: the save starts the file's benchmark through its suite, and the lens gets the new result.
      await settings().update('autoRun.onSave', true, vscode.ConfigurationTarget.Workspace);
      const ended = new Promise<void>(resolve => {
        const d = vscode.tasks.onDidEndTaskProcess(() => (d.dispose(), resolve()));
      });
      await saveWithEdit('\n');
      await untilTrue(async () => started.length, n => n > 0, 30_000);
      assert.match(started[0], /^benchmarks: /, started.join(', '));
      await ended;
    } finally {
      watch.dispose();
      await settings().update('autoRun.onSave', undefined, vscode.ConfigurationTarget.Workspace);
      fs.writeFileSync(uri.fsPath, original);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
