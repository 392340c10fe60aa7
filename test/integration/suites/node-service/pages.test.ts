// The Node example's frontend suite in the editor: a real Lighthouse run of its two pages (the
// fixture from test/fixtures/lighthouse/suite, laid out as the suite writes it) is picked up by
// the results watcher, and public/dashboard.html gets one lens per page metric at its top.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { untilTrue, workspaceUri } from '../../util';

const repo = path.resolve(__dirname, '..', '..', '..', '..', '..');

describe('examples/node-service pages (frontend suite) in the editor', () => {
  it('shows FCP, LCP … JS heap lenses with budgets at the top of public/dashboard.html', async function () {
    this.timeout(60_000);
    await vscode.extensions.getExtension('perf-lens.perf-lens')?.activate();
    const src = path.join(repo, 'test', 'fixtures', 'lighthouse', 'suite');
    const raw = workspaceUri('.perf', 'lighthouse', 'pages').fsPath;
    const results = workspaceUri('.perf', 'results', 'pages').fsPath;
    fs.mkdirSync(raw, { recursive: true });
    fs.mkdirSync(results, { recursive: true });
    // Reports first (outside .perf/results, as the suite writes them), the manifest last.
    for (const f of fs.readdirSync(src).filter(n => n.endsWith('.report.json'))) fs.copyFileSync(path.join(src, f), path.join(raw, f));
    // As in a real run, the manifest comes seconds after its folder (Lighthouse takes that long).
    await new Promise(r => setTimeout(r, 3000));
    fs.copyFileSync(path.join(src, 'manifest.json'), path.join(results, 'manifest.json'));
    const page = workspaceUri('public', 'dashboard.html');
    await vscode.window.showTextDocument(page);
    const titles = await untilTrue(
      async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', page)) ?? []).map(l => `${l.range.start.line}: ${l.command?.title}`),
      t => t.filter(x => /^0: .*(FCP|LCP|TBT|Speed Index|TTI|CLS|JS heap) /.test(x)).length === 7,
      40_000,
    );
    const fcp = titles.find(t => t.includes('FCP')) as string;
    assert.match(fcp, /^0: \$\(browser\) \/dashboard\.html · FCP [\d.]+ m?s \([\d.]+ m?s–[\d.]+ m?s, 3 runs\) · new · no baseline · /);
    // The example's budgets are the seed's targets: FCP ≤ 300 ms is judged on this lens.
    assert.ok(/budget ✓|over budget: median/.test(fcp), fcp);
    assert.ok(titles.some(t => /JS heap [\d.]+ MiB .*budget/.test(t)), titles.join(' | '));
  });
});
