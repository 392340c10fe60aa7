// Query lenses inside VS Code: a real pg_stat_statements pair (fixture from a real PostgreSQL)
// is imported; the statements' lenses appear on the literals that hold them in Python and in a
// .sql file, with mean, calls and the budget state from the suite's `database.budgets`.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { untilTrue, workspaceUri } from '../../util';

const repo = path.resolve(__dirname, '..', '..', '..', '..', '..');

async function titles(uri: vscode.Uri): Promise<Map<number, string[]>> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  const byLine = new Map<number, string[]>();
  for (const l of lenses) if (l.command?.title.startsWith('$(database)')) byLine.set(l.range.start.line, [...(byLine.get(l.range.start.line) ?? []), l.command.title]);
  return byLine;
}

describe('query lenses at the statement’s source', () => {
  before(async () => {
    await vscode.extensions.getExtension('perf-lens.perf-lens')?.activate();
    const n = await vscode.commands.executeCommand<number>('perfLens.importResults', vscode.Uri.file(path.join(repo, 'test', 'fixtures', 'pg-stat-statements', 'delta.json')));
    assert.strictEqual(n, 4);
  });

  it('puts mean, calls and budget state on the Python literals', async () => {
    const py = workspaceUri('app', 'queries.py');
    await vscode.window.showTextDocument(py);
    const lines = await untilTrue(() => titles(py), m => m.size === 3);
    assert.match(lines.get(4)?.[0] ?? '', /^\$\(database\) [\d.]+ (µs|ms) mean ±[\d.]+ (µs|ms) · 20 calls · budget ✓ 50\.0 ms · new · no baseline$/);
    assert.match(lines.get(9)?.[0] ?? '', /· 5 calls · budget ✓ 50\.0 ms/);
    // The slow statement (pg_sleep 0.05 s) is over the suite's 50 ms query budget.
    assert.match(lines.get(15)?.[0] ?? '', /^\$\(database\) 5\d\.\d ms mean · 1 calls · budget ✗ 50\.0 ms/);
  });

  it('and on the statement of a .sql file', async () => {
    const sql = workspaceUri('queries', 'videos.sql');
    await vscode.window.showTextDocument(sql);
    const lines = await untilTrue(() => titles(sql), m => m.size === 1);
    assert.match(lines.get(1)?.[0] ?? '', /· 20 calls · budget ✓ 50\.0 ms/);
  });
});
