// Whole-workspace scan: walk the folder, skip dependencies/venvs/build output/VCS folders and
// anything .gitignore'd, and locate findings in every supported file, within bounds on the
// number of files and their size. Pure Node, so it runs in a worker thread (scanWorker.ts)
// as well as in the CLI.
import * as fs from 'fs';
import * as path from 'path';
import { applyCrossFile } from './crossFile';
import { IgnoreRules } from './ignore';
import { locateTree, moduleFactsOf } from './locate';
import { loadAllParsers, parserIfLoaded, parseWith } from './parser';
import type { ModuleFacts } from './crossFile';
import { Finding, languageForPath, type LanguageId } from './types';

/** Folders never worth parsing, whatever .gitignore says. */
export const SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '.tox', '.nox', '__pycache__', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', 'site-packages', 'dist', 'build', 'out', 'target', 'coverage', '.next',
  '.nuxt', 'vendor', '.vscode-test', '.perf', '.idea', 'bower_components',
]);

export interface ScanOptions {
  maxFiles?: number; // files located at most (default 20,000)
  maxFileBytes?: number; // larger files are skipped (default 1 MiB)
  onProgress?: (p: ScanProgress) => void;
  /** Checked between files; set to stop early. */
  cancelled?: () => boolean;
}

export interface ScanProgress {
  filesSeen: number;
  filesLocated: number;
}

export interface ScanResult {
  /** relPath (with `/`) → findings; files with none are left out. Routes carry prefixes set in other files (crossFile.ts). */
  files: Map<string, Finding[]>;
  /** Python modules' router/mount/import facts, for re-applying cross-file prefixes after a file changes. */
  facts?: Map<string, ModuleFacts>;
  filesLocated: number;
  skipped: { tooLarge: number; overLimit: number; ignored: number; unreadable: number };
  truncated: boolean;
}

function isVenv(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pyvenv.cfg'));
}

/** Is folder `childRel` (named `name`, at `abs`) one the scan never enters? */
function skipsDir(name: string, abs: string, childRel: string, ignore: IgnoreRules): boolean {
  return SKIPPED_DIRS.has(name) || ignore.ignores(childRel, true) || isVenv(abs);
}

/**
 * Would the scan of `root` locate in file `rel` (with `/`), or enter folder `rel` (`isDir`)? For a
 * file watcher: the same folder rules and the .gitignore files of the root and every folder on the way down.
 */
export function scanIncludes(root: string, rel: string, isDir = false): boolean {
  if (!isDir && !languageForPath(rel)) return false;
  const parts = rel.split('/');
  const ignore = new IgnoreRules();
  let dirRel = '';
  for (let i = 0; i < parts.length; i++) {
    try {
      ignore.add(dirRel, fs.readFileSync(path.join(root, dirRel, '.gitignore'), 'utf8'));
    } catch {
      // no .gitignore in this folder
    }
    const childRel = dirRel ? `${dirRel}/${parts[i]}` : parts[i];
    if (i === parts.length - 1) return isDir ? !skipsDir(parts[i], path.join(root, childRel), childRel, ignore) : !ignore.ignores(childRel, false);
    if (skipsDir(parts[i], path.join(root, childRel), childRel, ignore)) return false;
    dirRel = childRel;
  }
  return false;
}

interface SourceFile {
  rel: string;
  abs: string;
  language: LanguageId;
}

/**
 * Every source file the scan covers, depth first: folders it never enters and .gitignore'd paths
 * are counted in `skipped.ignored`, unreadable folders in `skipped.unreadable`.
 */
async function* walkSources(root: string, skipped: ScanResult['skipped'], cancelled?: () => boolean): AsyncGenerator<SourceFile> {
  const ignore = new IgnoreRules();
  const stack: string[] = [''];
  while (stack.length && !cancelled?.()) {
    const rel = stack.pop() as string;
    const abs = path.join(root, rel);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(abs, { withFileTypes: true });
    } catch {
      skipped.unreadable++;
      continue;
    }
    if (entries.some(e => e.name === '.gitignore' && e.isFile())) {
      try {
        ignore.add(rel, await fs.promises.readFile(path.join(abs, '.gitignore'), 'utf8'));
      } catch {
        skipped.unreadable++;
      }
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (skipsDir(e.name, path.join(abs, e.name), childRel, ignore)) skipped.ignored++;
        else stack.push(childRel);
        continue;
      }
      const language = e.isFile() ? languageForPath(e.name) : undefined;
      if (!language) continue;
      if (ignore.ignores(childRel, false)) {
        skipped.ignored++;
        continue;
      }
      yield { rel: childRel, abs: path.join(abs, e.name), language };
    }
  }
}

/**
 * Source files the scan covers that were modified at or after `sinceMs` (epoch ms), with `/`:
 * the catch-up after start-up, for files created or edited while no watcher reported them.
 * Stats only; at most `maxFiles` files are looked at.
 */
export async function sourcesChangedSince(root: string, sinceMs: number, opts: { maxFiles?: number; cancelled?: () => boolean } = {}): Promise<string[]> {
  const skipped = { tooLarge: 0, overLimit: 0, ignored: 0, unreadable: 0 };
  const changed: string[] = [];
  let seen = 0;
  for await (const f of walkSources(root, skipped, opts.cancelled)) {
    if (++seen > (opts.maxFiles ?? 20_000)) break;
    try {
      if ((await fs.promises.stat(f.abs)).mtimeMs >= sinceMs) changed.push(f.rel);
    } catch {
      // gone again: its deletion is the watcher's
    }
  }
  return changed;
}

export async function scanWorkspace(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const maxFiles = opts.maxFiles ?? 20_000;
  const maxBytes = opts.maxFileBytes ?? 1024 * 1024;
  await loadAllParsers();
  const result: ScanResult = { files: new Map(), facts: new Map(), filesLocated: 0, skipped: { tooLarge: 0, overLimit: 0, ignored: 0, unreadable: 0 }, truncated: false };
  let seen = 0;
  for await (const { rel: childRel, abs, language } of walkSources(root, result.skipped, opts.cancelled)) {
    seen++;
    if (result.filesLocated >= maxFiles) {
      result.skipped.overLimit++;
      result.truncated = true;
      continue;
    }
    let text: string;
    try {
      const stat = await fs.promises.stat(abs);
      if (stat.size > maxBytes) {
        result.skipped.tooLarge++;
        continue;
      }
      text = await fs.promises.readFile(abs, 'utf8');
    } catch {
      result.skipped.unreadable++;
      continue;
    }
    const parser = parserIfLoaded(language);
    if (!parser) continue;
    const tree = parseWith(parser, text);
    try {
      const found = locateTree(tree, language, childRel);
      if (found.length) result.files.set(childRel, found);
      const facts = moduleFactsOf(tree, language, childRel, text);
      if (facts) result.facts?.set(childRel, facts);
    } finally {
      tree.delete();
    }
    result.filesLocated++;
    if (result.filesLocated % 200 === 0) opts.onProgress?.({ filesSeen: seen, filesLocated: result.filesLocated });
  }
  if (opts.cancelled?.()) result.truncated = true;
  opts.onProgress?.({ filesSeen: seen, filesLocated: result.filesLocated });
  const sorted = new Map([...result.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  result.files = result.facts?.size ? applyCrossFile(sorted, result.facts) : sorted;
  return result;
}
