// Server-metrics alerts of running engines (scraped from the service's Prometheus endpoint, see
// src/engines/metrics) as VS Code notifications while the run lasts — rate-limited by
// AlertThrottle — and, when the run ends, its alert findings as Problems on the suite's entry
// in perf-lens.config.json (they are also kept in the stored run's notes).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FILE } from '../core/config/projectConfig';
import { AlertThrottle } from '../core/metrics/notify';
import type { Log } from '../util/log';
import type { LiveEvent, LiveRuns } from '../workspace/liveRuns';

/** Line of `"suite":` in the config text (0 when not found). */
function suiteLine(text: string, suite: string): number {
  const i = text.indexOf(`"${suite}"`);
  return i < 0 ? 0 : text.slice(0, i).split('\n').length - 1;
}

export function register(live: LiveRuns, log: Log): vscode.Disposable[] {
  const throttle = new AlertThrottle();
  const problems = vscode.languages.createDiagnosticCollection('perf-lens-server-metrics');
  /** Findings per config file, per suite: a new run of a suite replaces only its own. */
  const bySuite = new Map<string, Map<string, vscode.Diagnostic[]>>();

  async function showFindings(folder: string, suite: string, findings: string[]): Promise<void> {
    const file = path.join(folder, CONFIG_FILE);
    let text = '';
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch {
      /* no config (a run started by hand): the findings still go to the log */
    }
    for (const f of findings) log.warn(`${suite}: ${f}`);
    if (!text) return;
    const line = suiteLine(text, suite);
    const diags = findings.map(f => {
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `Server metrics of ${suite}: ${f}`, vscode.DiagnosticSeverity.Warning);
      d.source = 'Perf Lens';
      d.code = 'server-alert';
      return d;
    });
    const perSuite = bySuite.get(file) ?? new Map<string, vscode.Diagnostic[]>();
    perSuite.set(suite, diags);
    bySuite.set(file, perSuite);
    problems.set(vscode.Uri.file(file), [...perSuite.values()].flat());
  }

  function onEvent({ folder, suite, event }: LiveEvent): void {
    const runKey = `${folder}\u0000${suite}`;
    if (event.type === 'start') {
      throttle.reset(runKey);
      return;
    }
    if (event.type === 'alert') {
      const text = throttle.offer(runKey, event, Date.now());
      if (text) {
        void vscode.window.showWarningMessage(`Perf Lens · ${suite}: ${text}`, 'Show Panel').then(pick => {
          if (pick) void vscode.commands.executeCommand('perfLens.showPanel');
        });
      }
      return;
    }
    if (event.type === 'metrics-done' && Array.isArray(event.findings)) {
      void showFindings(folder, suite, event.findings.filter((f): f is string => typeof f === 'string'));
    }
  }

  return [problems, live.onLiveEvent(onEvent)];
}
