// The page's side of the protocol: one VS Code API handle, requests that resolve with the
// reply carrying their sequence number, and the state the serializer restores.
import type { HostMessage, PanelState, ReplyResult, WebviewMessage, WebviewRequest } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let nextSeq = 1;
const pending = new Map<number, { resolve: (r: ReplyResult) => void; reject: (e: Error) => void }>();

export function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

export function request(req: WebviewRequest): Promise<ReplyResult> {
  const seq = nextSeq++;
  return new Promise((resolve, reject) => {
    pending.set(seq, { resolve, reject });
    vscode.postMessage({ type: 'request', seq, request: req });
  });
}

/** Settles the request a reply belongs to; false when no request waits for it. */
export function settle(message: Extract<HostMessage, { type: 'reply' }>): boolean {
  const p = pending.get(message.requestSeq);
  if (!p) return false;
  pending.delete(message.requestSeq);
  if (message.ok) p.resolve(message.result);
  else p.reject(new Error(message.error));
  return true;
}

export function getState(): PanelState {
  return vscode.getState() ?? {};
}

export function setState(state: PanelState): void {
  vscode.setState(state);
  vscode.postMessage({ type: 'state', state });
}
