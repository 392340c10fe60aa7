// The Perf Lens panel's browser code. Says `ready`, then renders what the host
// sends. Every string from results goes in through textContent, never as HTML.
import { isHostMessage, type HostMessage, type PanelContent, type PanelState, type WebviewMessage } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
let nextSeq = 1;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function render(content: PanelContent): void {
  vscode.setState({ focus: content.focus });
  const header = el('header');
  header.append(el('h1', 'Perf Lens'), el('p', content.headline, 'headline'));
  const body = el('section');
  if (content.focus?.label) {
    const focus = el('p', undefined, 'focus');
    focus.append(el('span', 'Showing: ', 'muted'));
    const link = el('a', content.focus.label);
    link.href = '#';
    const file = content.focus.file;
    if (file) {
      link.addEventListener('click', e => {
        e.preventDefault();
        vscode.postMessage({ type: 'request', seq: nextSeq++, request: { kind: 'openFile', file, line: content.focus?.line } });
      });
    }
    focus.append(link);
    body.append(focus);
  }
  body.append(el('p', `Workspace: ${content.workspaces.join(', ') || '(none open)'}`, 'muted'));
  const log = el('button', 'Show log');
  log.addEventListener('click', () => vscode.postMessage({ type: 'request', seq: nextSeq++, request: { kind: 'runCommand', command: 'perfLens.showLog' } }));
  body.append(log);
  app.replaceChildren(header, body);
  app.dataset.state = 'rendered';
}

function onMessage(message: HostMessage): void {
  switch (message.type) {
    case 'show':
      render(message.content);
      return;
    case 'reply':
      if (!message.ok) app.append(el('p', message.error, 'error'));
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostMessage(event.data)) onMessage(event.data);
});
vscode.postMessage({ type: 'ready', state: vscode.getState() });
