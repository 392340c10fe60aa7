// Regressions and budget breaches as Problems-panel entries on the test or handler line, with
// the numbers in the message. Severity follows the verdict. Open documents are mapped from
// their live text (unsaved edits included); every other file from the workspace index, so
// the Problems panel covers the whole workspace, not only what is open.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Log } from '../util/log';
import type { DocumentItems } from '../workspace/documentItems';
import { lensItems, type LensItem } from '../workspace/lensModel';
import type { SeriesState } from '../workspace/resultsStore';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { WorkspaceIndexing } from '../workspace/workspaceIndexing';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { verdictCompact, verdictMethod } from '../core/verdict';
import { docRef } from './codelens';
import { relativePosix } from '../core/relativePath';

/** Only these results can produce a diagnostic; mapping just them keeps a workspace pass cheap. */
const reportable = (s: SeriesState): boolean => s.verdict?.status === 'regression' || s.budgets.some(b => !b.ok);

function diagnosticsOf(items: readonly LensItem[]): vscode.Diagnostic[] {
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
  return diagnostics;
}

export function register(results: WorkspaceResults, documents: DocumentItems, log: Log, workspace?: WorkspaceIndexing): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('perf-lens');
  const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some(d => d.uri.toString() === uri.toString());

  async function update(document: vscode.TextDocument): Promise<void> {
    const ref = docRef(document);
    if (document.uri.scheme !== 'file' || !documents.supports(ref.relPath)) return;
    try {
      collection.set(document.uri, diagnosticsOf(await documents.items(ref, results.storeFor(document.uri))));
    } catch (e) {
      log.warn(`diagnostics for ${ref.relPath}: ${(e as Error).message}`);
    }
  }

  /** A file that is not open: its findings as last indexed from disk. */
  function updateIndexed(index: WorkspaceIndex, rel: string, closing = false): void {
    const uri = vscode.Uri.file(path.join(index.root, rel));
    if (!closing && isOpen(uri)) return;
    const findings = index.findings(rel);
    const states = findings.length ? (results.storeFor(uri)?.all() ?? []).filter(reportable) : [];
    const diagnostics = states.length ? diagnosticsOf(lensItems(findings, states)) : [];
    if (diagnostics.length) collection.set(uri, diagnostics);
    else collection.delete(uri);
  }

  const indexed = (index: WorkspaceIndex, paths: readonly string[]) => paths.forEach(rel => updateIndexed(index, rel));
  const all = () => {
    vscode.workspace.textDocuments.forEach(d => void update(d));
    for (const index of workspace?.indexes() ?? []) indexed(index, index.paths());
  };
  all();
  return [
    collection,
    results.onDidChange(all),
    vscode.workspace.onDidOpenTextDocument(d => void update(d)),
    vscode.workspace.onDidSaveTextDocument(d => void update(d)),
    vscode.workspace.onDidCloseTextDocument(d => {
      collection.delete(d.uri);
      // Back to what is on disk, as the workspace index has it.
      const index = workspace?.indexes().find(i => d.uri.fsPath.startsWith(i.root + path.sep));
      if (index) updateIndexed(index, relativePosix(index.root, d.uri.fsPath), true);
    }),
    ...(workspace ? [workspace.onDidChange(e => indexed(e.index, e.paths))] : []),
  ];
}
