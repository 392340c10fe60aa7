// Definitions by name, for results that name a function or script rather than a test the
// locators recognise (a suite's `map`, a hyperfine command running `python script.py`).
// Top-level functions and classes' (Go: types') methods; a whole script is anchored at its
// `if __name__ == "__main__":` block (Python) or else its first line.
import type { Node } from 'web-tree-sitter';
import { loadParser, parseWith } from './parser';
import { named, rangeOf } from './syntax';
import { Finding, LanguageId, languageForPath, Range } from './types';

interface Definition {
  name: Range;
  whole: Range;
}

const FUNCTION_TYPES = new Set(['function_definition', 'function_declaration', 'generator_function_declaration', 'method_definition', 'method_declaration']);
const CLASS_TYPES = new Set(['class_definition', 'class_declaration', 'abstract_class_declaration']);

/** The definition node inside a Python decorated_definition or a JS/TS export statement. */
function unwrap(n: Node): { def: Node; outer: Node } {
  const inner = n.type === 'decorated_definition' ? n.childForFieldName('definition') : n.type === 'export_statement' ? n.childForFieldName('declaration') : null;
  return { def: inner ?? n, outer: n };
}

function nameOf(def: Node): Node | null {
  if (def.type === 'lexical_declaration' || def.type === 'variable_declaration') {
    // const name = () => … / function () {…}
    const d = named(def).find(c => c.type === 'variable_declarator');
    const value = d?.childForFieldName('value');
    return value && /function|arrow_function/.test(value.type) ? (d?.childForFieldName('name') ?? null) : null;
  }
  return FUNCTION_TYPES.has(def.type) || CLASS_TYPES.has(def.type) ? def.childForFieldName('name') : null;
}

function find(nodes: Node[], name: string, classes: boolean): Definition | undefined {
  for (const n of nodes) {
    const { def, outer } = unwrap(n);
    const id = nameOf(def);
    if (id?.text === name && (classes ? CLASS_TYPES.has(def.type) : !CLASS_TYPES.has(def.type))) return { name: rangeOf(id), whole: rangeOf(outer) };
  }
  return undefined;
}

function goMethod(root: Node, type: string, method: string): Definition | undefined {
  for (const n of named(root).filter(c => c.type === 'method_declaration')) {
    const receiver = n.childForFieldName('receiver')?.text.replace(/[()*\s]/g, ' ') ?? '';
    const id = n.childForFieldName('name');
    if (id?.text === method && receiver.split(' ').includes(type)) return { name: rangeOf(id), whole: rangeOf(n) };
  }
  return undefined;
}

function symbolIn(root: Node, language: LanguageId, symbol: string): Definition | undefined {
  const [first, second] = symbol.split('.');
  if (second === undefined) return find(named(root), first, false);
  if (language === 'go') return goMethod(root, first, second);
  const cls = named(root).map(n => unwrap(n)).find(({ def }) => CLASS_TYPES.has(def.type) && nameOf(def)?.text === first);
  return cls ? find(named(cls.def.childForFieldName('body')), second, false) : undefined;
}

function scriptAnchor(root: Node): Definition {
  const main = named(root).find(n => n.type === 'if_statement' && /__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__/.test(n.childForFieldName('condition')?.text ?? ''));
  const anchor = main ?? named(root).find(n => n.type !== 'comment') ?? root;
  const { start } = rangeOf(anchor);
  const at = { start, end: start };
  return { name: at, whole: main ? rangeOf(main) : at };
}

/**
 * One `benchmark` finding per requested id, at its symbol's definition (or the script's
 * anchor when no symbol is given). Ids whose symbol is not in the file are left out.
 */
export async function locateSymbols(text: string, relPath: string, wanted: readonly { id: string; symbol?: string }[]): Promise<Finding[]> {
  const language = languageForPath(relPath);
  if (!language || !wanted.length) return [];
  const tree = parseWith(await loadParser(language), text);
  try {
    const out: Finding[] = [];
    for (const w of wanted) {
      const d = w.symbol ? symbolIn(tree.rootNode, language, w.symbol) : scriptAnchor(tree.rootNode);
      if (d) out.push({ kind: 'benchmark', id: w.id, name: w.symbol ?? relPath.split('/').pop() ?? relPath, language, nameRange: d.name, range: d.whole });
    }
    return out;
  } finally {
    tree.delete();
  }
}
