import * as assert from 'assert';
import * as vscode from 'vscode';
import { untilTrue } from '../../util';

interface PanelHandle {
  panel: vscode.WebviewPanel;
  isReady: boolean;
}

describe('panel', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('opens from its command, completes the ready handshake, and is a single instance', async () => {
    const first = await vscode.commands.executeCommand<PanelHandle>('perfLens.showPanel');
    assert.ok(first?.panel, 'showPanel returned no panel');
    assert.strictEqual(first.panel.viewType, 'perfLens.panel');
    await untilTrue(async () => first.isReady, ready => ready, 30_000);
    const second = await vscode.commands.executeCommand<PanelHandle>('perfLens.showPanel', { file: 'tests/test_api.py', line: 0 });
    assert.strictEqual(second, first);
  });

  it('serves its page under a strict content security policy', async () => {
    const handle = await vscode.commands.executeCommand<PanelHandle>('perfLens.showPanel');
    const html = handle.panel.webview.html;
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(html, /<script(?![^>]*nonce=)/, 'every script carries the nonce');
  });
});
