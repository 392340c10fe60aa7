// Regressions and budget breaches as Problems-panel entries on the test or handler line of
// open documents, with the numbers in the message. Severity follows the verdict.
import * as vscode from 'vscode';
import type { Log } from '../util/log';
import type { DocumentItems } from '../workspace/documentItems';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { verdictCompact, verdictMethod } from '../core/verdict';
import { docRef } from './codelens';

export function register(results: WorkspaceResults, documents: DocumentItems, log: Log): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('perf-lens');

  async function update(document: vscode.TextDocument): Promise<void> {
    const ref = docRef(document);
    if (document.uri.scheme !== 'file' || !documents.supports(ref.relPath)) return;
    try {
      const items = await documents.items(ref, results.storeFor(document.uri));
      const diagnostics: vscode.Diagnostic[] = [];
      for (const item of items) {
        const r = item.finding.nameRange;
        const at = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
        for (const s of item.states) {
          if (s.verdict?.status === 'regression') {
            // How sure, then by what test, then what is approximate about the source.
            const approx = s.series.notes?.filter(n => /approximat/i.test(n)).map(n => ` · ${n}`).join('') ?? '';
            const message = `Performance regression in ${s.id}: ${verdictCompact(s.verdict)} — ${verdictMethod(s.verdict) || s.verdict.reason}${approx}`;
            const d = new vscode.Diagnostic(at, message, vscode.DiagnosticSeverity.Warning);
            if (s.verdict.hardLimit?.exceeded) d.severity = vscode.DiagnosticSeverity.Error;
            d.source = 'Perf Lens';
            d.code = 'regression';
            diagnostics.push(d);
          }
          for (const b of s.budgets.filter(b => !b.ok)) {
            const d = new vscode.Diagnostic(at, `Budget exceeded in ${s.id}: ${b.message}`, vscode.DiagnosticSeverity.Error);
            d.source = 'Perf Lens';
            d.code = 'budget';
            diagnostics.push(d);
          }
        }
      }
      collection.set(document.uri, diagnostics);
    } catch (e) {
      log.warn(`diagnostics for ${ref.relPath}: ${(e as Error).message}`);
    }
  }

  const all = () => vscode.workspace.textDocuments.forEach(d => void update(d));
  all();
  return [
    collection,
    results.onDidChange(all),
    vscode.workspace.onDidOpenTextDocument(d => void update(d)),
    vscode.workspace.onDidSaveTextDocument(d => void update(d)),
    vscode.workspace.onDidCloseTextDocument(d => collection.delete(d.uri)),
  ];
}
