// Results flow end to end inside VS Code: import a real pytest-benchmark file, lenses show
// its numbers on the right lines, accept writes baselines.json, a slower run dropped into
// .perf/results/ is ingested by the watcher and turns into a regression lens and diagnostic.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { pytestBenchmarkFromHere, untilTrue, workspaceUri } from '../../util';

const repo = path.resolve(__dirname, '..', '..', '..', '..', '..');
const fixture = (...p: string[]) => path.join(repo, 'test', 'fixtures', 'pytest-benchmark', ...p);
const SORT = 'tests/perf/test_textops.py::test_sort';
const PARSE = 'tests/perf/test_textops.py::test_parse_json';

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

function onLine(all: vscode.CodeLens[], line: number): string[] {
  return all.filter(l => l.range.start.line === line).map(l => l.command?.title ?? '');
}

describe('results in the editor', () => {
  const benchFile = workspaceUri('tests', 'perf', 'test_textops.py');

  before(async () => {
    fs.copyFileSync(fixture('test_textops.py'), benchFile.fsPath);
    fs.mkdirSync(workspaceUri('imports').fsPath, { recursive: true });
    fs.writeFileSync(workspaceUri('imports', 'stats.json').fsPath, JSON.stringify(pytestBenchmarkFromHere(fixture('stats.json'))));
    await vscode.extensions.getExtension('perf-lens.perf-lens')?.activate();
  });

  it('imports a real pytest-benchmark result and puts its numbers on the benchmark lines', async () => {
    const n = await vscode.commands.executeCommand<number>('perfLens.importResults', workspaceUri('imports', 'stats.json'));
    assert.strictEqual(n, 3);
    await vscode.window.showTextDocument(benchFile);
    const all = await untilTrue(() => lenses(benchFile), l => onLine(l, 27).some(t => t.includes('no baseline')));
    // test_sort (parametrized; decorators from line 20 → index 19) gets one line for both cases.
    const sort = onLine(all, 19);
    assert.match(sort[0], /^\$\(watch\) 2 cases · \d.* – \d.*/);
    // "A/B": compare with the merge base, every case of the item, through the project's suite.
    assert.deepStrictEqual(sort.slice(1), ['Run', 'A/B', 'History', 'Accept baseline']);
    const abLens = all.find(l => l.range.start.line === 19 && l.command?.title === 'A/B');
    assert.strictEqual(abLens?.command?.command, 'perfLens.compareWithMergeBase');
    assert.deepStrictEqual({ ...abLens?.command?.arguments?.[0], folder: undefined }, { folder: undefined, suite: 'textops', ids: [`${SORT}[10]`, `${SORT}[1000]`] });
    const parse = onLine(all, 27);
    assert.match(parse[0], /^\$\(watch\) [\d.]+ (µs|ms) ±[\d.]+ (ns|µs|ms) · new · no baseline · budget ✓$/);
    assert.strictEqual(new Set(all.map(l => l.range.start.line)).size, 2, 'one lens line per item');
  });

  it('shows the last runs in a hover on the benchmark name', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', benchFile, new vscode.Position(28, 6));
    const text = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /\| run \| commit \| value \| verdict \|/);
    assert.ok(text.includes('test\\_parse\\_json'), text);
  });

  it('accepts the results as baselines into .perf/baselines.json', async () => {
    const accepted = await vscode.commands.executeCommand<string[]>('perfLens.acceptBaseline', [`${SORT}[10]`, `${SORT}[1000]`, PARSE]);
    assert.strictEqual(accepted?.length, 3);
    const doc = JSON.parse(fs.readFileSync(workspaceUri('.perf', 'baselines.json').fsPath, 'utf8'));
    const ids = Object.values(doc.baselines as Record<string, Record<string, unknown>>).flatMap(m => Object.keys(m));
    assert.deepStrictEqual(ids.sort(), [PARSE, `${SORT}[1000]`, `${SORT}[10]`].sort());
  });

  it('ingests a 30% slower run written by a tool into .perf/results/ and flags the regression', async () => {
    const doc = pytestBenchmarkFromHere(fixture('stats.json'));
    for (const b of doc.benchmarks) {
      b.stats.data = b.stats.data.map((x: number) => x * 1.3);
      for (const k of ['min', 'max', 'mean', 'median', 'stddev', 'iqr', 'q1', 'q3', 'ld15iqr', 'hd15iqr', 'total']) b.stats[k] *= 1.3;
    }
    doc.datetime = new Date().toISOString();
    fs.mkdirSync(workspaceUri('.perf', 'results').fsPath, { recursive: true });
    fs.writeFileSync(workspaceUri('.perf', 'results', 'textops.json').fsPath, JSON.stringify(doc));
    const all = await untilTrue(() => lenses(benchFile), l => onLine(l, 27).some(t => t.includes('regression')), 30_000);
    // How sure, on the lens line: the change, its interval and the test's p-value.
    assert.match(onLine(all, 27)[0], /▲ \+30% regression \(95% CI \+[\d.]+…\+[\d.]+%, p[<=][\d.]+\)/);
    const diagnostics = await untilTrue(
      async () => vscode.languages.getDiagnostics(benchFile).filter(d => d.source === 'Perf Lens'),
      d => d.some(x => x.code === 'regression'),
    );
    const regression = diagnostics.find(d => d.code === 'regression' && d.message.includes(PARSE));
    assert.ok(regression, diagnostics.map(d => d.message).join('\n'));
    assert.strictEqual(regression.range.start.line, 28);
    assert.match(regression.message, /\+30% regression \(95% CI .*\) — Mann–Whitney on \d+\/\d+ rounds/);
  });
});

describe('editing keeps lenses in place', () => {
  it('moves each lens with its definition as lines are inserted above it, one line per item', async () => {
    const uri = workspaceUri('tests', 'perf', 'test_textops.py');
    const editor = await vscode.window.showTextDocument(uri);
    await untilTrue(() => lenses(uri), l => onLine(l, 27).length > 0);
    await editor.edit(b => b.insert(new vscode.Position(10, 0), '\n\n# two lines added above the benchmarks\n'));
    const moved = await untilTrue(() => lenses(uri), l => onLine(l, 30).length > 0 && onLine(l, 27).length === 0);
    assert.strictEqual(onLine(moved, 22).length, 5, 'test_sort: value, Run, A/B, History, Accept baseline');
    assert.match(onLine(moved, 30)[0], /^\$\(watch\) /);
    await vscode.commands.executeCommand('undo');
    await untilTrue(() => lenses(uri), l => onLine(l, 27).length > 0 && onLine(l, 30).length === 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});

/** Runs test_parse_json through its suite, as its lens's Run does. */
const runParseJson = () =>
  vscode.commands.executeCommand<vscode.TaskExecution>('perfLens.runBenchmark', { id: PARSE, name: 'test_parse_json', file: 'tests/perf/test_textops.py', suite: 'textops' });

describe('suites as tasks', () => {
  const historyLines = () =>
    fs.existsSync(workspaceUri('.perf', 'history').fsPath)
      ? fs.readdirSync(workspaceUri('.perf', 'history').fsPath).filter(f => f.endsWith('.jsonl'))
          .flatMap(f => fs.readFileSync(workspaceUri('.perf', 'history', f).fsPath, 'utf8').split('\n').filter(Boolean))
      : [];

  it('offers one perf task per configured suite', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'perf' });
    const textops = tasks.find(t => t.name === 'textops');
    assert.ok(textops, `tasks: ${tasks.map(t => t.name).join(', ')}`);
    const exec = textops.execution as vscode.ShellExecution;
    assert.strictEqual(exec.commandLine, '/usr/bin/python3 -m pytest tests/perf --benchmark-json=.perf/results/textops.json');
  });

  it('runs one benchmark for real through its suite and ingests what it wrote', async function () {
    this.timeout(180_000);
    const before = historyLines().length;
    const ended = new Promise<number | undefined>(resolve => {
      const sub = vscode.tasks.onDidEndTaskProcess(e => {
        if (e.execution.task.definition.type === 'perf') {
          sub.dispose();
          resolve(e.exitCode);
        }
      });
    });
    const execution = await runParseJson();
    assert.ok(execution, 'no task was started');
    assert.strictEqual((execution.task.execution as vscode.ShellExecution).commandLine?.endsWith('-k test_parse_json'), true);
    assert.strictEqual(await ended, 0, 'pytest-benchmark exited non-zero');
    const lines = await untilTrue(async () => historyLines(), l => l.length > before, 30_000);
    const run = JSON.parse(lines[lines.length - 1]).run;
    assert.strictEqual(run.tool, 'pytest-benchmark');
    assert.strictEqual(run.suite, 'textops');
    assert.deepStrictEqual(run.series.map((s: { id: string }) => s.id), [PARSE], 'only the narrowed benchmark ran');
  });
});

describe('Test Explorer', () => {
  interface Node {
    label: string;
    description?: string;
    file?: string;
    running?: boolean;
    children: Node[];
  }
  const items = () => vscode.commands.executeCommand<Node[]>('perfLens._testing.items');
  const node = (tree: Node[] | undefined, label: string): Node | undefined =>
    (tree ?? []).map(n => (n.label === label ? n : node(n.children, label))).find(Boolean);

  it('lists the configured suite with the results it produced', async () => {
    const tree = await untilTrue(
      () => vscode.commands.executeCommand<Node[]>('perfLens._testing.items'),
      t => (t ?? []).some(n => n.label === 'textops' && n.children.length > 0),
    );
    const textops = tree.find(n => n.label === 'textops') as Node;
    assert.strictEqual(textops.description, 'regression suite');
    assert.ok(textops.children.some(c => c.label === 'test_parse_json' && c.file === 'test_textops.py'), JSON.stringify(textops.children));
    assert.deepStrictEqual(textops.children.map(c => c.label).sort(), ['test_parse_json', 'test_sort[1000]', 'test_sort[10]']);
  });

  it('runs a benchmark from its item and reports the comparison as the outcome', async function () {
    this.timeout(180_000);
    const outcomes = await vscode.commands.executeCommand<{ id: string; state: string; message?: string }[]>('perfLens._testing.run', 'test_parse_json');
    assert.ok(outcomes?.length, 'no outcome reported');
    const parse = outcomes.find(o => o.id === PARSE);
    assert.ok(parse && ['passed', 'failed'].includes(parse.state), JSON.stringify(outcomes));
    assert.match(parse.message ?? '', /%|baseline|budget/);
  });

  it('follows a suite task started elsewhere (a lens): the benchmark shows running, then its outcome', async function () {
    this.timeout(180_000);
    const execution = await runParseJson();
    assert.ok(execution, 'no task was started');
    const during = await untilTrue(items, t => node(t, 'test_parse_json')?.running === true, 30_000);
    assert.strictEqual(node(during, 'test_sort[10]')?.running, false, 'only the narrowed benchmark runs');
    const outcomes = await untilTrue(() => vscode.commands.executeCommand<{ id: string; state: string; message?: string }[]>('perfLens._testing.followed'), o => (o ?? []).length > 0, 120_000);
    assert.deepStrictEqual(outcomes.map(o => o.id), [PARSE]);
    assert.ok(['passed', 'failed'].includes(outcomes[0].state), JSON.stringify(outcomes));
    assert.strictEqual(node(await items(), 'test_parse_json')?.running, false, 'the run ended');
  });
});

describe('keep sampling an inconclusive result', () => {
  const benchFile = workspaceUri('tests', 'perf', 'test_textops.py');

  it('offers "Keep sampling" on an inconclusive lens, re-runs the benchmark as a task and shows the pooled verdict', async function () {
    this.timeout(240_000);
    // Five rounds 7% slower than the accepted baseline: too few to decide either way.
    const doc = pytestBenchmarkFromHere(fixture('stats.json'));
    doc.benchmarks = doc.benchmarks.filter((b: { fullname: string }) => b.fullname === PARSE);
    const b = doc.benchmarks[0];
    b.stats.data = b.stats.data.slice(0, 5).map((x: number) => x * 1.07);
    const sorted = [...b.stats.data].sort((x: number, y: number) => x - y);
    Object.assign(b.stats, { rounds: 5, median: sorted[2], mean: sorted.reduce((s: number, x: number) => s + x, 0) / 5, min: sorted[0], max: sorted[4] });
    doc.datetime = new Date(Date.now() + 1000).toISOString();
    fs.writeFileSync(workspaceUri('.perf', 'results', 'textops.json').fsPath, JSON.stringify(doc));
    await vscode.window.showTextDocument(benchFile);
    const all = await untilTrue(() => lenses(benchFile), l => onLine(l, 27).includes('Keep sampling'), 30_000);
    assert.match(onLine(all, 27)[0], /inconclusive/);
    const keep = all.find(l => l.range.start.line === 27 && l.command?.title === 'Keep sampling');
    assert.deepStrictEqual(keep?.command?.arguments?.[1], PARSE);

    const result = await vscode.commands.executeCommand<{ looks: { n: number }[]; decided: boolean; stopped: string; samples: number[]; verdict: { status: string; reason: string } }>(
      'perfLens.keepSampling', keep?.command?.arguments?.[0], PARSE, { maxLooks: 2, maxTimeSeconds: 180 },
    );
    assert.ok(result, 'keep sampling returned nothing');
    assert.match(result.verdict.reason, /\[look \d of 2, α=/);
    if (result.looks.length === 2) assert.ok(result.samples.length > 5 && result.looks[1].n > result.looks[0].n, 'a real run was pooled');
    assert.ok(['decided', 'max-looks'].includes(result.stopped), result.stopped);
    // The lens now carries the pooled verdict of the last run.
    await untilTrue(() => lenses(benchFile), l => onLine(l, 27)[0]?.includes(result.verdict.status), 30_000);
  });
});
