// Turns the measurements test/workspaces/panel/generate.sh made (Locust CSVs, hyperfine JSON,
// memory samples of a real process) into that workspace's run history through the real parsers
// and stores: HistoryStore.append and acceptRun. Called by generate.sh:
//   node out/bench/panel/makeHistory.js <measurements dir> <workspace dir>
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Run } from '../../src/core/model';
import { detectFingerprint } from '../../src/core/env/fingerprint';
import { ingestFile } from '../../src/core/ingest/detect';
import { acceptRun, BASELINES_PATH } from '../../src/core/store/baselines';
import { HistoryStore } from '../../src/core/store/history';

interface MemoryDump {
  loadStart: number;
  loadEnd: number;
  samples: { t: number; rss: number; heapUsed: number }[];
}

function memoryRun(file: string, name: string): Run {
  const d = JSON.parse(fs.readFileSync(file, 'utf8')) as MemoryDump;
  const first = d.samples[0];
  const last = d.samples[d.samples.length - 1];
  return {
    tool: 'perf-lens',
    kind: 'memory',
    suite: 'memory checks',
    startedAt: new Date(first.t * 1000).toISOString(),
    durationSec: last.t - first.t,
    source: 'gen/memory.js',
    series: [
      {
        id: name,
        metric: 'memory',
        unit: 'bytes',
        summary: { n: d.samples.length, min: Math.min(...d.samples.map(s => s.rss)), max: Math.max(...d.samples.map(s => s.rss)) },
        memory: d.samples,
        extra: { loadStart: d.loadStart, loadEnd: d.loadEnd },
      },
    ],
  };
}

async function main(): Promise<void> {
  const [dir, ws] = process.argv.slice(2);
  if (!dir || !ws) throw new Error('usage: makeHistory.js <measurements dir> <workspace dir>');
  const machine = detectFingerprint({ node: process.versions.node });
  const store = new HistoryStore(path.join(ws, '.perf', 'history'), { gitignore: false });
  const runs: Run[] = [];
  for (const u of [2, 6]) {
    const run = await ingestFile(path.join(dir, `load${u}_stats.csv`));
    runs.push({ ...run, suite: `api load (${u} users)`, source: 'locustfile.py', machine });
  }
  runs.push(memoryRun(path.join(dir, 'mem-leak.json'), 'leaky cache (keeps buffers)'), memoryRun(path.join(dir, 'mem-flat.json'), 'bounded cache (drops buffers)'));
  const benches: Run[] = [];
  for (let r = 1; r <= 6; r++) {
    const run = await ingestFile(path.join(dir, `bench${r}.json`));
    // Labels, not real commits (the fixture folder is no git repo): stable so the chart is reproducible.
    const commit = createHash('sha1').update(`panel-fixture-${r}`).digest('hex');
    benches.push({ ...run, suite: 'tests/test_bench.py', source: 'tests/test_bench.py', machine, git: { commit, branch: 'main' } });
  }
  runs.push(...benches);
  runs.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  for (const run of runs) {
    const stored = await store.append(run);
    if (run === benches[0]) await acceptRun(path.join(ws, BASELINES_PATH), stored, { by: 'tool:panel fixture generator' });
  }
  console.log(`${runs.length} runs → ${store.dir}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
