// Folders created after start-up get a watcher of their own (fs.watch, one per folder).
// VS Code's recursive watcher on Linux (@parcel/watcher's inotify backend) watches a new folder
// but not the folders created inside it microseconds later (`mkdir -p`, git checkout, a tool
// writing results/pages/x.json): edits under those are never reported, until a window reload
// (parcel-bundler/watcher#97, #243). Measured here: a test that writes tests/perf/x.py with
// mkdirSync({recursive}) then edits it got no event in clean CI runs. Extensions cannot ask
// VS Code for a plain watcher inside the workspace (non-recursive requests there are reused
// from the recursive one), so this watches those folders itself. Pure Node: no vscode import.
// The same miss happens at start-up, while VS Code's watcher is still walking the tree: a folder
// created then was never reported, nor any later edit in it (seen in CI: the workspace-index
// tests' files, written as the window opened, got no event at all). So the folders that hold
// indexed findings are watched here too, one by one (watchFolder).
import * as fs from 'fs';
import * as path from 'path';

export type CreatedFolderEvent =
  | { kind: 'folder'; rel: string } // a folder appeared under a watched one (look inside it)
  | { kind: 'changed'; rel: string } // a file appeared or changed
  | { kind: 'deleted'; rel: string }; // a file or folder is gone

export interface CreatedFolderOptions {
  /** Whether folder `rel` (with `/`) is worth watching (skips node_modules, venvs, ignored folders). */
  enters: (rel: string) => boolean;
  onEvent: (e: CreatedFolderEvent) => void;
  /** Folders watched at most (each is one inotify watch); default 1000. */
  maxFolders?: number;
  /** Called once when the limit is reached. */
  onLimit?: (max: number) => void;
}

export class CreatedFolderWatch {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private limitReported = false;
  private disposed = false;

  constructor(private readonly root: string, private readonly opts: CreatedFolderOptions) {}

  /** Watch folder `rel` and every folder under it that `enters` allows. Resolves when all are watched. */
  async add(rel: string): Promise<void> {
    if (!this.watch(rel)) return;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(path.join(this.root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(entries.filter(e => e.isDirectory()).map(e => this.add(`${rel}/${e.name}`)));
  }

  /** Watch folder `rel` alone (its files; folders created in it later are then watched whole). */
  watchFolder(rel: string): void {
    this.watch(rel);
  }

  /** Starts watching `rel`; false when it is not watched (skipped, gone, at the limit, already). */
  private watch(rel: string): boolean {
    if (this.disposed || this.watchers.has(rel) || !this.opts.enters(rel)) return false;
    if (this.watchers.size >= (this.opts.maxFolders ?? 1000)) {
      if (!this.limitReported) this.opts.onLimit?.(this.opts.maxFolders ?? 1000);
      this.limitReported = true;
      return false;
    }
    const abs = path.join(this.root, rel);
    let watcher: fs.FSWatcher;
    try {
      // Watch before listing, so a folder created in between is reported rather than missed.
      watcher = fs.watch(abs, { persistent: false }, (type, name) => void this.event(rel, type, name?.toString()));
    } catch {
      return false; // gone again, or not a folder
    }
    watcher.on('error', () => this.unwatch(rel));
    this.watchers.set(rel, watcher);
    return true;
  }

  /** Folders watched now (for status reports and tests). */
  folders(): string[] {
    return [...this.watchers.keys()].sort();
  }

  private async event(dir: string, type: string, name: string | undefined): Promise<void> {
    if (this.disposed || !name) return;
    const rel = `${dir}/${name}`;
    let stat: fs.Stats | undefined;
    try {
      stat = await fs.promises.stat(path.join(this.root, rel));
    } catch {
      stat = undefined;
    }
    if (!stat) {
      this.unwatch(rel);
      this.opts.onEvent({ kind: 'deleted', rel });
    } else if (stat.isDirectory()) {
      if (type !== 'rename') return; // attributes of a folder: nothing to read
      await this.add(rel);
      this.opts.onEvent({ kind: 'folder', rel });
    } else if (stat.isFile()) {
      this.opts.onEvent({ kind: 'changed', rel });
    }
  }

  /** Stop watching `rel` and everything under it (it was deleted). */
  private unwatch(rel: string): void {
    for (const [k, w] of this.watchers) {
      if (k !== rel && !k.startsWith(rel + '/')) continue;
      w.close();
      this.watchers.delete(k);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
