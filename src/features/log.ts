// One LogOutputChannel for the whole extension, behind a small interface so
// modules below the feature floor can log without importing vscode.
import * as vscode from 'vscode';
import type { Log } from '../util/log';

export function createLog(): Log & vscode.Disposable {
  return vscode.window.createOutputChannel('Perf Lens', { log: true });
}
