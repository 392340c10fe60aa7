// Entry points: locate findings in a parsed tree or in source text.
import type { Tree } from 'web-tree-sitter';
import { locateGo } from './go';
import { locateJavaScript } from './javascript';
import { loadParser, parseWith } from './parser';
import { locatePython } from './python';
import { Finding, LanguageId, languageForPath } from './types';

/** Findings in an already parsed tree. `relPath` is the file relative to the workspace root, with `/`. */
export function locateTree(tree: Tree, language: LanguageId, relPath: string): Finding[] {
  const root = tree.rootNode;
  const found = language === 'python' ? locatePython(root, relPath) : language === 'go' ? locateGo(root) : locateJavaScript(root, language);
  // Document order (by name), so lenses and look-ups see a stable sequence.
  return found.sort((a, b) => a.nameRange.start.line - b.nameRange.start.line || a.nameRange.start.character - b.nameRange.start.character);
}

/** Parse and locate. The language comes from the file name unless given. */
export async function locateSource(text: string, relPath: string, language?: LanguageId): Promise<Finding[]> {
  const lang = language ?? languageForPath(relPath);
  if (!lang) return [];
  const tree = parseWith(await loadParser(lang), text);
  try {
    return locateTree(tree, lang, relPath.split('\\').join('/'));
  } finally {
    tree.delete();
  }
}
