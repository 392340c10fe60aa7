// The process tree under a pid. A service is often a launcher plus workers (npm → node, uvicorn
// workers, a shell wrapper), so memory of the root alone would miss most of it.
// Linux: the ppid field of every /proc/<pid>/stat (one pass, works for every child, unlike
// /proc/<pid>/task/*/children which needs CONFIG_PROC_CHILDREN). Elsewhere: the root only.
import * as fs from 'fs';

/** pid → ppid for every process visible in /proc; empty when /proc is missing. */
export function parentMap(): Map<number, number> {
  return new ParentCache().refresh();
}

/**
 * pid → ppid kept across scans: a pid's parent is fixed for its life, so a rescan only lists /proc
 * and reads the stat of pids it has not seen (reading every stat file each time costs tens of ms
 * of CPU on some sandboxes). A child orphaned and re-parented to init keeps its old parent here,
 * so it still counts as part of the service (a double-forked worker is still the service's memory).
 */
export class ParentCache {
  private readonly map = new Map<number, number>();

  refresh(): Map<number, number> {
    let names: string[];
    try {
      names = fs.readdirSync('/proc');
    } catch {
      this.map.clear();
      return this.map;
    }
    const alive = new Set<number>();
    for (const n of names) {
      if (n.charCodeAt(0) < 48 || n.charCodeAt(0) > 57 || !/^\d+$/.test(n)) continue;
      const pid = Number(n);
      alive.add(pid);
      if (this.map.has(pid)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${n}/stat`, 'latin1');
        // "pid (comm) state ppid …": comm may hold spaces and parens, so split after the LAST ')'.
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        this.map.set(pid, Number(rest[1]));
      } catch {
        // exited between readdir and read
      }
    }
    for (const pid of this.map.keys()) if (!alive.has(pid)) this.map.delete(pid);
    return this.map;
  }
}

/** Root first, then every descendant (breadth first). */
export function processTree(root: number, parents: Map<number, number> = parentMap()): number[] {
  if (parents.size === 0) return [root];
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}
