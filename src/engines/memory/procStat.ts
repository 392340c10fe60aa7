// RSS and CPU of a set of pids straight from /proc/<pid>/stat on Linux: one pread per pid per
// tick on a file descriptor kept open (no open/close, no /proc/uptime, no child process), which
// brings sampling at 250 ms well under 1% of a core. pidusage remains the fallback elsewhere.
import * as fs from 'fs';

/** Linux USER_HZ: the unit of utime/stime in /proc/<pid>/stat, fixed at 100 by the kernel ABI. */
const CLOCK_TICKS = 100;

export interface StatTotals {
  rss: number;
  /** % of one core since this reader's previous read of each pid (since the process started on the first). */
  cpu: number;
  processes: number;
}

interface Tracked {
  fd: number;
  ticks: number;
  atMs: number;
}

export const hasProcStat = (() => {
  try {
    return fs.statSync('/proc/self/stat').isFile();
  } catch {
    return false;
  }
})();

let pageSize: number | undefined;

function uptimeSec(): number {
  return Number(fs.readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
}

/**
 * Bytes per page, without spawning `getconf`: our own RSS in bytes (Node) over our own RSS in pages
 * (/proc/self/statm), rounded to the power of two it must be.
 */
function pageBytes(): number {
  if (pageSize === undefined) {
    const pages = Number(fs.readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
    const ratio = process.memoryUsage.rss() / Math.max(1, pages);
    pageSize = 2 ** Math.round(Math.log2(ratio > 0 ? ratio : 4096));
  }
  return pageSize;
}

export class ProcStatReader {
  private readonly tracked = new Map<number, Tracked>();
  private readonly buf = Buffer.alloc(1024);

  /** Totals over `pids`; undefined when `root` (which must be among them) is gone. */
  read(root: number, pids: readonly number[]): StatTotals | undefined {
    const page = pageBytes();
    const now = performance.now();
    const seen = new Set<number>();
    let rss = 0;
    let cpu = 0;
    let processes = 0;
    let rootSeen = false;
    for (const pid of pids) {
      seen.add(pid);
      const fields = this.stat(pid);
      if (!fields) continue;
      const [ticks, rssPages] = fields;
      const prev = this.tracked.get(pid)!;
      if (now > prev.atMs) cpu += (((ticks - prev.ticks) / CLOCK_TICKS) * 1000 / (now - prev.atMs)) * 100;
      prev.ticks = ticks;
      prev.atMs = now;
      rss += rssPages * page;
      processes++;
      if (pid === root) rootSeen = true;
    }
    // Pids that left the tree: close their descriptors.
    for (const pid of this.tracked.keys()) if (!seen.has(pid)) this.forget(pid);
    return rootSeen ? { rss, cpu, processes } : undefined;
  }

  /** Closes every descriptor. */
  clear(): void {
    for (const pid of [...this.tracked.keys()]) this.forget(pid);
  }

  /** [utime+stime ticks, rss pages] of a live pid; undefined (and forgotten) once it has exited. */
  private stat(pid: number): [number, number] | undefined {
    let t = this.tracked.get(pid);
    try {
      if (!t) {
        // The descriptor stays bound to this process: after it exits, reads fail (ESRCH) even if
        // the pid is reused, so a new process is never mistaken for the old one.
        t = { fd: fs.openSync(`/proc/${pid}/stat`, 'r'), ticks: 0, atMs: 0 };
        this.tracked.set(pid, t);
      }
      const n = fs.readSync(t.fd, this.buf, 0, this.buf.length, 0);
      const text = this.buf.toString('latin1', 0, n);
      // "pid (comm) state ppid …": comm may hold spaces and parens, so count fields after the LAST ')'.
      // From there: [0] state … [11] utime [12] stime … [19] starttime [21] rss.
      const rest = text.slice(text.lastIndexOf(')') + 2).split(' ', 22);
      const ticks = Number(rest[11]) + Number(rest[12]);
      const rssPages = Number(rest[21]);
      if (t.atMs === 0) {
        // First read of this pid: its CPU since it started, as pidusage reports on a first call.
        const ageSec = uptimeSec() - Number(rest[19]) / CLOCK_TICKS;
        t.atMs = performance.now() - Math.max(0.001, ageSec) * 1000;
      }
      if (!Number.isFinite(ticks) || !Number.isFinite(rssPages) || rest[0] === 'Z') {
        // A zombie has exited: no memory of its own any more.
        this.forget(pid);
        return undefined;
      }
      return [ticks, rssPages];
    } catch {
      this.forget(pid);
      return undefined;
    }
  }

  private forget(pid: number): void {
    const t = this.tracked.get(pid);
    if (!t) return;
    this.tracked.delete(pid);
    try {
      fs.closeSync(t.fd);
    } catch {
      /* already closed */
    }
  }
}
