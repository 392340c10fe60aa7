// A plain fs.watch on one folder for a few file names in it, beside VS Code's watcher for the
// same files. VS Code's watcher starts asynchronously and, in a window that is still opening,
// has been seen to miss an edit of perf-lens.config.json made right after activation (CI: the
// suite's task never saw the edit in 60 s). fs.watch is in place when this returns. Pure Node.
import * as fs from 'fs';

export function watchNamedFiles(dir: string, names: readonly string[], onChange: (name: string) => void): { dispose(): void } {
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(dir, { persistent: false }, (_type, name) => {
      const file = name?.toString();
      if (file && names.includes(file)) onChange(file);
    });
    watcher.on('error', () => watcher?.close()); // the folder went away: VS Code's watcher remains
  } catch {
    watcher = undefined; // no such folder: VS Code's watcher remains
  }
  return { dispose: () => watcher?.close() };
}
