// Per-document index: findings cached by (uri, version); an edit re-parses incrementally
// from the previous tree (tree-sitter `edit` + re-parse) and re-locates. Look-ups on a warm
// index are a map read. Trees are kept for a bounded number of documents (they live in
// WebAssembly memory and must be freed).
import type { Edit, Tree } from 'web-tree-sitter';
import { locateTree } from './locate';
import { loadParser, parseWith } from './parser';
import { Finding, LanguageId, languageForPath } from './types';

/** A change as VS Code reports it (TextDocumentContentChangeEvent): UTF-16 offsets and positions. */
export interface ContentChange {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

interface Entry {
  version: number;
  language: LanguageId;
  relPath: string;
  tree: Tree;
  findings: Finding[];
}

/** tree-sitter edit for one change; positions and indices are UTF-16 in web-tree-sitter. */
export function toEdit(change: ContentChange): Edit {
  const lines = change.text.split('\n');
  const start = { row: change.range.start.line, column: change.range.start.character };
  const newEnd =
    lines.length === 1
      ? { row: start.row, column: start.column + change.text.length }
      : { row: start.row + lines.length - 1, column: lines[lines.length - 1].length };
  return {
    startIndex: change.rangeOffset,
    oldEndIndex: change.rangeOffset + change.rangeLength,
    newEndIndex: change.rangeOffset + change.text.length,
    startPosition: start,
    oldEndPosition: { row: change.range.end.line, column: change.range.end.character },
    newEndPosition: newEnd,
  };
}

export class LocateIndex {
  private readonly docs = new Map<string, Entry>();

  constructor(private readonly maxTrees = 64) {}

  /** Findings of `uri` at `version`, parsing (fully) if this version is not indexed yet. */
  async index(uri: string, version: number, text: string, relPath: string, language?: LanguageId): Promise<Finding[]> {
    const cached = this.docs.get(uri);
    if (cached && cached.version === version) return cached.findings;
    const lang = language ?? languageForPath(relPath);
    if (!lang) return [];
    const tree = parseWith(await loadParser(lang), text);
    this.store(uri, { version, language: lang, relPath, tree, findings: locateTree(tree, lang, relPath) });
    return this.get(uri) ?? [];
  }

  /**
   * Apply `changes` (in the order VS Code gives them) to the indexed tree and re-locate.
   * Falls back to a full parse when the document is not indexed.
   */
  async update(uri: string, version: number, text: string, changes: readonly ContentChange[], relPath: string): Promise<Finding[]> {
    const entry = this.docs.get(uri);
    if (!entry) return this.index(uri, version, text, relPath);
    if (entry.version === version) return entry.findings;
    for (const c of changes) entry.tree.edit(toEdit(c));
    const tree = parseWith(await loadParser(entry.language), text, entry.tree);
    this.store(uri, { ...entry, version, tree, relPath, findings: locateTree(tree, entry.language, relPath) });
    return this.get(uri) ?? [];
  }

  /** Warm look-up: the findings last indexed for `uri` (optionally only if at `version`). */
  get(uri: string, version?: number): Finding[] | undefined {
    const e = this.docs.get(uri);
    return e && (version === undefined || e.version === version) ? e.findings : undefined;
  }

  /** Findings on a given 0-based line (what a lens or hover asks for). */
  at(uri: string, line: number): Finding[] {
    return (this.get(uri) ?? []).filter(f => f.range.start.line <= line && line <= f.range.end.line);
  }

  forget(uri: string): void {
    this.docs.get(uri)?.tree.delete();
    this.docs.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.docs.keys()]) this.forget(uri);
  }

  private store(uri: string, entry: Entry): void {
    const old = this.docs.get(uri);
    if (old && old.tree !== entry.tree) old.tree.delete();
    this.docs.delete(uri); // re-insert: Map order is our LRU order
    this.docs.set(uri, entry);
    while (this.docs.size > this.maxTrees) {
      const oldest = this.docs.keys().next().value as string;
      this.forget(oldest);
    }
  }
}
