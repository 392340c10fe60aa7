// Git facts for a folder, via `git` child processes (execFile: no shell, so refs and
// paths are never interpreted by one).
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { GitInfo } from '../model';
import { relativePosix } from '../relativePath';

export type GitErrorKind = 'not-a-repo' | 'unknown-ref' | 'missing-file' | 'git-missing' | 'failed';

export class GitError extends Error {
  constructor(
    readonly kind: GitErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** C locale for parseable messages; no optional locks or credential prompts from a background tool. */
export const GIT_ENV = { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' };

/** Runs git; resolves with the exit code instead of rejecting so callers can classify failures. */
export function git(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, env: GIT_ENV },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (e && (e.code === 'ENOENT' || e.code === 'EACCES') && typeof e.code === 'string') {
          // Either git is not installed or the folder does not exist.
          // spawn reports a missing cwd as ENOENT too, so tell the two apart.
          reject(
            e.code === 'ENOENT' && fs.existsSync(cwd)
              ? new GitError('git-missing', 'git was not found on PATH')
              : new GitError('not-a-repo', `${cwd}: not a git repository (cannot run git there: ${e.code})`),
          );
          return;
        }
        const code = e ? (typeof e.code === 'number' ? e.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr.toString('utf8').trim() });
      },
    );
  });
}

/** `git` with stdout as trimmed text, for commands that print a line or a short listing. */
export async function gitText(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await git(cwd, args);
  return { ...r, stdout: r.stdout.toString('utf8').trim() };
}

const notRepo = (s: string) => /not a git repository/i.test(s);

/** Top-level folder of the repository holding `dir`; GitError('not-a-repo') otherwise. */
export async function repoRoot(dir: string): Promise<string> {
  const r = await git(dir, ['rev-parse', '--show-toplevel']);
  if (r.code !== 0) {
    throw new GitError(notRepo(r.stderr) ? 'not-a-repo' : 'failed', `${dir}: not a git repository${notRepo(r.stderr) ? '' : ` (${r.stderr})`}`);
  }
  return r.stdout.toString('utf8').trim();
}

/**
 * Commit, branch and dirty flag of the repository holding `dir`; undefined when `dir` is
 * not in a repository (or git is missing): runs outside git are normal, not errors.
 * `commit` is absent in a repository with no commits; `branch` is absent when detached.
 */
export async function gitInfo(dir: string): Promise<GitInfo | undefined> {
  let head: GitResult;
  try {
    head = await git(dir, ['rev-parse', '--is-inside-work-tree']);
  } catch {
    return undefined;
  }
  if (head.code !== 0) return undefined;
  const [commit, branch, status] = await Promise.all([
    git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']),
    git(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']),
    // Whole repository, minus any .perf/ folder: accepting a baseline edits the tracked
    // .perf/baselines.json, which must not make the next run of the same code "dirty".
    git(dir, ['status', '--porcelain', '--untracked-files=no', '--', ':/', ':(top,exclude,glob)**/.perf/**']),
  ]);
  const info: GitInfo = {};
  if (commit.code === 0) info.commit = commit.stdout.toString('utf8').trim();
  if (branch.code === 0) info.branch = branch.stdout.toString('utf8').trim();
  // Untracked files (result files) do not make the measured code dirty either.
  if (status.code === 0) info.dirty = status.stdout.length > 0;
  return info;
}

/**
 * Contents (UTF-8) of `file` at `ref` (`git show REF:path`). `file` is absolute or relative
 * to `repoDir`. Throws GitError with kind 'not-a-repo', 'unknown-ref' or 'missing-file'.
 */
export async function readFileAtRef(repoDir: string, ref: string, file: string): Promise<string> {
  // A ref starting with "-" would be read as an option by git.
  if (!ref || ref.startsWith('-') || /[\0\s]/.test(ref)) {
    throw new GitError('unknown-ref', `${repoDir}: invalid git ref "${ref}"`);
  }
  const root = path.resolve(await repoRoot(repoDir));
  // git reports the real path; resolve symlinks on our side too (/tmp → /private/tmp on macOS).
  const real = (p: string) => fs.promises.realpath(p).catch(() => p);
  const abs = path.isAbsolute(file)
    ? path.join(await real(path.dirname(file)), path.basename(file))
    : path.resolve(await real(repoDir), file);
  const rel = relativePosix(root, abs);
  if (rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) {
    throw new GitError('missing-file', `${file} is outside the repository ${root}`);
  }
  const verify = await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (verify.code !== 0) {
    throw new GitError('unknown-ref', `${root}: unknown git ref "${ref}" (no branch, tag or commit by that name)`);
  }
  const show = await git(root, ['cat-file', 'blob', `${verify.stdout.toString('utf8').trim()}:${rel}`]);
  if (show.code !== 0) {
    throw new GitError('missing-file', `${rel} does not exist at ${ref} in ${root}`);
  }
  return show.stdout.toString('utf8');
}
