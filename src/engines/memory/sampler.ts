// Samples RSS and CPU of a whole process tree at a fixed interval: on Linux straight from
// /proc/<pid>/stat (procStat.ts), elsewhere with pidusage. Ticks never overlap: a slow tick delays
// the next one instead of piling up.
import pidusage from 'pidusage';
import type { MemorySample } from '../../core/model';
import type { HeapPoller } from './heap';
import { hasProcStat, ProcStatReader } from './procStat';
import { ParentCache, processTree } from './procTree';

export interface TreeSample extends MemorySample {
  processes: number;
}

/**
 * One sample of the tree under `root` (or of the given pids, root first); undefined when the root is
 * gone. Pass the same `reader` tick after tick: CPU is measured between its reads.
 */
export async function sampleTree(root: number, pids: number[] = processTree(root), reader = hasProcStat ? new ProcStatReader() : undefined): Promise<TreeSample | undefined> {
  if (reader) {
    const totals = reader.read(root, pids);
    return totals && { t: Date.now() / 1000, ...totals };
  }
  return pidusageSample(root, pids);
}

async function pidusageSample(root: number, pids: number[]): Promise<TreeSample | undefined> {
  // One pidusage call for all pids: it reads /proc/uptime once per call, not once per pid.
  // A pid that exited mid-sample comes back empty (pidusage is "graceful" per pid).
  const stats = (await pidusage(pids).catch(() => ({}))) as Record<string, pidusage.Status | undefined>;
  if (!stats[String(root)]) return undefined;
  let rss = 0;
  let cpu = 0;
  let processes = 0;
  for (const p of pids) {
    const s = stats[String(p)];
    if (!s || typeof s.memory !== 'number') continue;
    rss += s.memory;
    cpu += s.cpu;
    processes++;
  }
  return { t: Date.now() / 1000, rss, cpu, processes };
}

/**
 * Finding the tree means reading /proc/<pid>/stat of EVERY process (no /proc/<pid>/task/<tid>/children
 * on many kernels and sandboxes), which costs far more than sampling the few pids of the tree. So the
 * tree is rescanned every `rescanMs`, doubling from 1 s up to `maxRescanMs` while it stays the same and
 * back to 1 s when it changes (a service starting its workers is followed closely, a steady one cheaply);
 * each tick samples the known pids.
 */
export class TreeSampler {
  readonly samples: TreeSample[] = [];
  minRescanMs = 1000;
  maxRescanMs = 8000;
  private rescanMs = 1000;
  private pids: number[] = [];
  private scannedAt = -Infinity;
  private readonly parents = new ParentCache();
  private readonly reader = hasProcStat ? new ProcStatReader() : undefined;
  /** When set, each sample also carries the V8 heap used of the tree's Node processes. */
  heap?: HeapPoller;
  private inspectorsSeen = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  /** Resolves when the root process is gone (seen by a tick) or the sampler is stopped. */
  readonly ended: Promise<'exited' | 'stopped'>;
  private resolveEnded!: (why: 'exited' | 'stopped') => void;

  constructor(readonly root: number, readonly intervalMs = 250, private readonly onSample?: (s: TreeSample) => void) {
    this.ended = new Promise(r => (this.resolveEnded = r));
  }

  start(): void {
    const t0 = Date.now();
    let n = 0;
    const tick = async () => {
      if (this.stopped) return;
      this.running = true;
      // A new inspector is a new Node process: rescan now, so RSS covers the process the heap is from.
      const inspectors = this.heap?.targets ?? 0;
      if (Date.now() - this.scannedAt >= this.rescanMs || inspectors !== this.inspectorsSeen) {
        this.inspectorsSeen = inspectors;
        const pids = processTree(this.root, this.parents.refresh());
        const same = pids.length === this.pids.length && pids.every((p, i) => p === this.pids[i]);
        this.rescanMs = same ? Math.min(this.maxRescanMs, this.rescanMs * 2) : this.minRescanMs;
        this.pids = pids;
        this.scannedAt = Date.now();
      }
      const s = await sampleTree(this.root, this.pids, this.reader).catch(() => undefined);
      if (s) await this.addHeap(s);
      this.running = false;
      if (this.stopped) return;
      if (!s) {
        this.finish('exited');
        return;
      }
      this.samples.push(s);
      this.onSample?.(s);
      // Keep to the schedule (t0 + n·interval) rather than drifting by the tick's own cost.
      n = Math.max(n + 1, Math.ceil((Date.now() - t0) / this.intervalMs));
      this.timer = setTimeout(tick, Math.max(0, t0 + n * this.intervalMs - Date.now()));
    };
    void tick();
  }

  /** Stops sampling; takes one last sample first so the end is covered. */
  async stop(): Promise<TreeSample[]> {
    if (!this.stopped) {
      clearTimeout(this.timer);
      while (this.running) await new Promise(r => setTimeout(r, 5));
      const last = await sampleTree(this.root, processTree(this.root, this.parents.refresh()), this.reader).catch(() => undefined);
      if (last) await this.addHeap(last);
      if (last && !this.stopped) this.samples.push(last);
      this.finish('stopped');
    }
    return this.samples;
  }

  private async addHeap(s: TreeSample): Promise<void> {
    // Bounded by the interval: a Node process busy for longer simply has no heap figure this tick.
    const used = await this.heap?.usage(Math.min(1000, Math.max(50, this.intervalMs))).catch(() => undefined);
    if (used !== undefined) s.heapUsed = used;
  }

  private finish(why: 'exited' | 'stopped'): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.reader?.clear(); // closes the /proc/<pid>/stat descriptors
    if (!this.reader) pidusage.clear(); // closes the /proc handles pidusage keeps per pid
    this.resolveEnded(why);
  }
}
