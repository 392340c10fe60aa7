import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addWorktree, defaultBaseRef, GitError, listWorktrees, resolveMergeBase, withWorktree } from '../../../src/core/env/worktree';

const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

async function rejectsKind(p: Promise<unknown>, kind: string, text: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof GitError, String(e));
    assert.strictEqual(e.kind, kind, e.message);
    assert.match(e.message, text);
    return true;
  });
}

describe('env/worktree', () => {
  let repo: string;
  let base: string;
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-nogit-'));

  before(() => {
    // main: one commit; feature: branches off it with a second commit; HEAD = feature.
    repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-wt-')));
    git(repo, 'init', '-q', '-b', 'main');
    fs.mkdirSync(path.join(repo, 'app'));
    fs.writeFileSync(path.join(repo, 'app', 'code.js'), 'base\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    base = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'checkout', '-q', '-b', 'feature');
    fs.writeFileSync(path.join(repo, 'app', 'code.js'), 'head\n');
    git(repo, 'commit', '-q', '-am', 'head');
    // main moves on after the branch point: the merge base stays the branch point.
    git(repo, 'checkout', '-q', 'main');
    fs.writeFileSync(path.join(repo, 'other.txt'), 'later on main\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'main later');
    git(repo, 'checkout', '-q', 'feature');
  });

  after(() => {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('resolves the merge base with the default branch (main without a remote), from a subfolder', async () => {
    assert.strictEqual(await defaultBaseRef(repo), 'main');
    const mb = await resolveMergeBase(path.join(repo, 'app'));
    assert.strictEqual(mb.sha, base);
    assert.strictEqual(mb.ref, 'main');
    assert.strictEqual(mb.head, git(repo, 'rev-parse', 'HEAD'));
    assert.strictEqual(mb.subdir, 'app');
    assert.strictEqual(mb.dirty, false);
    fs.writeFileSync(path.join(repo, 'app', 'code.js'), 'edited\n');
    try {
      assert.strictEqual((await resolveMergeBase(repo, 'main')).dirty, true);
    } finally {
      git(repo, 'checkout', '-q', '--', 'app/code.js');
    }
  });

  it('prefers origin/HEAD when a remote names its default branch', async () => {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-wt-clone-'));
    try {
      git(clone, 'clone', '-q', '-b', 'main', repo, 'c');
      const c = path.join(clone, 'c');
      git(c, 'checkout', '-q', '-b', 'mine');
      // The clone's origin/HEAD follows the source's checked-out branch (feature); point it at main.
      assert.strictEqual(await defaultBaseRef(c), 'origin/feature');
      git(c, 'remote', 'set-head', 'origin', 'main');
      assert.strictEqual(await defaultBaseRef(c), 'origin/main');
    } finally {
      fs.rmSync(clone, { recursive: true, force: true });
    }
  });

  it('checks the base out into a temp worktree and removes it afterwards, also when the work throws', async () => {
    const seen = await withWorktree(repo, base, async (w) => {
      assert.strictEqual(fs.readFileSync(path.join(w.dir, 'app', 'code.js'), 'utf8'), 'base\n');
      assert.ok((await listWorktrees(repo)).some((d) => fs.realpathSync(d) === fs.realpathSync(w.dir)));
      return w.dir;
    });
    assert.ok(!fs.existsSync(seen));
    assert.deepStrictEqual(await listWorktrees(repo), [repo]);
    let dir = '';
    await assert.rejects(
      withWorktree(repo, base, async (w) => {
        dir = w.dir;
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.ok(dir && !fs.existsSync(dir));
    assert.deepStrictEqual(await listWorktrees(repo), [repo]);
  });

  it('symlinks untracked shared folders (node_modules) the base lacks', async () => {
    const mods = path.join(repo, 'app', 'node_modules');
    fs.mkdirSync(mods, { recursive: true });
    fs.writeFileSync(path.join(mods, 'x.js'), '1');
    const w = await addWorktree(repo, base, { share: [{ from: mods, rel: 'app/node_modules' }] });
    try {
      assert.strictEqual(fs.readFileSync(path.join(w.dir, 'app', 'node_modules', 'x.js'), 'utf8'), '1');
    } finally {
      await w.remove();
      fs.rmSync(mods, { recursive: true, force: true });
    }
    assert.ok(fs.existsSync(path.join(repo, 'app')), 'removing the worktree leaves the shared folder alone');
  });

  it('a SIGTERM while the worktree exists removes it before the process ends', async function () {
    this.timeout(20000);
    const mod = path.join(__dirname, '..', '..', '..', 'src', 'core', 'env', 'worktree.js');
    const script = `const w=require(${JSON.stringify(mod)});w.addWorktree(${JSON.stringify(repo)},${JSON.stringify(base)}).then(t=>{console.log(t.dir);setInterval(()=>{},1000)})`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dir = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
    assert.ok(fs.existsSync(dir));
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.strictEqual(code, 143);
    assert.ok(!fs.existsSync(dir), 'worktree folder removed');
    assert.deepStrictEqual(await listWorktrees(repo), [repo]);
  });

  it('clear errors: not a repository, unknown ref, no default branch', async () => {
    await rejectsKind(resolveMergeBase(outside), 'not-a-repo', /not a git repository — A\/B needs git/);
    await rejectsKind(resolveMergeBase(repo, 'no-such-branch'), 'unknown-ref', /unknown git ref "no-such-branch"/);
    await rejectsKind(resolveMergeBase(repo, '--evil'), 'unknown-ref', /invalid git ref/);
    const lone = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-wt-lone-'));
    try {
      git(lone, 'init', '-q', '-b', 'trunk');
      await rejectsKind(resolveMergeBase(lone), 'unknown-ref', /no commits yet/);
      fs.writeFileSync(path.join(lone, 'f'), 'x');
      git(lone, 'add', '.');
      git(lone, 'commit', '-q', '-m', 'x');
      await rejectsKind(resolveMergeBase(lone), 'unknown-ref', /no default branch to compare with .* pass --base REF/);
    } finally {
      fs.rmSync(lone, { recursive: true, force: true });
    }
  });
});
