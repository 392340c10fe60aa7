// The enormous-input case: ~1 GB of a format, made on the fly in a temp folder and deleted after.
// Streaming parsers (Go text/JSON, Locust history) must read it in bounded memory and time;
// the others must refuse it by size before reading (a sparse file whose first 128 KiB are real
// content and spaces is enough to reach that check, so no gigabyte is written for them).
import * as fs from 'fs';
import * as path from 'path';
import { getHeapStatistics } from 'v8';
import { ingestFile } from '../../src/core/ingest/detect';
import { judge, type Verdict } from './contract';
import { fixturePath, type FuzzTarget } from './targets';

export const HUGE_BYTES = 1024 * 1024 * 1024;

export interface HugeResult {
  target: string;
  bytes: number;
  verdict: Verdict;
  ms: number;
  /** Peak resident set of the whole fuzz process (maxRSS, since it started: every earlier case too), MiB. */
  maxRssMiB: number;
  /** Peak growth of the process's resident set while this case parsed (sampled every 20 ms), MiB. */
  rssGrowthMiB?: number;
  /** Peak used JS heap of the worker running the case (sampled every 20 ms), MiB. */
  peakHeapMiB?: number;
  series?: number;
}

/** Repeats `body` after `head` until `bytes`, in 1 MiB writes. */
function writeRepeated(file: string, head: string, body: (k: number) => string, bytes: number): number {
  const fd = fs.openSync(file, 'w');
  let written = fs.writeSync(fd, head);
  let k = 0;
  try {
    while (written < bytes) {
      let chunk = '';
      while (chunk.length < 1024 * 1024) chunk += body(k++);
      written += fs.writeSync(fd, chunk);
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

export async function hugeCase(repoRoot: string, target: FuzzTarget, dir: string): Promise<HugeResult> {
  const main = target.name === 'locust' ? 'locust/run_stats_history.csv' : target.fixtures[0];
  const src = fs.readFileSync(fixturePath(repoRoot, main), 'utf8');
  for (const sib of target.siblings ?? []) if (sib !== main) fs.copyFileSync(fixturePath(repoRoot, sib), path.join(dir, path.basename(sib)));
  const file = path.join(dir, path.basename(main));
  let bytes: number;
  if (!target.streams) {
    // Real content padded with spaces past the 64 KiB detection head (JSON allows trailing
    // whitespace), so detection picks the parser and the parser's size check is what answers.
    fs.writeFileSync(file, src + ' '.repeat(128 * 1024));
    fs.truncateSync(file, HUGE_BYTES);
    bytes = HUGE_BYTES;
  } else if (target.name === 'locust') {
    // Header, then the real rows again and again with the timestamps moved on: a 1 GB history.
    const [header, ...rows] = src.trimEnd().split('\n');
    const parsed = rows.map(r => r.split(','));
    const t0 = Number(parsed[0][0]);
    const span = Number(parsed[parsed.length - 1][0]) - t0 + 1;
    bytes = writeRepeated(file, header + '\n', k => parsed.map(c => [String(Number(c[0]) + (k + 1) * span), ...c.slice(1)].join(',')).join('\n') + '\n', HUGE_BYTES);
  } else {
    // Go: the real output, repeated (a -count of millions).
    bytes = writeRepeated(file, '', () => (src.endsWith('\n') ? src : src + '\n'), HUGE_BYTES);
  }
  const t = performance.now();
  // Streaming parsers yield between chunks, so the sampler sees the case's peak.
  const rss0 = process.memoryUsage.rss();
  let rssPeak = rss0;
  let heapPeak = 0;
  const sample = () => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
  };
  const sampler = setInterval(sample, 20);
  let verdict: Verdict;
  let series: number | undefined;
  try {
    const run = await ingestFile(file);
    sample();
    series = run.series.length;
    verdict = judge(file, { run });
  } catch (error) {
    verdict = judge(file, { error });
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - t;
  fs.rmSync(file, { force: true });
  const mib = (b: number) => Math.round(b / 1024 / 1024);
  return { target: target.name, bytes, verdict, ms, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), rssGrowthMiB: mib(rssPeak - rss0), peakHeapMiB: mib(heapPeak), series };
}
