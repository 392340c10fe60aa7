// bench/panel: time from a data message to a drawn chart, and the page's JS heap, for uPlot and
// Chart.js (min-max decimation) at 10k, 100k and 1M points, in headless Debian Chromium.
// Target (issue 7): 1M points drawn in < 500 ms. Chart.js is not a project dependency: it is
// installed into a temporary folder on first run (like fixture-generation tools).
//
// Run: cd /work/main && npx tsc -p . && node out/bench/panel.js [rounds=5]
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launchChromium } from '../test/e2e/browser';
import { MAX_CHART_POINTS, thinIndexes } from '../src/features/panelData';

const repo = process.cwd();
const CHARTJS_VERSION = '4.6.1';
const SIZES = [10_000, 100_000, 1_000_000];

function chartJsPath(): string {
  const dir = path.join(os.tmpdir(), `perf-lens-bench-chartjs-${CHARTJS_VERSION}`);
  const file = path.join(dir, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, `chart.js@${CHARTJS_VERSION}`], { stdio: 'inherit' });
  }
  const alt = file.replace('.min.js', '.js');
  return fs.existsSync(file) ? file : alt;
}

interface Result {
  ms: number;
  receiveMs: number;
  inked: number;
}

/** Median time of thinIndexes over n points plus building three columns, in Node. */
function hostThinMs(n: number): number {
  const v = Array.from({ length: n }, (_, i) => Math.sin(i / 100) + (i % 7) / 10);
  const t: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const idx = thinIndexes(v, MAX_CHART_POINTS);
    for (let c = 0; c < 3; c++) idx.map(i => v[i]);
    t.push(performance.now() - t0);
  }
  return median(t);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const libs: Record<string, string[]> = {
    uplot: [path.join(repo, 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js')],
    chartjs: [chartJsPath()],
  };
  const browser = await launchChromium();
  console.log(`bench/panel: ${rounds} rounds each, median shown; chromium ${browser.version()}, ${os.cpus().length} cores`);
  console.log('library  message  points   total ms (min…max)   receive ms  draw ms  JS heap MB  target 1M<500ms');
  try {
    for (const [lib, scripts] of Object.entries(libs)) {
      for (const mode of ['json', 'typed', 'thinned'])
      for (const n of SIZES) {
        const page = await browser.newPage({ viewport: { width: 1100, height: 500 } });
        await page.goto('file://' + path.join(repo, 'bench', 'panel', 'harness.html'));
        for (const s of scripts) await page.addScriptTag({ path: s });
        if (lib === 'uplot') await page.addStyleTag({ path: path.join(repo, 'node_modules', 'uplot', 'dist', 'uPlot.min.css') });
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const times: number[] = [];
        const receive: number[] = [];
        let inked = 0;
        for (let r = 0; r < rounds; r++) {
          const res = (await page.evaluate(`window.runBench(${JSON.stringify(lib)}, ${n}, ${JSON.stringify(mode)})`)) as Result;
          times.push(res.ms);
          receive.push(res.receiveMs);
          inked = res.inked;
        }
        await cdp.send('HeapProfiler.collectGarbage');
        const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
        const heap = (metrics.find(m => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 2 ** 20;
        // The host's share of the thinned path: picking indexes in Node (added to the total).
        const hostMs = mode === 'thinned' ? hostThinMs(n) : 0;
        const med = median(times) + hostMs;
        const target = n === 1_000_000 ? (med < 500 ? 'met' : 'MISSED') : '';
        const range = `(${Math.min(...times).toFixed(0)}…${Math.max(...times).toFixed(0)})`;
        console.log(
          `${lib.padEnd(8)} ${mode.padEnd(7)} ${String(n).padStart(8)}  ${med.toFixed(1).padStart(8)} ${range.padEnd(13)}  ${median(receive).toFixed(1).padStart(10)}  ${median(times.map((t, i) => t - receive[i])).toFixed(1).padStart(7)}  ${heap.toFixed(1).padStart(15)}  ${target}${inked === 0 ? ' (NOTHING DRAWN)' : ''}`,
        );
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log('message: json = plain arrays as JSON; typed = Float64Array columns (structured clone);');
  console.log(`  thinned = the panel's path: the host thins to ≤ ${MAX_CHART_POINTS} points (its Node time is added to total).`);
  console.log('heap: JSHeapUsedSize after GC with the last chart alive; typed-array data live outside the JS heap.');
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
