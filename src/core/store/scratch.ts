// Folders of files nobody should commit (live progress files) carry their own `.gitignore` of `*`,
// so `git status` stays clean without the user editing theirs.
import * as fs from 'fs';
import * as path from 'path';

/** Writes `dir/.gitignore` ignoring everything in `dir`, unless a `.gitignore` is already there. */
export function gitignoreScratch(dir: string): void {
  try {
    fs.writeFileSync(path.join(dir, '.gitignore'), '# Perf Lens live progress files (scratch)\n*\n', { flag: 'wx' });
  } catch {
    /* already there, or unwritable: the caller's own write will say so */
  }
}
