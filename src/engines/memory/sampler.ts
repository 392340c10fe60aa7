// Samples RSS and CPU of a whole process tree at a fixed interval with pidusage (one /proc read per
// pid on Linux). Ticks never overlap: a slow tick delays the next one instead of piling up.
import pidusage from 'pidusage';
import type { MemorySample } from '../../core/model';
import { processTree } from './procTree';

export interface TreeSample extends MemorySample {
  processes: number;
}

/** One sample of the tree under `root`; undefined when the root is gone. */
export async function sampleTree(root: number): Promise<TreeSample | undefined> {
  const pids = processTree(root);
  const stats = await Promise.allSettled(pids.map(p => pidusage(p)));
  if (stats[0].status === 'rejected') return undefined;
  let rss = 0;
  let cpu = 0;
  let processes = 0;
  for (const s of stats) {
    if (s.status !== 'fulfilled') continue; // a child that exited mid-sample
    rss += s.value.memory;
    cpu += s.value.cpu;
    processes++;
  }
  return { t: Date.now() / 1000, rss, cpu, processes };
}

export class TreeSampler {
  readonly samples: TreeSample[] = [];
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
      const s = await sampleTree(this.root).catch(() => undefined);
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
      const last = await sampleTree(this.root).catch(() => undefined);
      if (last && !this.stopped) this.samples.push(last);
      this.finish('stopped');
    }
    return this.samples;
  }

  private finish(why: 'exited' | 'stopped'): void {
    this.stopped = true;
    clearTimeout(this.timer);
    pidusage.clear(); // closes the /proc handles pidusage keeps per pid
    this.resolveEnded(why);
  }
}
