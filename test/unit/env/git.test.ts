import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GitError, gitInfo, readFileAtRef } from '../../../src/core/env/git';

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

describe('env/git', () => {
  let repo: string;
  let first: string;
  let second: string;
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-nogit-'));

  after(() => {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-git-'));
    git(repo, 'init', '-q', '-b', 'main');
    fs.mkdirSync(path.join(repo, '.perf'));
    fs.writeFileSync(path.join(repo, '.perf', 'baselines.json'), 'v1\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'one');
    first = git(repo, 'rev-parse', 'HEAD');
    fs.writeFileSync(path.join(repo, '.perf', 'baselines.json'), 'v2 ünïcode\n');
    fs.writeFileSync(path.join(repo, 'other.txt'), 'x');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'two');
    second = git(repo, 'rev-parse', 'HEAD');
  });

  it('reads commit, branch and dirty state', async () => {
    assert.deepStrictEqual(await gitInfo(repo), { commit: second, branch: 'main', dirty: false });
    fs.writeFileSync(path.join(repo, 'untracked.txt'), 'results');
    assert.strictEqual((await gitInfo(repo))?.dirty, false, 'untracked files do not count');
    fs.writeFileSync(path.join(repo, '.perf', 'baselines.json'), 'accepted a new baseline');
    assert.strictEqual((await gitInfo(repo))?.dirty, false, 'edits under .perf/ do not count');
    git(repo, 'checkout', '-q', '.perf/baselines.json');
    fs.writeFileSync(path.join(repo, 'other.txt'), 'changed');
    assert.strictEqual((await gitInfo(path.join(repo, '.perf')))?.dirty, true);
    git(repo, 'checkout', '-q', 'other.txt');
    git(repo, 'checkout', '-q', '--detach', first);
    assert.deepStrictEqual(await gitInfo(repo), { commit: first, dirty: false });
    git(repo, 'checkout', '-q', 'main');
  });

  it('is undefined outside a repository', async () => {
    assert.strictEqual(await gitInfo(outside), undefined);
    assert.strictEqual(await gitInfo(path.join(outside, 'does-not-exist')), undefined);
  });

  it('reads a file at a ref (branch, sha, relative ref, absolute path)', async () => {
    assert.strictEqual(await readFileAtRef(repo, 'main', '.perf/baselines.json'), 'v2 ünïcode\n');
    assert.strictEqual(await readFileAtRef(repo, 'HEAD~1', '.perf/baselines.json'), 'v1\n');
    assert.strictEqual(await readFileAtRef(repo, first, path.join(repo, '.perf', 'baselines.json')), 'v1\n');
    assert.strictEqual(await readFileAtRef(path.join(repo, '.perf'), first, 'baselines.json'), 'v1\n', 'relative to a subfolder');
    const link = path.join(outside, 'link-to-repo');
    fs.symlinkSync(repo, link);
    assert.strictEqual(await readFileAtRef(link, first, '.perf/baselines.json'), 'v1\n', 'through a symlinked folder');
    assert.strictEqual(await readFileAtRef(link, first, path.join(link, '.perf', 'baselines.json')), 'v1\n');
  });

  it('gives clear errors: unknown ref, missing file, not a repository, option-like ref', async () => {
    await rejectsKind(readFileAtRef(repo, 'no-such-branch', '.perf/baselines.json'), 'unknown-ref', /unknown git ref "no-such-branch"/);
    await rejectsKind(readFileAtRef(repo, first, 'other.txt'), 'missing-file', new RegExp(`other.txt does not exist at ${first}`));
    await rejectsKind(readFileAtRef(repo, 'main', '../escape.txt'), 'missing-file', /outside the repository/);
    await rejectsKind(readFileAtRef(outside, 'main', 'x.json'), 'not-a-repo', /not a git repository/);
    await rejectsKind(readFileAtRef(repo, '--output=/tmp/pwned', 'x'), 'unknown-ref', /invalid git ref/);
  });
});
