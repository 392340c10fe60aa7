// CPU cost of the memory sampler: sample a small process tree (a shell with three node children)
// at 250 ms and at 50 ms for a fixed time, and measure THIS process's CPU (it does nothing else)
// against an idle period of the same length. Target: < 1% of a core at 250 ms.
// Run: npx tsc -p . && node out/bench/sampler-overhead.js [seconds=15]
import { spawn } from 'child_process';
import * as os from 'os';
import { processTree } from '../src/engines/memory/procTree';
import { TreeSampler } from '../src/engines/memory/sampler';

const SEC = Number(process.argv[2] ?? 15);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function cpuOver(ms: number, work?: () => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  if (work) await work();
  else await sleep(ms);
  const c = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  return ((c.user + c.system) / 1000 / wall) * 100;
}

async function main(): Promise<void> {
  const kid = `${process.execPath} -e "setInterval(()=>{},1000)"`;
  const sh = spawn('sh', ['-c', `${kid} & ${kid} & ${kid} & wait`], { stdio: 'ignore' });
  await sleep(1000);
  const tree = processTree(sh.pid!);
  console.log(`sampler overhead: tree of ${tree.length} processes, ${SEC} s per setting; machine ${os.cpus().length} cores, load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} (shared: measured under load)`);
  try {
    const idle = await cpuOver(SEC * 1000);
    console.log(`idle (no sampling):      ${idle.toFixed(2)}% of a core`);
    for (const interval of [250, 50]) {
      let n = 0;
      const s = new TreeSampler(sh.pid!, interval, () => n++);
      // Start-up (the first /proc scan, opening each pid's stat file) is counted apart from steady state.
      const startPct = await cpuOver(0, async () => {
        s.start();
        await sleep(2000);
      });
      const n0 = n;
      const pct = await cpuOver(SEC * 1000);
      const steady = n - n0;
      await s.stop();
      console.log(`sampling every ${String(interval).padStart(3)} ms: steady ${pct.toFixed(2)}% of a core (${(pct - idle).toFixed(2)} points over idle), ` +
        `${steady} samples, ${((pct / 100) * SEC * 1000 / Math.max(1, steady)).toFixed(2)} ms CPU per sample; first 2 s incl. start-up ${startPct.toFixed(2)}%`);
    }
  } finally {
    for (const p of processTree(sh.pid!).reverse()) try { process.kill(p); } catch { /* gone */ }
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
