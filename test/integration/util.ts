// Helpers for suites running inside the extension host.
import * as http from 'http';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'perf-lens.perf-lens';

export function workspaceUri(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/** Polls `get` until `ok` holds for its value (providers settle asynchronously), or fails after `timeoutMs`. */
export async function untilTrue<T>(get: () => Thenable<T> | Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/** Whether a service on the loopback `port` answers GET `path` with 200 (within half a second). */
export function answers200(port: number, path: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 500 }, res => (res.resume(), resolve(res.statusCode === 200)));
    req.on('error', () => resolve(false));
  });
}
