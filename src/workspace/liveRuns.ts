// Live results of running engines. Each engine appends its progress events as JSON lines to
// `.perf/live/<suite>.jsonl` (--progress-file; a VS Code task's output cannot be read). This
// tails those files cheaply: fs.watch on the folder wakes a throttled read of only the appended
// bytes (async, capped per pass), a slow stat poll covers missed watch events, and every parsed
// event is passed on as is — progress, done, error, and whatever else an engine sends
// (metrics, alert …). No `vscode` import: unit-tested in plain Node.
import * as fs from 'fs';
import * as path from 'path';
import { LIVE_DIR } from '../core/config/suiteCommand';
import { gitignoreScratch } from '../core/store/scratch';
import { Emitter, type Subscription } from './emitter';

export interface LiveEventData {
  type: string;
  [k: string]: unknown;
}

export interface LiveEvent {
  /** Workspace folder (absolute path). */
  folder: string;
  /** Suite name from the run's `start` event, else the file's name. */
  suite: string;
  event: LiveEventData;
}

export interface ActiveRun {
  folder: string;
  suite: string;
  kind?: string;
  startedAt?: string;
}

export interface LiveRunsOptions {
  /** Least time between two reads of one file (ms). */
  throttleMs?: number;
  /** Stat poll of running files and of a missing live folder (ms): covers dropped watch events. */
  pollMs?: number;
  /** Files untouched for longer than this when first seen are old runs: not replayed (ms). */
  staleMs?: number;
}

/** Most bytes read from one file per pass; the rest waits for the next pass (never a long block). */
const MAX_READ = 1 << 20;
/** A line longer than this is not an event of ours: dropped. */
const MAX_LINE = 1 << 20;
const HEAD = 128;

/**
 * Creates the live folder of a workspace folder, git-ignored (a `.gitignore` of `*` inside it):
 * progress files are scratch, never something to commit. Throws when the folder cannot be made.
 */
export function ensureLiveDir(folder: string): string {
  const dir = path.join(folder, LIVE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  gitignoreScratch(dir);
  return dir;
}

async function readHead(file: string): Promise<Buffer | undefined> {
  const h = await fs.promises.open(file, 'r').catch(() => undefined);
  if (!h) return undefined;
  try {
    const buf = Buffer.alloc(HEAD);
    const { bytesRead } = await h.read(buf, 0, HEAD, 0);
    return bytesRead ? buf.subarray(0, bytesRead) : undefined;
  } finally {
    await h.close().catch(() => undefined);
  }
}

async function startsWith(handle: fs.promises.FileHandle, head: Buffer): Promise<boolean> {
  const buf = Buffer.alloc(head.length);
  const { bytesRead } = await handle.read(buf, 0, head.length, 0);
  return bytesRead === head.length && buf.equals(head);
}

interface Tail {
  file: string;
  folder: string;
  suite: string;
  offset: number;
  ino?: number;
  /** The file's first bytes as read: a new run's file starts differently (its start event has time and pid). */
  head?: Buffer;
  rest: Buffer;
  reading: boolean;
  again: boolean;
  timer?: NodeJS.Timeout;
  active: boolean;
  kind?: string;
  startedAt?: string;
}

interface Watched {
  dir: string;
  watcher?: fs.FSWatcher;
  /** Files seen before this are old runs when stale. */
  firstScan: boolean;
}

export class LiveRuns {
  private readonly events = new Emitter<LiveEvent>();
  private readonly runningChanged = new Emitter<ActiveRun[]>();
  private readonly folders = new Map<string, Watched>();
  private readonly tails = new Map<string, Tail>();
  private readonly poll: NodeJS.Timeout;
  private readonly throttleMs: number;
  private readonly staleMs: number;
  private disposed = false;
  /** Lines that were not a JSON object with a string `type` (garbage, or a half-written file). */
  invalidLines = 0;

  readonly onLiveEvent = (listener: (e: LiveEvent) => void): Subscription => this.events.event(listener);
  readonly onDidChangeRunning = (listener: (runs: ActiveRun[]) => void): Subscription => this.runningChanged.event(listener);

  constructor(opts: LiveRunsOptions = {}) {
    this.throttleMs = opts.throttleMs ?? 100;
    this.staleMs = opts.staleMs ?? 5000;
    this.poll = setInterval(() => this.tick(), opts.pollMs ?? 1000);
    this.poll.unref();
  }

  /** Runs that sent `start` and neither `done` nor `error` yet (nor were ended by their task). */
  running(): ActiveRun[] {
    return [...this.tails.values()].filter(t => t.active).map(t => ({ folder: t.folder, suite: t.suite, kind: t.kind, startedAt: t.startedAt }));
  }

  addFolder(folder: string): void {
    if (this.folders.has(folder)) return;
    const w: Watched = { dir: path.join(folder, LIVE_DIR), firstScan: true };
    this.folders.set(folder, w);
    this.attach(folder, w);
  }

  removeFolder(folder: string): void {
    this.folders.get(folder)?.watcher?.close();
    this.folders.delete(folder);
    for (const [file, t] of this.tails) {
      if (t.folder === folder) {
        clearTimeout(t.timer);
        this.tails.delete(file);
      }
    }
  }

  /** A run is about to start in `folder`: make sure its live folder exists and is watched now. */
  expect(folder: string): void {
    this.addFolder(folder);
    const w = this.folders.get(folder)!;
    try {
      ensureLiveDir(folder);
    } catch {
      return; // the engine reports the problem itself
    }
    this.attach(folder, w);
  }

  /** The process of a suite ended (its task): a run that never said done is no longer running. */
  ended(folder: string, suite: string, exitCode?: number): void {
    for (const t of this.tails.values()) {
      if (t.folder !== folder || t.suite !== suite) continue;
      // Read what it wrote last first, so `done` wins over the synthetic end.
      void this.read(t).then(() => {
        if (!t.active) return;
        this.setActive(t, false);
        this.events.fire({ folder, suite, event: { type: 'ended', exitCode } });
      });
    }
  }

  private attach(folder: string, w: Watched): void {
    if (w.watcher || this.disposed) return;
    try {
      w.watcher = fs.watch(w.dir, { persistent: false }, (_kind, name) => {
        if (name && String(name).endsWith('.jsonl')) this.schedule(folder, path.join(w.dir, String(name)));
      });
      w.watcher.on('error', () => {
        w.watcher?.close();
        w.watcher = undefined; // the poll attaches again once the folder is back
      });
    } catch {
      return; // no live folder yet: the poll looks again
    }
    void this.scan(folder, w);
  }

  private async scan(folder: string, w: Watched): Promise<void> {
    let names: string[];
    try {
      names = await fs.promises.readdir(w.dir);
    } catch {
      return;
    }
    const first = w.firstScan;
    w.firstScan = false;
    for (const name of names.filter(n => n.endsWith('.jsonl'))) {
      const file = path.join(w.dir, name);
      if (this.tails.has(file)) continue;
      if (first) {
        // Finished runs of an earlier session are history, not news: start at their end.
        try {
          const st = await fs.promises.stat(file);
          if (Date.now() - st.mtimeMs > this.staleMs) {
            const tail = this.newTail(folder, file, st.size, st.ino);
            tail.head = await readHead(file);
            this.tails.set(file, tail);
            continue;
          }
        } catch {
          continue;
        }
      }
      this.schedule(folder, file);
    }
  }

  private newTail(folder: string, file: string, offset = 0, ino?: number): Tail {
    return { file, folder, suite: path.basename(file, '.jsonl'), offset, ino, rest: Buffer.alloc(0), reading: false, again: false, active: false };
  }

  private schedule(folder: string, file: string): void {
    if (this.disposed) return;
    let t = this.tails.get(file);
    if (!t) {
      t = this.newTail(folder, file);
      this.tails.set(file, t);
    }
    if (t.timer) return;
    const tail = t;
    tail.timer = setTimeout(() => {
      tail.timer = undefined;
      void this.read(tail);
    }, this.throttleMs);
  }

  private tick(): void {
    for (const [folder, w] of this.folders) {
      if (!w.watcher) this.attach(folder, w);
    }
    for (const t of this.tails.values()) if (t.active) this.schedule(t.folder, t.file);
  }

  /** Reads the bytes appended since the last pass; one pass at a time per file. */
  private async read(t: Tail): Promise<void> {
    if (t.reading) {
      t.again = true;
      return;
    }
    t.reading = true;
    try {
      do {
        t.again = false;
        await this.readOnce(t);
      } while (t.again && !this.disposed);
    } finally {
      t.reading = false;
    }
  }

  private async readOnce(t: Tail): Promise<void> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(t.file, 'r');
    } catch {
      return; // removed (a new run recreates it)
    }
    try {
      const st = await handle.stat();
      // Inode numbers are reused at once on Linux, so the first bytes are compared too.
      if (st.ino !== t.ino || st.size < t.offset || (t.head && !(await startsWith(handle, t.head)))) {
        // A new run recreated or truncated the file: read it from the start.
        t.ino = st.ino;
        t.offset = 0;
        t.rest = Buffer.alloc(0);
        t.head = undefined;
      }
      const n = Math.min(st.size - t.offset, MAX_READ);
      if (n <= 0) return;
      const buf = Buffer.allocUnsafe(n);
      const { bytesRead } = await handle.read(buf, 0, n, t.offset);
      if (t.offset === 0 && bytesRead > 0) t.head = Buffer.from(buf.subarray(0, Math.min(HEAD, bytesRead)));
      t.offset += bytesRead;
      if (st.size > t.offset) t.again = true;
      this.consume(t, buf.subarray(0, bytesRead));
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  private consume(t: Tail, chunk: Buffer): void {
    let data = t.rest.length ? Buffer.concat([t.rest, chunk]) : chunk;
    let nl: number;
    while ((nl = data.indexOf(0x0a)) >= 0) {
      const line = data.subarray(0, nl).toString('utf8').trim();
      data = data.subarray(nl + 1);
      if (line) this.emitLine(t, line);
    }
    // The last line may be half written: keep it for the next pass (bounded).
    t.rest = data.length > MAX_LINE ? Buffer.alloc(0) : Buffer.from(data);
    if (data.length > MAX_LINE) this.invalidLines++;
  }

  private emitLine(t: Tail, line: string): void {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      this.invalidLines++;
      return;
    }
    if (!event || typeof event !== 'object' || Array.isArray(event) || typeof (event as LiveEventData).type !== 'string') {
      this.invalidLines++;
      return;
    }
    const e = event as LiveEventData;
    if (e.type === 'start') {
      if (typeof e.suite === 'string' && e.suite) t.suite = e.suite;
      t.kind = typeof e.kind === 'string' ? e.kind : undefined;
      t.startedAt = typeof e.startedAt === 'string' ? e.startedAt : undefined;
      this.setActive(t, true);
    }
    this.events.fire({ folder: t.folder, suite: t.suite, event: e });
    if (e.type === 'done' || e.type === 'error') this.setActive(t, false);
  }

  private setActive(t: Tail, active: boolean): void {
    if (t.active === active) return;
    t.active = active;
    this.runningChanged.fire(this.running());
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.poll);
    for (const w of this.folders.values()) w.watcher?.close();
    for (const t of this.tails.values()) clearTimeout(t.timer);
    this.folders.clear();
    this.tails.clear();
    this.events.dispose();
    this.runningChanged.dispose();
  }
}
