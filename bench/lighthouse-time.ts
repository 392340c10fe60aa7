// How long does one Lighthouse run of a page take here, and what does our JS-heap gatherer add?
// Serves test/fixtures/lighthouse/site on 127.0.0.1 and times, per page, N runs of the real
// lighthouse (the project's 12.2.3, Debian chromium) in two variants side by side, interleaved:
//   plain   — `lighthouse URL --only-categories=performance --preset=desktop --throttling-method=provided`
//   suite   — the frontend suite's own invocation (generated config with the JS-heap audit, desktop, provided)
// and prints median/min/max wall time and the ratio suite/plain. The machine is shared: timings are noisy.
// Run: npx tsc -p . && node out/bench/lighthouse-time.js [runs=5]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { FrontendSuite } from '../src/core/config/projectConfig';
import { configFile, frontendSupportFiles } from '../src/core/ingest/lighthouseRun';
import { median } from '../src/core/stats/descriptive';

const runs = Number(process.argv[2] ?? 5);
const repo = path.resolve(process.env.PERF_LENS_REPO ?? process.cwd());
const site = path.join(repo, 'test/fixtures/lighthouse/site');
const lighthouse = path.join(repo, 'node_modules/.bin/lighthouse');
const FLAGS = '--chrome-flags=--headless=new --no-sandbox';

function serve(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const file = path.join(site, (req.url ?? '/') === '/' ? 'index.html' : path.normalize(req.url ?? '').replace(/^([/\\])+/, ''));
    if (!file.startsWith(site) || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end(fs.readFileSync(file));
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function time(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(lighthouse, args, { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, encoding: 'utf8' });
  // A failed run (Chrome can crash on an overloaded box) is counted, not timed.
  if (r.status !== 0) {
    console.error(`  failed: lighthouse ${args[0]}: ${r.stderr.trim().split('\n').pop()}`);
    return NaN;
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function main(): Promise<void> {
  const server = await serve();
  const { port } = server.address() as { port: number };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-lh-time-'));
  const urls = [`http://127.0.0.1:${port}/`, `http://127.0.0.1:${port}/dashboard.html`];
  const suite: FrontendSuite = {
    name: 'bench', kind: 'frontend', cwd: '.', results: [], format: 'auto', env: {}, urls, runs,
    lighthouse, chromePath: '/usr/bin/chromium', chromeFlags: '--headless=new --no-sandbox', formFactor: 'desktop', throttling: 'provided', pages: {},
  };
  for (const f of frontendSupportFiles(suite)) {
    fs.mkdirSync(path.dirname(path.join(tmp, f.path)), { recursive: true });
    fs.writeFileSync(path.join(tmp, f.path), f.content);
  }
  const out = path.join(tmp, 'r.json');
  const plain = (url: string) => [url, '--output=json', `--output-path=${out}`, '--only-categories=performance', '--preset=desktop', '--throttling-method=provided', FLAGS, '--quiet'];
  const ours = (url: string) => [url, '--output=json', `--output-path=${out}`, `--config-path=${path.join(tmp, configFile(suite))}`, FLAGS, '--quiet'];
  console.log(`lighthouse ${spawnSync(lighthouse, ['--version'], { encoding: 'utf8' }).stdout.trim()}, ${runs} runs per page and variant, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
  console.log(`plain: ${lighthouse} URL ${plain('').slice(1).join(' ')}`);
  console.log(`suite: ${lighthouse} URL ${ours('').slice(1).join(' ')}`);
  try {
    for (const url of urls) {
      const t = { plain: [] as number[], suite: [] as number[] };
      for (let i = 0; i < runs; i++) {
        // Interleaved so drift in the machine's load hits both variants alike.
        t.plain.push(time(plain(url)));
        t.suite.push(time(ours(url)));
      }
      const fmt = (all: number[]) => {
        const xs = all.filter(Number.isFinite);
        if (!xs.length) return 'all runs failed';
        return `median ${median(xs).toFixed(1)} s (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}${xs.length < all.length ? `, ${all.length - xs.length} failed` : ''})`;
      };
      const ok = (xs: number[]) => xs.filter(Number.isFinite);
      console.log(`${new URL(url).pathname.padEnd(16)} plain ${fmt(t.plain)} · suite ${fmt(t.suite)} · ratio suite/plain ${ok(t.suite).length && ok(t.plain).length ? (median(ok(t.suite)) / median(ok(t.plain))).toFixed(2) : '–'}`);
    }
  } finally {
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
