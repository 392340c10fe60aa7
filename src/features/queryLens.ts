// Lenses at a query's source: where a string literal (or a .sql statement) holds a statement
// measured through pg_stat_statements, one line with its mean time, calls, budget state and
// comparison with the baseline. The statement index is rebuilt when results change; per
// document, the literal scan runs once per version (document text is in memory) and is cached,
// so a lens request after the first is a map lookup. Matching is core/match/sql.ts.
import * as vscode from 'vscode';
import { formatDuration, formatVerdict } from '../core/format';
import { findSqlLiterals, matchSqlLiterals, sqlIndex, type SqlMatch } from '../core/match/sql';
import type { SeriesState } from '../workspace/resultsStore';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { PANEL_COMMAND } from './panel';

const LANGUAGES = ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'go', 'sql', 'java', 'kotlin', 'csharp'];

function title(s: SeriesState): string {
  const sum = s.series.summary;
  const parts = [`$(database) ${sum.mean !== undefined ? formatDuration(sum.mean) : '?'} mean${sum.stddev !== undefined ? ` ±${formatDuration(sum.stddev)}` : ''}`];
  parts.push(`${s.series.extra?.calls ?? sum.n ?? '?'} calls`);
  const failed = s.budgets.filter(b => !b.ok);
  if (failed.length) parts.push(`budget ✗ ${failed.map(b => formatDuration(b.limit)).join(', ')}`);
  else if (s.budgets.length) parts.push(`budget ✓ ${s.budgets.map(b => formatDuration(b.limit)).join(', ')}`);
  if (s.baseline && !s.baseline.sameMachineClass) parts.push('baseline from another machine — not compared');
  else if (s.verdict) parts.push(formatVerdict(s.verdict, s.series.metric));
  return parts.join(' · ');
}

function tooltip(s: SeriesState): string {
  return [
    `${s.series.group ?? 'query'} · ${s.series.name ?? s.id}`,
    `suite ${s.run.suite ?? '?'} · run ${s.run.id}`,
    ...s.budgets.map(b => b.message),
    ...(s.verdict ? [s.verdict.reason] : []),
    ...(s.series.notes ?? []),
  ].join('\n');
}

class QueryLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private index = new Map<string, SeriesState[]>();
  private generation = 0;
  private readonly cache = new Map<string, { version: number; generation: number; matches: SqlMatch<SeriesState>[] }>();

  constructor(private readonly results: WorkspaceResults) {
    this.rebuild();
  }

  rebuild(): void {
    this.index = sqlIndex(this.results.all().flatMap(store => store.all()), s => s.series);
    this.generation++;
    this.changed.fire();
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.index.size || !vscode.workspace.getConfiguration('perfLens', document.uri).get<boolean>('codeLens.enabled', true)) return [];
    const key = document.uri.toString();
    let entry = this.cache.get(key);
    if (!entry || entry.version !== document.version || entry.generation !== this.generation) {
      entry = { version: document.version, generation: this.generation, matches: matchSqlLiterals(findSqlLiterals(document.getText(), document.fileName), this.index) };
      this.cache.set(key, entry);
    }
    const file = vscode.workspace.asRelativePath(document.uri, false);
    return entry.matches.flatMap(m => {
      const at = new vscode.Range(m.literal.line, m.literal.column, m.literal.line, m.literal.column);
      return m.items.map(s => new vscode.CodeLens(at, { title: title(s), tooltip: tooltip(s), command: PANEL_COMMAND, arguments: [{ file, line: m.literal.line, label: s.id, seriesId: s.id }] }));
    });
  }

  dispose(): void {
    this.changed.dispose();
    this.cache.clear();
  }
}

export function register(results: WorkspaceResults): vscode.Disposable[] {
  const provider = new QueryLensProvider(results);
  return [
    provider,
    vscode.languages.registerCodeLensProvider(LANGUAGES.map(language => ({ scheme: 'file', language })), provider),
    results.onDidChange(() => provider.rebuild()),
    vscode.workspace.onDidCloseTextDocument(d => provider.forget(d.uri)),
  ];
}
