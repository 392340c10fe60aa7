// Helpers for suites running inside the extension host.
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
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

/**
 * A pytest-benchmark result file (the repo's real fixture) as if measured on this machine: its
 * machine_info names this machine's CPU. The fixture was generated on another host, and Perf
 * Lens rightly does not compare a result from another machine class with this one's runs; the
 * suites that mix it with benchmarks they run here mean one machine.
 */
export function pytestBenchmarkFromHere(file: string): { machine_info: { cpu: Record<string, unknown> }; benchmarks: any[]; datetime: string } {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  doc.machine_info.cpu = { ...doc.machine_info.cpu, brand: os.cpus()[0]?.model ?? '' };
  return doc;
}
