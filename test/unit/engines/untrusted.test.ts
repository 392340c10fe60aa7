// An untrusted workspace runs nothing: the manifest declares limited support, and every source file
// of the extension that can start a process or a task checks workspace trust. (The checks run in
// the extension host; this keeps a new runner from forgetting them.)
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../helpers';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && e.name.endsWith('.ts'))
    .map(e => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('untrusted workspaces', () => {
  it('the manifest declares limited support and says what is off', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { capabilities?: { untrustedWorkspaces?: { supported: unknown; description?: string } } };
    const u = pkg.capabilities?.untrustedWorkspaces;
    assert.ok(u && (u.supported === 'limited' || u.supported === false), JSON.stringify(u));
    if (u.supported === 'limited') assert.match(u.description ?? '', /runs no/i);
  });

  it('every extension file that starts a process or a task checks workspace trust', () => {
    const runs = /\bexecuteTask\(|new vscode\.(Shell|Process)Execution\(|\bchild_process\b|\bspawn\(|\bexecFile(Sync)?\(|\bexec\(/;
    const files = [...sources(path.join(repoRoot, 'src', 'features')), ...sources(path.join(repoRoot, 'src', 'workspace')), path.join(repoRoot, 'src', 'extension.ts')];
    const runners = files.filter(f => runs.test(fs.readFileSync(f, 'utf8')));
    assert.ok(runners.some(f => f.endsWith(path.join('features', 'tasks.ts'))), 'tasks.ts is found by the scan');
    for (const f of runners) {
      assert.match(fs.readFileSync(f, 'utf8'), /workspace\.isTrusted/, `${path.relative(repoRoot, f)} starts processes without checking workspace trust`);
    }
  });

  it('tasks: provided, resolved (tasks.json) and run-benchmark paths all refuse when untrusted', () => {
    const src = fs.readFileSync(path.join(repoRoot, 'src', 'features', 'tasks.ts'), 'utf8');
    for (const fn of ['provideTasks() {', 'resolveTask(task) {', 'const runBenchmark = ']) {
      const at = src.indexOf(fn);
      assert.ok(at >= 0, fn);
      // Directly, or through the file's `trusted()` helper (checked below).
      assert.match(src.slice(at, at + 300), /if \(!(vscode\.workspace\.isTrusted|trusted\(\))\)/, `${fn} checks trust first`);
    }
    if (src.includes('trusted()')) assert.match(src, /const trusted = \(\)[^]{0,300}return vscode\.workspace\.isTrusted;/, 'trusted() returns vscode.workspace.isTrusted');
  });
});
