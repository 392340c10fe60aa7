// Hover on a lens line: "shifted at commit abc1234 (+14%)" when the benchmark's history has a
// level shift (E-divisive, core/history/shifts.ts). A provider of its own beside hover.ts (VS Code
// merges hovers). Shifts are computed when a store's history loads or changes, never per hover:
// the provider only looks them up.
import * as path from 'path';
import * as vscode from 'vscode';
import { describeShift, ShiftIndex, type Shift } from '../core/history/shifts';
import { HISTORY_DIR } from '../core/store/history';
import type { DocumentItems } from '../workspace/documentItems';
import type { ResultsStore } from '../workspace/resultsStore';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { docRef } from './codelens';

/** Most shifts listed per series (newest first). */
const MAX_LISTED = 3;

const escapeMd = (text: string): string => text.replace(/[|\\`*_[\]<>#]/g, c => `\\${c}`);

export function shiftLine(id: string, shifts: readonly Shift[], multiple: boolean): string {
  const newest = [...shifts].reverse().slice(0, MAX_LISTED);
  const parts = newest.map(s => `${describeShift(s)} · confidence ${Math.round(s.confidence * 100)}%`);
  const more = shifts.length > MAX_LISTED ? ` (+${shifts.length - MAX_LISTED} earlier)` : '';
  const n = shifts[0].points;
  return `$(graph-line) ${multiple ? `${escapeMd(id)}: ` : ''}${parts.join('; ')}${more} — level shift in the last ${n} commits on this machine class (E-divisive)`;
}

export function register(results: WorkspaceResults, documents: DocumentItems): vscode.Disposable[] {
  const indexes = new Map<string, ShiftIndex>();
  const pending = new Map<string, NodeJS.Timeout>();

  const refresh = (store: ResultsStore): void => {
    clearTimeout(pending.get(store.folder));
    pending.set(
      store.folder,
      setTimeout(() => {
        pending.delete(store.folder);
        const index = indexes.get(store.folder) ?? new ShiftIndex();
        index.load(path.join(store.folder, HISTORY_DIR)).then(
          () => indexes.set(store.folder, index),
          () => undefined, // an unreadable history shows no shifts; the store reports its problems
        );
      }, 500),
    );
  };
  void results.ready().then(() => results.all().forEach(refresh));

  const provider: vscode.HoverProvider = {
    async provideHover(document, position) {
      const store = results.storeFor(document.uri);
      const index = store && indexes.get(store.folder);
      const ref = docRef(document);
      if (!index?.size || !documents.supports(ref.relPath)) return undefined;
      const items = await documents.items(ref, store);
      const item = items.find(i => i.states.length && i.finding.nameRange.start.line === position.line);
      if (!item) return undefined;
      const lines = item.states.filter(s => index.forSeries(s.id).length).map(s => shiftLine(s.id, index.forSeries(s.id), item.states.length > 1));
      if (!lines.length) return undefined;
      const md = new vscode.MarkdownString(lines.join('\n\n'), true);
      md.isTrusted = false;
      const r = item.finding.nameRange;
      return new vscode.Hover(md, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character));
    },
  };
  return [
    results.onDidChange(refresh),
    { dispose: () => pending.forEach(t => clearTimeout(t)) },
    vscode.languages.registerHoverProvider(
      ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'go'].map(language => ({ scheme: 'file', language })),
      provider,
    ),
  ];
}
