// How often is the leak verdict right? Runs test/fixtures/services/leaky-server.js in its leaking
// and its bounded mode, N times each, under an open-loop load through the memory sampler, and
// counts verdicts. Expected: leaking → 'leak', bounded → 'stable'.
// Run: npx tsc -p . && node out/bench/leak-verdicts.js [runs=5] [loadSec=90] [warmupSec=30] [heap]
// With `heap` the service's V8 heap is sampled over the inspector too and the verdict judges it;
// the RSS verdict of the same runs is printed beside it. Measured 5 30 10 heap (load 6 → 0):
//   heap verdict: leaking → leak 5/5, bounded → stable 4/5 (one leak at 5.2 MB/min);
//   RSS, same runs: leaking → leak 4/5 (1 inconclusive), bounded → stable 4/5.
// Takes about runs × 2 × (loadSec + 10) seconds. Measured (shared 2-core box, 200 req/s):
//   60 s load, 30 s warm-up: leaking → leak 4/5 (1 inconclusive), bounded → stable 5/5;
//   30 s load, 10 s warm-up: leaking → leak 5/5, bounded → leak 5/5 (Node's RSS still climbs
//   20–45 MB/min while V8 grows its heap; it levels off after ~30 s).
// 2026-11-27, 5 60 30, later-half check on the running maximum: leaking → leak 5/5; bounded →
//   inconclusive 5/5, none called a leak (RSS still creeping 1.4–12 MB/min, 2.9–5.6 MB in the window).
//   A later run of the same called a bounded twin a leak: RSS noise set 0.3 MB of new highs in its
//   15 s later half. Since, the later half must climb materially, and a rise that stopped for ≥ 20 s
//   is 'stable' — which a 30 s window (60 s load − 30 s warm-up) cannot show: default load now 90 s.
//   2026-11-27 22:37, 3 90 30: leaking → leak 3/3, bounded → stable 3/3.
//   2026-11-27 23:06, 5 90 30 (load average 2–4): leaking → leak 5/5 (31–64 MB/min); bounded →
//   stable 5/5 (slopes 0–2.6 MB/min, growth 0.9–7.6 MB: rises that stopped, or none).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runMemory } from '../src/engines/memory/runMemory';
import { freeLoopbackPort } from '../src/core/env/ports';

const runs = Number(process.argv[2] ?? 5);
const loadSec = Number(process.argv[3] ?? 90);
const warmupSec = Number(process.argv[4] ?? 30);
const heap = process.argv[5] === 'heap';
// Paths from the repo root (where you run it), so any outDir works.
const fixture = path.resolve(process.env.PERF_LENS_REPO ?? process.cwd(), 'test/fixtures/services/leaky-server.js');

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-leak-bench-'));
  const tally: Record<string, Record<string, number>> = { leaking: {}, bounded: {} };
  const rssTally: Record<string, Record<string, number>> = { leaking: {}, bounded: {} };
  console.log(`leak verdicts: ${runs} runs per mode, open-loop load 200 req/s for ${loadSec} s, warm-up ${warmupSec} s, sampling 250 ms, settle 5 s${heap ? ', heap sampled (verdict on heap used, RSS beside)' : ''}`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} (shared with other work: figures measured under load)`);
  for (let i = 0; i < runs; i++) {
    for (const mode of ['leaking', 'bounded'] as const) {
      const port = await freeLoopbackPort();
      const scenario = path.join(dir, `s-${port}.json`);
      fs.writeFileSync(scenario, JSON.stringify({
        target: `http://127.0.0.1:${port}`, mode: 'open', rate: 200, connections: 8, durationSec: loadSec,
        requests: [{ path: '/api/dashboard/stats', maxResponseTimeSec: 0.1 }],
      }));
      const cmd = [process.execPath, fixture, '--port', String(port), ...(mode === 'leaking' ? ['--leak'] : [])];
      const r = await runMemory({ command: cmd, load: { scenarioFile: scenario, startAfterSec: 1, settleSec: 5 }, warmupSec, heap, childOutput: 'ignore' });
      const v = r.verdict;
      tally[mode][v.status] = (tally[mode][v.status] ?? 0) + 1;
      const x = r.run.series[0].extra!;
      const rssVerdict = String(x['rss.verdict'] ?? v.status);
      rssTally[mode][rssVerdict] = (rssTally[mode][rssVerdict] ?? 0) + 1;
      console.log(`run ${i + 1} ${mode.padEnd(8)} → ${v.status.padEnd(12)} on ${v.field}${heap ? ` (rss: ${rssVerdict})` : ''} slope ${v.slopeMBPerMin.toFixed(2)} MB/min [${v.slopeCI[0].toFixed(2)}, ${v.slopeCI[1].toFixed(2)}]` +
        ` growth ${v.growthMB.toFixed(1)} MB peak ${v.peakMB.toFixed(1)} MB, load ${x['load.requests']} req at ${x['load.rps']}/s`);
    }
  }
  const right = (mode: 'leaking' | 'bounded', want: string) => `${tally[mode][want] ?? 0}/${runs}`;
  console.log(`\nleaking flagged 'leak': ${right('leaking', 'leak')}   verdicts ${JSON.stringify(tally.leaking)}`);
  console.log(`bounded called 'stable': ${right('bounded', 'stable')}   verdicts ${JSON.stringify(tally.bounded)}`);
  if (heap) console.log(`same runs judged on RSS: leaking ${JSON.stringify(rssTally.leaking)}, bounded ${JSON.stringify(rssTally.bounded)}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
