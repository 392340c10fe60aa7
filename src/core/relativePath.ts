import * as path from 'path';

/** `abs` relative to `root`, with `/` on every platform: how ids, configs and indexes name files. */
export function relativePosix(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}
