// Palette commands that belong to no other feature.
import * as vscode from 'vscode';
import type { Log } from '../util/log';

export function register(log: Log): vscode.Disposable[] {
  return [vscode.commands.registerCommand('perfLens.showLog', () => log.show?.())];
}
