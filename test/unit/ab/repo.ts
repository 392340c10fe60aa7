// A throwaway git repository of test/workspaces/ab: main = fast code, branch "slow" (checked out)
// = lib/work.js doing twice the work. Shared by the A/B runner and CLI tests.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../helpers';

const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
export const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

export function abRepo(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-ab-unit-')));
  fs.cpSync(path.join(repoRoot, 'test', 'workspaces', 'ab'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '.gitignore'), '.perf/\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'fast');
  git(dir, 'checkout', '-q', '-b', 'slow');
  const f = path.join(dir, 'lib', 'work.js');
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('const FACTOR = 1;', 'const FACTOR = 2;'));
  git(dir, 'commit', '-q', '-am', 'slow');
  return dir;
}
