// Wiring only: each feature registers itself and returns its disposables.
import * as vscode from 'vscode';
import { createLog } from './features/log';
import * as codelens from './features/codelens';
import * as commands from './features/commands';
import * as panel from './features/panel';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log, ...panel.register(context, log), ...codelens.register(), ...commands.register(log));
  log.info(`Perf Lens ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
