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
import { Finding, languageForPath } from './types';

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

export async function scanWorkspace(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const maxFiles = opts.maxFiles ?? 20_000;
  const maxBytes = opts.maxFileBytes ?? 1024 * 1024;
  await loadAllParsers();
  const result: ScanResult = { files: new Map(), facts: new Map(), filesLocated: 0, skipped: { tooLarge: 0, overLimit: 0, ignored: 0, unreadable: 0 }, truncated: false };
  const ignore = new IgnoreRules();
  let seen = 0;
  const stack: string[] = [''];
  while (stack.length) {
    if (opts.cancelled?.()) {
      result.truncated = true;
      break;
    }
    const rel = stack.pop() as string;
    const abs = path.join(root, rel);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(abs, { withFileTypes: true });
    } catch {
      result.skipped.unreadable++;
      continue;
    }
    if (entries.some(e => e.name === '.gitignore' && e.isFile())) {
      try {
        ignore.add(rel, await fs.promises.readFile(path.join(abs, '.gitignore'), 'utf8'));
      } catch {
        result.skipped.unreadable++;
      }
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (skipsDir(e.name, path.join(abs, e.name), childRel, ignore)) result.skipped.ignored++;
        else stack.push(childRel);
        continue;
      }
      const language = e.isFile() ? languageForPath(e.name) : undefined;
      if (!language) continue;
      if (ignore.ignores(childRel, false)) {
        result.skipped.ignored++;
        continue;
      }
      seen++;
      if (result.filesLocated >= maxFiles) {
        result.skipped.overLimit++;
        result.truncated = true;
        continue;
      }
      let text: string;
      try {
        const stat = await fs.promises.stat(path.join(abs, e.name));
        if (stat.size > maxBytes) {
          result.skipped.tooLarge++;
          continue;
        }
        text = await fs.promises.readFile(path.join(abs, e.name), 'utf8');
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
  }
  opts.onProgress?.({ filesSeen: seen, filesLocated: result.filesLocated });
  const sorted = new Map([...result.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  result.files = result.facts?.size ? applyCrossFile(sorted, result.facts) : sorted;
  return result;
}
