// One parsing engine for every language we locate in: web-tree-sitter (WebAssembly)
// with the grammars' own .wasm builds from npm (tree-sitter-python/-javascript/
// -typescript/-go). Chosen by measurement on this machine (Node 20, 2 shared cores, load
// average 6-14 while measuring, so figures vary ~2x run to run; bench/locate.ts prints them):
//   - Full parse of a 20,000-line TS file: tree-sitter ~300 ms, the TypeScript compiler's
//     createSourceFile 230-760 ms — comparable. The TypeScript API has no incremental
//     re-parse we could use per keystroke; tree-sitter re-parses after an edit in ~20-60 ms,
//     and re-indexing (parse + re-locating the changed statements) stays ~30-50 ms for TS,
//     ~7-30 ms for Go, ~30 ms (typing) / ~80 ms (new line) for Python.
//   - One engine covers Python and Go too; the TS compiler covers only JS/TS.
//   - Size: web-tree-sitter adds ~60 KB of JS to dist/extension.js plus a 205 KB runtime
//     wasm; grammars python 458 KB, javascript 412 KB, typescript 1.4 MB, tsx 1.45 MB,
//     go 217 KB (~4.1 MB on disk, each loaded on first use). The TypeScript compiler would
//     add ~9 MB of JS to the bundle.
// tree-sitter-wasms (one package, older grammars) was also tried: its Python grammar
// re-parsed a new line 2x slower (170 vs 85 ms), so we use the grammars' own packages.
//
// The .wasm files are resolved at run time: `dist/grammars/` next to the webpack bundle
// (webpack.config.js copies them there), else `node_modules/<pkg>/` found walking up
// from this file or the working directory (tests run from out/).
import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, Tree } from 'web-tree-sitter';
import type { LanguageId } from './types';

/** Package and file of each grammar (and of the runtime itself), relative to node_modules. */
export const WASM_ASSETS: Record<LanguageId | 'runtime', { pkg: string; file: string }> = {
  runtime: { pkg: 'web-tree-sitter', file: 'tree-sitter.wasm' },
  python: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  javascript: { pkg: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' },
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  go: { pkg: 'tree-sitter-go', file: 'tree-sitter-go.wasm' },
};

let grammarDirOverride: string | undefined;

/** Tell the engine where the .wasm files are (e.g. the extension's dist/grammars). */
export function setGrammarDir(dir: string): void {
  grammarDirOverride = dir;
}

function nodeModulesCandidates(pkg: string, file: string): string[] {
  const out: string[] = [];
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      out.push(path.join(dir, 'node_modules', pkg, file));
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return out;
}

/** Absolute path of a wasm asset; throws naming every place looked at. */
export function resolveWasm(asset: keyof typeof WASM_ASSETS): string {
  const { pkg, file } = WASM_ASSETS[asset];
  const candidates = [
    ...(grammarDirOverride ? [path.join(grammarDirOverride, file)] : []),
    path.join(__dirname, 'grammars', file),
    ...nodeModulesCandidates(pkg, file),
  ];
  const found = candidates.find(p => fs.existsSync(p));
  if (!found) throw new Error(`Perf Lens: cannot find ${file} (looked in ${candidates.slice(0, 4).join(', ')} …)`);
  return found;
}

let initialised: Promise<void> | undefined;
const languages = new Map<LanguageId, Promise<Language>>();
const parsers = new Map<LanguageId, Parser>();

function init(): Promise<void> {
  initialised ??= Parser.init({ locateFile: () => resolveWasm('runtime') });
  return initialised;
}

/** Load (once) the grammar of `lang` and return a parser ready for it. */
export async function loadParser(lang: LanguageId): Promise<Parser> {
  const ready = parsers.get(lang);
  if (ready) return ready;
  await init();
  let pending = languages.get(lang);
  if (!pending) {
    pending = Language.load(fs.readFileSync(resolveWasm(lang)));
    languages.set(lang, pending);
  }
  const language = await pending;
  const existing = parsers.get(lang);
  if (existing) return existing;
  const parser = new Parser();
  parser.setLanguage(language);
  parsers.set(lang, parser);
  return parser;
}

/** Load every grammar up front (the workspace scan and the bench do this). */
export async function loadAllParsers(): Promise<void> {
  await Promise.all((['python', 'javascript', 'typescript', 'tsx', 'go'] as const).map(loadParser));
}

/** The parser for `lang` if already loaded; locating stays synchronous after the first load. */
export function parserIfLoaded(lang: LanguageId): Parser | undefined {
  return parsers.get(lang);
}

/** Parse `text`; pass the previous tree (already `edit`ed) for an incremental re-parse. */
export function parseWith(parser: Parser, text: string, oldTree?: Tree): Tree {
  const tree = parser.parse(text, oldTree ?? null);
  if (!tree) throw new Error('Perf Lens: tree-sitter returned no tree (parser has no language?)');
  return tree;
}
