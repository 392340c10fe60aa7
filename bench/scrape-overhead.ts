// What scraping costs the service: three copies of the prom-client fixture service
// (test/fixtures/metrics-service) run side by side in the same run — one never scraped, one
// scraped every 1 s, one every 250 ms by our Scraper (the engines' code path: fetch, parse,
// derive, alerts) — and the service processes' CPU is read from /proc over the same window.
// Phase 1 idle (pure scrape cost), phase 2 under the same light load on each (50 req/s).
// Run from the repository root: npx tsc -p . && node out/bench/scrape-overhead.js [seconds-per-phase=15]
import { execSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { Scraper } from '../src/engines/metrics/scraper';

const SEC = Number(process.argv[2] ?? 15);
const ROOT = path.resolve(process.env.PERF_LENS_REPO ?? process.cwd()); // run from the repository root
const TICK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

interface Svc { name: string; intervalMs?: number; port: number; child: ChildProcess; scraper?: Scraper }

function start(name: string, intervalMs?: number): Promise<Svc> {
  const child = spawn(process.execPath, [path.join(ROOT, 'test/fixtures/metrics-service/server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', c => reject(new Error(`service exited ${c}`)));
    readline.createInterface({ input: child.stdout! }).once('line', l => resolve({ name, intervalMs, port: JSON.parse(l).port, child }));
  });
}

/** utime + stime of a process, seconds (/proc/PID/stat fields 14 and 15). */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
function get(port: number, p: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http.get({ host: '127.0.0.1', port, path: p, agent }, res => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    }).on('error', reject);
  });
}

async function phase(svcs: Svc[], label: string, rps: number): Promise<void> {
  const timer = rps > 0 ? setInterval(() => svcs.forEach(s => void get(s.port, '/api/items').catch(() => undefined)), 1000 / rps) : undefined;
  await sleep(1000); // settle
  const c0 = svcs.map(s => cpuSeconds(s.child.pid!));
  const before = svcs.map(s => s.scraper?.session.scrapes ?? 0);
  const t0 = performance.now();
  await sleep(SEC * 1000);
  const wall = (performance.now() - t0) / 1000;
  const cpu = svcs.map((s, i) => (100 * (cpuSeconds(s.child.pid!) - c0[i])) / wall);
  if (timer) clearInterval(timer);
  console.log(`\n${label} (${wall.toFixed(1)} s):`);
  console.log('  service              CPU % of a core   vs unscraped   scrapes   CPU ms per scrape');
  svcs.forEach((s, i) => {
    const scrapes = (s.scraper?.session.scrapes ?? 0) - before[i];
    const per = scrapes ? `${((10 * wall * (cpu[i] - cpu[0])) / scrapes).toFixed(2)}` : '-';
    console.log(`  ${s.name.padEnd(20)} ${cpu[i].toFixed(2).padStart(15)}   ${i ? `${(cpu[i] / Math.max(cpu[0], 0.01)).toFixed(2)}×`.padStart(12) : '(reference)'.padStart(12)}   ${String(scrapes).padStart(7)}   ${per.padStart(17)}`);
  });
}

async function main(): Promise<void> {
  console.log(`scrape overhead: ${SEC} s per phase; ${os.cpus().length} cores, load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} (shared machine: figures are noisy; the three services run side by side so they share the noise)`);
  const svcs = [await start('not scraped'), await start('scraped every 1 s', 1000), await start('scraped every 250 ms', 250)];
  try {
    for (const s of svcs) {
      if (s.intervalMs) s.scraper = new Scraper({ url: `http://127.0.0.1:${s.port}/metrics`, intervalMs: s.intervalMs, onEvent: () => undefined }).start();
    }
    await phase(svcs, 'idle', 0);
    await phase(svcs, 'under 50 req/s each', 50);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push(await get(svcs[0].port, '/metrics'));
    times.sort((a, b) => a - b);
    const size = await new Promise<number>(r => http.get({ host: '127.0.0.1', port: svcs[0].port, path: '/metrics' }, res => { let n = 0; res.on('data', d => (n += d.length)); res.on('end', () => r(n)); }));
    console.log(`\none scrape: exposition ${(size / 1024).toFixed(1)} KiB, response time median ${times[10].toFixed(2)} ms (min ${times[0].toFixed(2)}, max ${times[19].toFixed(2)}) over 20 sequential scrapes`);
  } finally {
    for (const s of svcs) {
      await s.scraper?.stop();
      s.child.kill('SIGTERM');
    }
    agent.destroy();
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
