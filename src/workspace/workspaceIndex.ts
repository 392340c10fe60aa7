// Findings of every supported file in one workspace folder, not only the open documents:
// filled by one bounded scan in a worker thread (src/core/locate/scanWorker.ts), then kept
// current file by file as a watcher reports changes. Pure Node (no `vscode`), so it is unit
// tested directly; src/workspace/workspaceIndexing.ts wires it to VS Code.
import * as fs from 'fs';
import * as path from 'path';
import { CrossFileRoutes } from '../core/locate/crossFile';
import { locateSourceWithFacts } from '../core/locate/locate';
import type { ModuleFacts } from '../core/locate/crossFile';
import { scanIncludes, ScanProgress, ScanResult, sourcesChangedSince } from '../core/locate/scan';
import { scanInWorker } from '../core/locate/scanWorker';
import type { Finding } from '../core/locate/types';
import type { Located } from '../core/match/series';
import { Emitter } from './emitter';

export interface WorkspaceIndexOptions {
  maxFiles?: number;
  maxFileBytes?: number;
}

export type WorkspaceIndexState = 'empty' | 'scanning' | 'ready' | 'cancelled';

export class WorkspaceIndex {
  private files = new Map<string, Finding[]>();
  /** Python modules' router facts: a mount in one file changes routes in another (crossFile.ts). */
  private facts = new Map<string, ModuleFacts>();
  private routes = new CrossFileRoutes(this.facts);
  private readonly changed = new Emitter<readonly string[]>();
  /** Fires with the relative paths whose findings changed (all of them after a scan). */
  readonly onDidChange = this.changed.event;
  private state: WorkspaceIndexState = 'empty';
  private lastScan?: Omit<ScanResult, 'files'>;
  /** When the last scan began (epoch ms): catchUp looks for files modified since. */
  private scanStartedMs?: number;
  /** Files located since the scan: the bound applies to them too. */
  private locatedCount = 0;
  /** Files the watcher reported while a scan ran: the scan may have read them before the change. */
  private readonly dirtyDuringScan = new Set<string>();
  /** Serialises file updates so an older read never lands after a newer one. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly root: string,
    private readonly opts: WorkspaceIndexOptions = {},
  ) {}

  get status(): WorkspaceIndexState {
    return this.state;
  }

  /** What the last scan located and skipped (undefined before one finished). */
  get scanSummary(): Omit<ScanResult, 'files'> | undefined {
    return this.lastScan;
  }

  /** Scan the whole folder (in a worker thread when the compiled worker is available). */
  async scan(onProgress?: (p: ScanProgress) => void, cancelled?: () => boolean): Promise<void> {
    this.state = 'scanning';
    this.scanStartedMs = Date.now();
    const r = await scanInWorker(this.root, { maxFiles: this.opts.maxFiles, maxFileBytes: this.opts.maxFileBytes, onProgress, cancelled });
    if (cancelled?.()) {
      this.state = 'cancelled';
      return;
    }
    const { files, facts, ...summary } = r;
    this.files = files;
    this.facts = facts ?? new Map();
    this.routes = new CrossFileRoutes(this.facts);
    this.lastScan = summary;
    this.locatedCount = r.filesLocated;
    this.state = 'ready';
    this.changed.fire([...files.keys()]);
    const dirty = [...this.dirtyDuringScan];
    this.dirtyDuringScan.clear();
    await Promise.all(dirty.map(rel => this.fileChanged(rel)));
  }

  /**
   * Locates again every covered file modified since the last scan began: files created or
   * edited while no watcher reported them (VS Code's watcher is still starting when the window
   * opens, and misses what a checkout or a test writes then). Returns how many were re-located;
   * a file an event already updated is only located twice, to the same result.
   */
  async catchUp(cancelled?: () => boolean): Promise<number> {
    if (this.state !== 'ready' || this.scanStartedMs === undefined) return 0;
    // Two seconds of slack: file systems with coarse timestamps round mtimes down.
    const changed = await sourcesChangedSince(this.root, this.scanStartedMs - 2000, { maxFiles: this.opts.maxFiles, cancelled });
    if (cancelled?.()) return 0;
    await Promise.all(changed.map(rel => this.fileChanged(rel)));
    return changed.length;
  }

  /** A file was created or changed on disk: locate it again (or drop it if the scan would skip it). */
  fileChanged(rel: string): Promise<void> {
    if (this.state === 'scanning') this.dirtyDuringScan.add(rel);
    return this.enqueue(async () => {
      const maxBytes = this.opts.maxFileBytes ?? 1024 * 1024;
      const abs = path.join(this.root, rel);
      let found: Finding[] = [];
      let facts: ModuleFacts | undefined;
      if (scanIncludes(this.root, rel)) {
        const known = this.files.has(rel);
        if (!known && this.locatedCount >= (this.opts.maxFiles ?? 20_000)) return; // bounded, like the scan
        try {
          const stat = await fs.promises.stat(abs);
          if (stat.size <= maxBytes) ({ findings: found, facts } = await locateSourceWithFacts(await fs.promises.readFile(abs, 'utf8'), rel));
          if (!known) this.locatedCount++;
        } catch {
          found = []; // deleted or unreadable between the event and the read
          facts = undefined;
        }
      }
      const refresh = this.setFacts(rel, facts);
      this.set(rel, this.routes.apply(rel, found));
      if (refresh) this.reapplyRoutes(rel);
    });
  }

  /**
   * A folder appeared (moved in, unpacked, checked out): watchers may report only the folder,
   * not the files created with it, so look inside, with the scan's rules.
   */
  async folderCreated(rel: string): Promise<void> {
    if (!scanIncludes(this.root, rel, true)) return;
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(path.join(this.root, dir), { withFileTypes: true });
      } catch {
        return; // gone again
      }
      for (const e of entries) {
        const child = `${dir}/${e.name}`;
        if (e.isDirectory() && scanIncludes(this.root, child, true)) await walk(child);
        else if (e.isFile() && scanIncludes(this.root, child)) files.push(child);
      }
    };
    await walk(rel);
    await Promise.all(files.map(f => this.fileChanged(f)));
  }

  fileDeleted(rel: string): Promise<void> {
    if (this.state === 'scanning') this.dirtyDuringScan.add(rel);
    return this.enqueue(async () => {
      // A deleted folder arrives as one event: drop everything under it.
      const gone = [...this.files.keys()].filter(k => k === rel || k.startsWith(rel + '/'));
      for (const k of gone) this.files.delete(k);
      const goneFacts = [...this.facts.keys()].filter(k => k === rel || k.startsWith(rel + '/'));
      for (const k of goneFacts) this.facts.delete(k);
      if (goneFacts.length) this.routes = new CrossFileRoutes(this.facts); // once for the whole folder
      if (gone.length) this.changed.fire(gone);
      if (goneFacts.length) this.reapplyRoutes();
    });
  }

  findings(rel: string): readonly Finding[] {
    return this.files.get(rel) ?? [];
  }

  /** Relative paths with findings, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Every finding with its file, for workspace-wide matching (src/core/match/series.ts). */
  located(): Located[] {
    const out: Located[] = [];
    for (const [file, findings] of this.files) for (const finding of findings) out.push({ file, finding });
    return out;
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** Record a module's facts; true when they changed (other files' routes may then change). */
  private setFacts(rel: string, facts: ModuleFacts | undefined): boolean {
    const before = this.facts.get(rel);
    if (JSON.stringify(before) === JSON.stringify(facts)) return false;
    if (facts) this.facts.set(rel, facts);
    else this.facts.delete(rel);
    this.routes = new CrossFileRoutes(this.facts);
    return true;
  }

  /** Re-apply cross-file prefixes to every file with router endpoints; fire for those that changed. */
  private reapplyRoutes(except?: string): void {
    const changed: string[] = [];
    for (const [rel, found] of this.files) {
      if (rel === except || !found.some(f => f.router)) continue;
      const next = this.routes.apply(rel, found);
      if (next.length === found.length && next.every((f, i) => f === found[i])) continue; // apply keeps unchanged findings
      this.files.set(rel, next);
      changed.push(rel);
    }
    if (changed.length) this.changed.fire(changed);
  }

  /** Cross-file router prefixes as last known (for open documents: see DocumentItems). */
  get crossFileRoutes(): CrossFileRoutes {
    return this.routes;
  }

  private set(rel: string, found: Finding[]): void {
    const before = this.files.get(rel);
    if (!found.length && !before) return;
    if (found.length) this.files.set(rel, found);
    else this.files.delete(rel);
    this.changed.fire([rel]);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work, work);
    return this.queue;
  }
}
