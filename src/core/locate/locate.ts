// Entry points: locate findings in a parsed tree or in source text.
import type { Node, Tree } from 'web-tree-sitter';
import { goContext, GoContext, locateGo } from './go';
import { jsContext, locateJavaScript, Mounts } from './javascript';
import { javascriptModuleFacts, mayHaveJsModuleFacts } from './javascriptModules';
import { loadParser, parseWith } from './parser';
import { locatePython, pythonContext, PythonContext } from './python';
import { isEmptyFacts, ModuleFacts } from './crossFile';
import { goModuleFacts, mayHaveGoModuleFacts } from './goModules';
import { mayHaveModuleFacts, pythonModuleFacts } from './pythonModules';
import { Finding, LanguageId, languageForPath } from './types';

/** File-wide facts a locator needs besides the statement itself (router prefixes, groups). */
export type LocateContext = { language: 'python'; value: PythonContext } | { language: 'go'; value: GoContext } | { language: 'js'; value: Mounts };

export function contextOf(tree: Tree, language: LanguageId): LocateContext {
  const root = tree.rootNode;
  if (language === 'python') return { language, value: pythonContext(root) };
  if (language === 'go') return { language, value: goContext(root) };
  return { language: 'js', value: jsContext(root) };
}

const CONTEXT_LINES: Record<'python' | 'go' | 'js', RegExp> = {
  python: /^.*\b(APIRouter|Blueprint|FastAPI|Flask|include_router|register_blueprint)\b.*$/gm,
  go: /^.*\.Group\s*\(.*$/gm,
  js: /^.*(\.use\s*\(|\.register\s*\(|\b(express|Router|fastify|Fastify|Koa|KoaRouter|Hono|polka|createServer|require)\b).*$/gm,
};

/**
 * The source lines the context can depend on. While this string is unchanged after an edit,
 * the cached context is still right and only the edited statements need locating again.
 */
export function contextSignature(text: string, language: LanguageId): string {
  const key = language === 'python' || language === 'go' ? language : 'js';
  return (text.match(CONTEXT_LINES[key]) ?? []).map(l => l.trim()).join('\n');
}

/** Could lines `snippet` hold context (see contextSignature)? Lets an edit skip the file-wide regex. */
export function touchesContext(snippet: string, language: LanguageId): boolean {
  const key = language === 'python' || language === 'go' ? language : 'js';
  CONTEXT_LINES[key].lastIndex = 0;
  return CONTEXT_LINES[key].test(snippet);
}

/**
 * Findings in an already parsed tree, in document order. `relPath` is the file relative to the
 * workspace root, with `/`. With `only` (top-level statements), just those are located,
 * using `context` computed earlier for the same file.
 */
export function locateTree(tree: Tree, language: LanguageId, relPath: string, context?: LocateContext, only?: Node[]): Finding[] {
  const root = tree.rootNode;
  const ctx = context ?? contextOf(tree, language);
  const found =
    ctx.language === 'python'
      ? locatePython(root, relPath, ctx.value, only)
      : ctx.language === 'go'
        ? locateGo(root, ctx.value, only)
        : locateJavaScript(root, language, ctx.value, only);
  return found.sort(byPosition);
}

export function byPosition(a: Finding, b: Finding): number {
  return a.nameRange.start.line - b.nameRange.start.line || a.nameRange.start.character - b.nameRange.start.character;
}

/** The module's router/mount/import facts for crossFile.ts, or undefined when it has none worth keeping. */
export function moduleFactsOf(tree: Tree, language: LanguageId, relPath: string, text: string): ModuleFacts | undefined {
  let facts: ModuleFacts | undefined;
  if (language === 'python') facts = mayHaveModuleFacts(relPath, text) ? pythonModuleFacts(tree.rootNode) : undefined;
  else if (language === 'go') facts = mayHaveGoModuleFacts(text) ? goModuleFacts(tree.rootNode) : undefined;
  else facts = mayHaveJsModuleFacts(text) ? javascriptModuleFacts(tree.rootNode) : undefined;
  return facts && !isEmptyFacts(facts) ? facts : undefined;
}

/** Parse and locate. The language comes from the file name unless given. */
export async function locateSource(text: string, relPath: string, language?: LanguageId): Promise<Finding[]> {
  return (await locateSourceWithFacts(text, relPath, language)).findings;
}

/** locateSource plus the module facts (moduleFactsOf) from the same parse. */
export async function locateSourceWithFacts(text: string, relPath: string, language?: LanguageId): Promise<{ findings: Finding[]; facts?: ModuleFacts }> {
  const lang = language ?? languageForPath(relPath);
  if (!lang) return { findings: [] };
  const tree = parseWith(await loadParser(lang), text);
  const rel = relPath.split('\\').join('/');
  try {
    return { findings: locateTree(tree, lang, rel), facts: moduleFactsOf(tree, lang, rel, text) };
  } finally {
    tree.delete();
  }
}
