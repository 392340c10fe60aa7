// Level shifts inside VS Code: a history of a real pytest-benchmark result measured at 24
// commits, 25 % slower from the 13th on, is written to .perf/history; the store reloads, the
// shift index is rebuilt once, and the hover on the benchmark name says which commit shifted it.
// Runs after results.test.ts in the same window (mocha orders files by name).
import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { completeFingerprint, detectFingerprint } from '../../../../src/core/env/fingerprint';
import { ingestFile } from '../../../../src/core/ingest/detect';
import { HISTORY_DIR, HistoryStore } from '../../../../src/core/store/history';
import { createRng } from '../../../../src/core/stats/random';
import { untilTrue, workspaceUri } from '../../util';

const repo = path.resolve(__dirname, '..', '..', '..', '..', '..');
const PARSE = 'tests/perf/test_textops.py::test_parse_json';

describe('level shifts in the editor', () => {
  const benchFile = workspaceUri('tests', 'perf', 'test_textops.py');

  it('a hover on the benchmark names the commit that shifted its level', async () => {
    await vscode.extensions.getExtension('perf-lens.perf-lens')?.activate();
    const real = await ingestFile(path.join(repo, 'test', 'fixtures', 'pytest-benchmark', 'stats.json'));
    const rng = createRng(42);
    const store = new HistoryStore(path.join(workspaceUri().fsPath, HISTORY_DIR));
    // Older than the runs results.test.ts ingested, so the latest run (and its lenses) stay theirs.
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 24; i++) {
      const factor = (i >= 12 ? 1.25 : 1) * Math.exp(0.01 * rng.normal());
      await store.append({
        ...real,
        id: undefined,
        startedAt: new Date(t0 + i * 3600_000).toISOString(),
        git: { commit: `${String(i).padStart(2, '0')}c0ffee${'0'.repeat(32)}` },
        // The fixture's fingerprint as results.test.ts imported it (as measured here: this machine's
        // CPU), completed from this machine as the editor's ingest stores it: one machine class.
        machine: real.machine ? completeFingerprint({ ...real.machine, cpuModel: os.cpus()[0]?.model ?? '' }, detectFingerprint()) : detectFingerprint(),
        series: real.series.map(s => ({ ...s, samples: s.samples?.map(x => x * factor), summary: { ...s.summary, median: (s.summary.median ?? 0) * factor, mean: (s.summary.mean ?? 0) * factor } })),
      });
    }
    const doc = await vscode.workspace.openTextDocument(benchFile);
    await vscode.window.showTextDocument(doc);
    // Earlier suites edit the file (lines inserted above): find the definition's name where it is now.
    const line = doc.getText().split('\n').findIndex(l => /def test_parse_json\b/.test(l));
    assert.ok(line >= 0, 'test_parse_json is in the file');
    const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('test_parse_json') + 2);
    const text = await untilTrue(
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', benchFile, at);
        return hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
      },
      t => t.includes('shifted at commit'),
      30_000,
    );
    // The 13th commit (index 12) is the first at the new level.
    assert.match(text, /shifted at commit 12c0ffe \(\+2[3-7]%\) · confidence \d+%/);
    assert.ok(text.includes(`| run | commit | value | verdict |`), 'the run table of hover.ts is still there (hovers merge)');
    assert.ok(!text.includes(PARSE.replace(/_/g, '\\_') + ': shifted'), 'one benchmark on the line: no id prefix');
  });
});
