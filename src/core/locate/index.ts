// Per-document index: findings cached by (uri, version); an edit re-parses incrementally
// from the previous tree (tree-sitter `edit` + re-parse) and re-locates. Look-ups on a warm
// index are a map read. Trees are kept for a bounded number of documents (they live in
// WebAssembly memory and must be freed).
import type { Edit, Node, Tree } from 'web-tree-sitter';
import { byPosition, contextOf, contextSignature, LocateContext, locateTree, touchesContext } from './locate';
import { loadParser, parseWith } from './parser';
import { named } from './syntax';
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
  /** Parsed from this version's text, or an older parse with every later edit applied (see relocateRegion). */
  tree: Tree;
  findings: Finding[];
  context: LocateContext;
  signature: string;
  text: string;
}

/** UTF-16 offset of the start of 0-based `row` in `text`. */
function offsetOfRow(text: string, row: number): number {
  let offset = 0;
  for (let r = 0; r < row && offset >= 0; r++) offset = text.indexOf('\n', offset) + 1 || -1;
  return offset < 0 ? text.length : offset;
}

/** The whole lines of `text` that [start, end) touches. */
function linesAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const to = text.indexOf('\n', end);
  return text.slice(from, to < 0 ? text.length : to);
}

/** Top-level statements of `root` overlapping rows [from, to] (a few node visits, not a walk from the top). */
function topLevelBetween(root: Node, text: string, from: number, to: number): Node[] {
  const out: Node[] = [];
  // Start from the first statement extending past the start of row `from`, then step back over any that still reach it.
  let n: Node | null = root.firstNamedChildForIndex(offsetOfRow(text, from));
  while (n && n.previousNamedSibling && n.previousNamedSibling.endPosition.row >= from) n = n.previousNamedSibling;
  for (; n && n.startPosition.row <= to; n = n.nextNamedSibling) {
    if (n.endPosition.row >= from) out.push(n);
  }
  return out;
}

const overlaps = (f: Finding, from: number, to: number): boolean => f.range.start.line <= to && f.range.end.line >= from;

function shift(f: Finding, delta: number): Finding {
  const mv = (r: Finding['range']): Finding['range'] => ({
    start: { line: r.start.line + delta, character: r.start.character },
    end: { line: r.end.line + delta, character: r.end.character },
  });
  const moved: Finding = { ...f, range: mv(f.range), nameRange: mv(f.nameRange) };
  if (f.requests) moved.requests = f.requests.map(r => ({ ...r, line: r.line + delta }));
  return moved;
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

  /** `regionReparse: false` always re-parses the whole file (bench/locate.ts compares the two). */
  constructor(
    private readonly maxTrees = 64,
    private readonly opts: { regionReparse?: boolean } = {},
  ) {}

  /** Findings of `uri` at `version`, parsing (fully) if this version is not indexed yet. */
  async index(uri: string, version: number, text: string, relPath: string, language?: LanguageId): Promise<Finding[]> {
    const cached = this.docs.get(uri);
    if (cached && cached.version === version) return cached.findings;
    const lang = language ?? languageForPath(relPath);
    if (!lang) return [];
    const tree = parseWith(await loadParser(lang), text);
    const context = contextOf(tree, lang);
    const findings = locateTree(tree, lang, relPath, context);
    this.store(uri, { version, language: lang, relPath, tree, findings, context, signature: contextSignature(text, lang), text });
    return findings;
  }

  /**
   * Apply `changes` (in the order VS Code gives them) to the indexed tree, re-parse
   * incrementally and re-locate. With one change and unchanged file-wide context (router
   * prefixes …), only the top-level statements tree-sitter reports as changed are located
   * again and the other findings move by the line delta; otherwise the whole tree is located.
   * Falls back to a full parse when the document is not indexed.
   */
  async update(uri: string, version: number, text: string, changes: readonly ContentChange[], relPath: string): Promise<Finding[]> {
    const entry = this.docs.get(uri);
    if (!entry) return this.index(uri, version, text, relPath);
    if (entry.version === version) return entry.findings;
    const edits = changes.map(toEdit);
    for (const e of edits) entry.tree.edit(e);
    // The file-wide signature regex costs ~10 ms at 20,000 lines: skip it when the lines the
    // change replaced and the lines it wrote hold nothing the context depends on.
    const c = changes[0];
    const unchangedContext =
      changes.length === 1 &&
      !touchesContext(linesAround(entry.text, c.rangeOffset, c.rangeOffset + c.rangeLength), entry.language) &&
      !touchesContext(linesAround(text, c.rangeOffset, c.rangeOffset + c.text.length), entry.language);
    const signature = unchangedContext ? entry.signature : contextSignature(text, entry.language);
    if (entry.language === 'python' && this.opts.regionReparse !== false && edits.length === 1 && signature === entry.signature && relPath === entry.relPath) {
      const findings = await this.relocateRegion(entry, text, edits[0]);
      if (findings) {
        this.store(uri, { ...entry, version, findings, text });
        return findings;
      }
    }
    const tree = parseWith(await loadParser(entry.language), text, entry.tree);
    let findings: Finding[];
    let context = entry.context;
    if (edits.length === 1 && signature === entry.signature && relPath === entry.relPath) {
      const e = edits[0];
      const delta = e.newEndPosition.row - e.oldEndPosition.row;
      let from = e.startPosition.row;
      let to = e.newEndPosition.row;
      for (const r of entry.tree.getChangedRanges(tree)) {
        from = Math.min(from, r.startPosition.row);
        to = Math.max(to, r.endPosition.row);
      }
      const changed = topLevelBetween(tree.rootNode, text, from, to);
      if (changed.length) {
        from = Math.min(from, changed[0].startPosition.row);
        to = Math.max(to, changed[changed.length - 1].endPosition.row);
      }
      // [from, to] in new rows; the same region in old rows ends `delta` earlier.
      const kept = entry.findings
        .filter(f => !overlaps(f, from, to - delta))
        .map(f => (f.range.start.line > e.oldEndPosition.row ? shift(f, delta) : f));
      findings = [...kept, ...locateTree(tree, entry.language, relPath, context, changed)].sort(byPosition);
    } else {
      context = contextOf(tree, entry.language);
      findings = locateTree(tree, entry.language, relPath, context);
    }
    this.store(uri, { ...entry, version, tree, relPath, findings, context, signature, text });
    return findings;
  }

  /**
   * Python: re-parse only the top-level statements around the edit, on their own. Parsing the
   * whole file again costs 35-230 ms at 20,000 lines even incrementally (the module node has
   * thousands of children, and a blank line at top level defeats most reuse), while a few
   * statements parse in about a millisecond. Sound because a Python top-level statement starts
   * at column 0 and can only run into the next one through an open bracket, string, line
   * continuation or dangling decorator, which all leave a syntax error at the end of the
   * region; any error there, or an older tree with errors, falls back to the whole-file parse.
   * The tree is left stale (edited, not re-parsed): it still gives statement boundaries for
   * the next edit, and the next whole-file parse starts from it.
   */
  private async relocateRegion(entry: Entry, text: string, e: Edit): Promise<Finding[] | undefined> {
    const root = entry.tree.rootNode;
    if (root.hasError) return undefined;
    // The statements touching the edit, plus one neighbour each side (decorators, a def typed in a gap).
    // Sibling steps, not root.namedChildren: that would build thousands of node objects.
    const touched = root.firstNamedChildForIndex(e.startIndex);
    const first = touched ? touched.previousNamedSibling : root.lastNamedChild; // null: from the top of the file
    let after = touched;
    while (after && after.startIndex <= e.newEndIndex) after = after.nextNamedSibling;
    const endNode = after?.nextNamedSibling ?? null; // null: to the end of the file
    // Both ends must be statements starting a line (not `a = 1; b = 2`); `first` ends before the edit, so its row is unchanged.
    if ((first && first.startPosition.column !== 0) || (endNode && endNode.startPosition.column !== 0)) return undefined;
    const startRow = first ? first.startPosition.row : 0;
    const endRow = endNode ? endNode.startPosition.row : Infinity; // new rows [startRow, endRow)
    const start = offsetOfRow(text, startRow);
    const end = endNode ? offsetOfRow(text, endRow) : text.length;
    const region = parseWith(await loadParser('python'), text.slice(start, end));
    try {
      if (region.rootNode.hasError) return undefined;
      const delta = e.newEndPosition.row - e.oldEndPosition.row;
      const kept: Finding[] = [];
      for (const f of entry.findings) {
        if (f.range.end.line < startRow) kept.push(f);
        else if (f.range.start.line >= endRow - delta) kept.push(delta ? shift(f, delta) : f);
      }
      const found = locateTree(region, 'python', entry.relPath, entry.context, named(region.rootNode)).map(f => shift(f, startRow));
      return [...kept, ...found].sort(byPosition);
    } finally {
      region.delete();
    }
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
