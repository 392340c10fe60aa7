// Compare with Merge Base in a real VS Code: the workspace copy becomes a git repository whose
// base commit has fast code and whose HEAD (a branch) does twice the work; the command runs
// `perf-lens ab` as a task, the Markdown report opens, the verdict is a regression and the
// temporary worktree is gone.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { untilTrue, workspaceUri } from '../../util';

const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

interface AbJson {
  benchmarks: { id: string; verdict: { status: string; ratio: number | null; reason: string }; pairs: unknown[] }[];
  base: { sha: string };
  head: { sha: string };
}

describe('A/B: Compare with Merge Base', () => {
  let ws: string;

  before(() => {
    ws = workspaceUri().fsPath;
    fs.writeFileSync(path.join(ws, '.gitignore'), '.perf/\n');
    git(ws, 'init', '-q', '-b', 'main');
    git(ws, 'add', '.');
    git(ws, 'commit', '-q', '-m', 'fast');
    git(ws, 'checkout', '-q', '-b', 'slow');
    const f = path.join(ws, 'lib', 'work.js');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('const FACTOR = 1;', 'const FACTOR = 2;'));
    git(ws, 'commit', '-q', '-am', 'twice the work');
  });

  it('runs base and HEAD interleaved as a task, reports the regression in Markdown and removes the worktree', async function () {
    this.timeout(120_000);
    await vscode.extensions.getExtension('perf-lens.perf-lens')?.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    // 9 pairs: the fewest at which the exact signed-rank test can reach p < 0.01 (2/2⁹).
    const outcome = (await vscode.commands.executeCommand('perfLens.compareWithMergeBase', {
      folder: folder.uri.toString(),
      suite: 'bench',
      ids: ['bench.js::work'],
      rounds: 9,
    })) as { report: string; exitCode: number | undefined } | undefined;
    assert.ok(outcome, 'the command returns its outcome');
    assert.strictEqual(outcome.exitCode, 0);
    assert.ok(fs.existsSync(outcome.report), outcome.report);
    const md = fs.readFileSync(outcome.report, 'utf8');
    assert.match(md, /\| Benchmark \| Base \| Head \| Change \| 95% CI \| p \| Verdict \| Pairs \|/);
    assert.match(md, /bench\.js::work.*🔴 regression.*\| 9 \|/);
    // The JSON result beside it carries the raw pairs and the commits.
    const jsonFile = fs.readdirSync(path.dirname(outcome.report)).filter(n => n.endsWith('.json')).map(n => path.join(path.dirname(outcome.report), n))[0];
    const result = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as AbJson;
    assert.strictEqual(result.base.sha, git(ws, 'rev-parse', 'main'));
    assert.strictEqual(result.head.sha, git(ws, 'rev-parse', 'HEAD'));
    const work = result.benchmarks.find(b => b.id === 'bench.js::work');
    assert.ok(work);
    assert.strictEqual(work.verdict.status, 'regression', work.verdict.reason);
    assert.ok(work.verdict.ratio !== null && work.verdict.ratio > 1.5, String(work.verdict.ratio));
    assert.strictEqual(work.pairs.length, 9);
    // Only the main worktree is left; no perf-lens-ab temp folder is registered.
    const list = git(ws, 'worktree', 'list', '--porcelain').split('\n').filter(l => l.startsWith('worktree '));
    assert.strictEqual(list.length, 1, list.join('\n'));
    // The report is open (in the Markdown preview; its source where that extension is off).
    // The preview's tab appears a moment after the command returns.
    const labels = () => vscode.window.tabGroups.all.flatMap(g => g.tabs).map(t => t.label);
    await untilTrue(async () => labels(), ls => ls.some(l => l.includes(path.basename(outcome.report))), 15_000);
  });
});
