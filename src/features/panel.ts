// The Perf Lens panel: one webview panel per window, restored after a reload by
// a serializer. The page is dist/webview.js under a strict CSP; it asks for
// content with `ready` and renders everything as text.
import * as vscode from 'vscode';
import type { Log } from '../util/log';
import {
  isWebviewMessage,
  type HostMessage,
  type PanelContent,
  type PanelFocus,
  type PanelState,
  type WebviewMessage,
  type WebviewRequest,
  type ReplyResult,
} from '../shared/protocol';
import { panelHtml } from './panelHtml';

export const PANEL_VIEW_TYPE = 'perfLens.panel';
export const PANEL_COMMAND = 'perfLens.showPanel';

export class PerfLensPanel implements vscode.Disposable {
  private static current: PerfLensPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;

  static createOrShow(extensionUri: vscode.Uri, log: Log, focus?: PanelFocus): PerfLensPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (PerfLensPanel.current) {
      PerfLensPanel.current.panel.reveal(column);
      PerfLensPanel.current.focus = focus ?? PerfLensPanel.current.focus;
      void PerfLensPanel.current.update();
      return PerfLensPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Perf Lens', column, webviewOptions(extensionUri));
    PerfLensPanel.current = new PerfLensPanel(panel, extensionUri, log, focus);
    return PerfLensPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: Log, state: PanelState | undefined): void {
    panel.webview.options = webviewOptions(extensionUri);
    PerfLensPanel.current?.dispose();
    PerfLensPanel.current = new PerfLensPanel(panel, extensionUri, log, state?.focus);
  }

  /** The open panel, if any (integration tests use it through the showPanel command's return value). */
  static get instance(): PerfLensPanel | undefined {
    return PerfLensPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: Log,
    private focus: PanelFocus | undefined,
  ) {
    panel.webview.html = panelHtml(panel.webview, extensionUri);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage(m => this.onMessage(m), undefined, this.disposables);
  }

  get isReady(): boolean {
    return this.ready;
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) {
      this.log.warn('panel: ignored a malformed message from the webview');
      return;
    }
    await this.handle(message);
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.focus = this.focus ?? message.state?.focus;
        await this.update();
        return;
      case 'request':
        try {
          const result = await this.serve(message.request);
          await this.post({ type: 'reply', requestSeq: message.seq, ok: true, result });
        } catch (e) {
          await this.post({ type: 'reply', requestSeq: message.seq, ok: false, error: String(e) });
        }
        return;
    }
  }

  private async serve(request: WebviewRequest): Promise<ReplyResult> {
    switch (request.kind) {
      case 'openFile': {
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (!folder) throw new Error('no workspace folder is open');
        const uri = vscode.Uri.joinPath(folder.uri, request.file);
        const line = request.line ?? 0;
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
        return { kind: 'openedFile' };
      }
      case 'runCommand':
        await vscode.commands.executeCommand(request.command);
        return { kind: 'ranCommand' };
    }
  }

  private async update(): Promise<void> {
    if (!this.ready) return; // the webview asks with `ready`; posting earlier would be lost
    await this.post({ type: 'show', content: await this.content() });
  }

  private async content(): Promise<PanelContent> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const runs = folders.length ? await vscode.workspace.findFiles('.perf/history/**/*.json', undefined, 10000) : [];
    return {
      focus: this.focus,
      workspaces: folders.map(f => f.name),
      runCount: runs.length,
      headline: runs.length ? `${runs.length} stored run${runs.length === 1 ? '' : 's'}` : 'No runs stored yet — run a suite to see charts here',
    };
  }

  private post(message: HostMessage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (PerfLensPanel.current === this) PerfLensPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function register(context: vscode.ExtensionContext, log: Log): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(PANEL_COMMAND, (focus?: PanelFocus) =>
      PerfLensPanel.createOrShow(context.extensionUri, log, focus),
    ),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        PerfLensPanel.revive(panel, context.extensionUri, log, state as PanelState | undefined);
      },
    }),
    { dispose: () => PerfLensPanel.instance?.dispose() },
  ];
}
