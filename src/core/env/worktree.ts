// A temporary git worktree holding the merge base, for same-machine A/B runs. The base is
// checked out detached into a fresh temp folder and ALWAYS removed again: in `finally`, on
// SIGINT/SIGTERM, and at process exit as a last resort (a leftover worktree would show up in
// the user's `git worktree list` and keep its folder locked). The HEAD side is the working tree
// as it is, uncommitted edits included; `dirty` says so.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GIT_ENV, GitError, gitText } from './git';
import { signalExitCode, STOP_SIGNALS } from './stopSignals';
import { relativePosix } from '../relativePath';

export { GitError };

// One git runner for the whole env layer (git.ts): same error classes, same environment.
const git = gitText;

export interface MergeBase {
  /** Top-level folder of the repository. */
  repoRoot: string;
  /** The ref compared with, as given or as defaulted (e.g. "origin/main"). */
  ref: string;
  /** Full sha of `git merge-base HEAD <ref>`. */
  sha: string;
  /** Full sha of HEAD. */
  head: string;
  /** Uncommitted changes to tracked files (the HEAD side runs them as they are). */
  dirty: boolean;
  /** The workspace folder relative to the repository root ("" when it is the root). */
  subdir: string;
}

async function verify(root: string, ref: string): Promise<string | undefined> {
  const r = await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return r.code === 0 ? r.stdout : undefined;
}

/** The upstream default branch: origin/HEAD's target, else main, else master (local or origin/). */
export async function defaultBaseRef(root: string): Promise<string> {
  const sym = await git(root, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  if (sym.code === 0 && sym.stdout && (await verify(root, sym.stdout))) return sym.stdout;
  for (const ref of ['main', 'master', 'origin/main', 'origin/master']) if (await verify(root, ref)) return ref;
  throw new GitError('unknown-ref', `${root}: no default branch to compare with (no origin/HEAD, main or master); pass --base REF`);
}

/** Resolves `git merge-base HEAD <ref>` for the repository holding `dir`. */
export async function resolveMergeBase(dir: string, ref?: string): Promise<MergeBase> {
  const top = await git(dir, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) throw new GitError('not-a-repo', `${dir}: not a git repository — A/B needs git to check out the base`);
  const repoRoot = top.stdout;
  if (ref !== undefined && (!ref || ref.startsWith('-') || /[\0\s]/.test(ref))) throw new GitError('unknown-ref', `${repoRoot}: invalid git ref "${ref}"`);
  const head = await verify(repoRoot, 'HEAD');
  if (!head) throw new GitError('unknown-ref', `${repoRoot}: the repository has no commits yet`);
  const base = ref ?? (await defaultBaseRef(repoRoot));
  if (!(await verify(repoRoot, base))) throw new GitError('unknown-ref', `${repoRoot}: unknown git ref "${base}" (no branch, tag or commit by that name)`);
  const mb = await git(repoRoot, ['merge-base', 'HEAD', base]);
  if (mb.code !== 0 || !mb.stdout) throw new GitError('unknown-ref', `${repoRoot}: HEAD and "${base}" have no common ancestor`);
  const status = await git(repoRoot, ['status', '--porcelain', '--untracked-files=no', '--', ':/', ':(top,exclude,glob)**/.perf/**']);
  const realRoot = fs.realpathSync(repoRoot);
  const subdir = relativePosix(realRoot, fs.realpathSync(dir));
  return { repoRoot, ref: base, sha: mb.stdout, head, dirty: status.code === 0 && status.stdout.length > 0, subdir };
}

export interface Worktree {
  /** Folder of the checkout (the repository root at `sha`). */
  dir: string;
  sha: string;
  /** Removes the worktree (idempotent). */
  remove(): Promise<void>;
}

const live = new Set<{ root: string; dir: string }>();

/** Synchronous removal, for signal handlers and process exit, where nothing async runs any more. */
function removeSync(w: { root: string; dir: string }): void {
  try {
    execFileSync('git', ['worktree', 'remove', '--force', w.dir], { cwd: w.root, env: GIT_ENV, stdio: 'ignore' });
  } catch {
    /* not registered any more: the folder and prune below still clean up */
  }
  // The checkout lives in its own mkdtemp folder: remove that too.
  fs.rmSync(path.dirname(w.dir), { recursive: true, force: true });
  try {
    execFileSync('git', ['worktree', 'prune'], { cwd: w.root, env: GIT_ENV, stdio: 'ignore' });
  } catch {
    /* best effort */
  }
  live.delete(w);
}

let handlersOn = false;
function onSignal(sig: NodeJS.Signals): void {
  for (const w of [...live]) removeSync(w);
  // When we are the only listener, keep the signal's usual meaning: end the process.
  if (process.listenerCount(sig) <= 1) process.exit(signalExitCode(sig));
}
function onExit(): void {
  for (const w of [...live]) removeSync(w);
}
function armHandlers(): void {
  if (handlersOn) return;
  handlersOn = true;
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  process.on('exit', onExit);
}
function disarmHandlers(): void {
  if (!handlersOn || live.size) return;
  handlersOn = false;
  for (const s of STOP_SIGNALS) process.off(s, onSignal);
  process.off('exit', onExit);
}

/**
 * Checks `sha` out detached into a new temp folder. Folders the base needs but git does not
 * track (`share`, e.g. node_modules) are symlinked from the working tree when the base lacks them.
 */
export async function addWorktree(repoRoot: string, sha: string, opts: { share?: { from: string; rel: string }[] } = {}): Promise<Worktree> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-ab-'));
  const dir = path.join(parent, 'base');
  const entry = { root: repoRoot, dir };
  armHandlers();
  live.add(entry);
  const r = await git(repoRoot, ['worktree', 'add', '--detach', dir, sha]);
  if (r.code !== 0) {
    removeSync(entry);
    fs.rmSync(parent, { recursive: true, force: true });
    disarmHandlers();
    throw new GitError('failed', `${repoRoot}: git worktree add failed: ${r.stderr}`);
  }
  for (const s of opts.share ?? []) {
    const target = path.join(dir, s.rel);
    if (fs.existsSync(s.from) && !fs.existsSync(target) && fs.existsSync(path.dirname(target))) fs.symlinkSync(s.from, target, 'dir');
  }
  let removed = false;
  return {
    dir,
    sha,
    remove: async () => {
      if (removed) return;
      removed = true;
      const rm = await git(repoRoot, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
      if (!rm || rm.code !== 0) fs.rmSync(dir, { recursive: true, force: true });
      await git(repoRoot, ['worktree', 'prune']).catch(() => undefined);
      fs.rmSync(parent, { recursive: true, force: true });
      live.delete(entry);
      disarmHandlers();
    },
  };
}

/** Runs `fn` with a worktree of `sha`, removing it afterwards whatever happens. */
export async function withWorktree<T>(repoRoot: string, sha: string, fn: (w: Worktree) => Promise<T>, opts: { share?: { from: string; rel: string }[] } = {}): Promise<T> {
  const w = await addWorktree(repoRoot, sha, opts);
  try {
    return await fn(w);
  } finally {
    await w.remove();
  }
}

/** Worktrees git knows of for the repository (for tests and for checking we left none behind). */
export async function listWorktrees(repoRoot: string): Promise<string[]> {
  const r = await git(repoRoot, ['worktree', 'list', '--porcelain']);
  return r.stdout.split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice('worktree '.length));
}
