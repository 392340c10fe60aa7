// Hover on a lens line (the definition's name): a table of its last runs with commit and verdict,
// the statistics known with the lens's one in bold, and the limits when the user shows thresholds.
import * as vscode from 'vscode';
import type { DocumentItems } from '../workspace/documentItems';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { docRef, lensDisplay } from './codelens';
import { hoverMarkdown } from './lensText';

export function register(results: WorkspaceResults, documents: DocumentItems): vscode.Disposable[] {
  const provider: vscode.HoverProvider = {
    async provideHover(document, position) {
      const ref = docRef(document);
      if (!documents.supports(ref.relPath)) return undefined;
      const items = await documents.items(ref, results.storeFor(document.uri));
      const item = items.find(i => i.states.length && i.finding.nameRange.start.line === position.line);
      if (!item) return undefined;
      const display = lensDisplay(vscode.workspace.getConfiguration('perfLens', document.uri), results.storeFor(document.uri)?.config.verdict.threshold);
      const md = new vscode.MarkdownString(hoverMarkdown(item, display));
      md.isTrusted = false;
      const r = item.finding.nameRange;
      return new vscode.Hover(md, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character));
    },
  };
  return [
    vscode.languages.registerHoverProvider(
      ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'go'].map(language => ({ scheme: 'file', language })),
      provider,
    ),
  ];
}
