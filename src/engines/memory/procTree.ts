// The process tree under a pid. A service is often a launcher plus workers (npm → node, uvicorn
// workers, a shell wrapper), so memory of the root alone would miss most of it.
// Linux: the ppid field of every /proc/<pid>/stat (one pass, works for every child, unlike
// /proc/<pid>/task/*/children which needs CONFIG_PROC_CHILDREN). Elsewhere: the root only.
import * as fs from 'fs';

/** pid → ppid for every process visible in /proc; empty when /proc is missing. */
export function parentMap(): Map<number, number> {
  const out = new Map<number, number>();
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${n}/stat`, 'latin1');
      // "pid (comm) state ppid …": comm may hold spaces and parens, so split after the LAST ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(n), Number(rest[1]));
    } catch {
      // exited between readdir and read
    }
  }
  return out;
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
