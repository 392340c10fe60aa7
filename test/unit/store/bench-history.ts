// Measures the history store on a large synthetic history and prints numbers (no asserts).
// Not a unit test (mocha only picks *.test.js); belongs in bench/ once integrated.
// Run: npx tsc -p . --outDir /tmp/out-store && node /tmp/out-store/test/unit/store/bench-history.js [runs]
// Peer for the ratio: the naive approach (read the whole file, split, JSON.parse every line).
import * as fs from 'fs';
import * as path from 'path';
import { HistoryStore } from '../../../src/core/store/history';
import { makeRun, tmpDir } from './runs';

async function time<T>(label: string, f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await f();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms\n`);
  return { ms, value };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 1000);
  const dir = path.join(tmpDir('bench'), 'history');
  const store = new HistoryStore(dir);
  const ids = Array.from({ length: 20 }, (_, i) => `tests/perf/test_api.py::test_${i}`);
  const lines: string[] = [];
  // Write the files directly (appending one by one with fsync measures the disk, done below).
  for (let i = 0; i < runs; i++) {
    const startedAt = new Date(Date.UTC(2025, 0, 1) + i * 3600_000 * 6).toISOString();
    const run = { ...makeRun({ ids, value: 1 + (i % 7) / 100, samples: 50, startedAt }), id: `r${i}` };
    lines.push(JSON.stringify({ schemaVersion: 1, recordedAt: startedAt, run }));
  }
  const byMonth = new Map<string, string[]>();
  for (const l of lines) {
    const m = (JSON.parse(l) as { run: { startedAt: string } }).run.startedAt.slice(0, 7);
    byMonth.set(m, [...(byMonth.get(m) ?? []), l]);
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const [m, ls] of byMonth) fs.writeFileSync(path.join(dir, `${m}.jsonl`), ls.join('\n') + '\n');
  const bytes = [...byMonth.keys()].reduce((a, m) => a + fs.statSync(path.join(dir, `${m}.jsonl`)).size, 0);
  process.stdout.write(`${runs} runs × 20 series × 50 samples, ${byMonth.size} month files, ${(bytes / 1e6).toFixed(1)} MB\n`);

  const appends = 20;
  const a = await time(`append ${appends} runs (lock + write + fsync each)`, async () => {
    for (let i = 0; i < appends; i++) await store.append(makeRun({ ids, samples: 50, startedAt: new Date().toISOString() }));
  });
  process.stdout.write(`${'  per append'.padEnd(44)} ${(a.ms / appends).toFixed(1).padStart(9)} ms\n`);
  await time('list() all runs, newest first', () => store.list());
  await time('list({ limit: 20 })', () => store.list({ limit: 20 }));
  await time(`get('r0') (oldest month)`, () => store.get('r0'));
  const ours = await time('seriesValues(id, 50) (streams newest months)', () => store.seriesValues(ids[3], 50));
  const naive = await time('peer: read all, split, parse, take last 50', async () => {
    const pts: number[] = [];
    for (const f of fs.readdirSync(dir).filter(n => n.endsWith('.jsonl')).sort()) {
      for (const l of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
        if (!l) continue;
        const s = (JSON.parse(l) as { run: { series: { id: string; summary: { median: number } }[] } }).run.series.find(x => x.id === ids[3]);
        if (s) pts.push(s.summary.median);
      }
    }
    return pts.slice(-50);
  });
  process.stdout.write(`seriesValues / peer time ratio: ${(ours.ms / naive.ms).toFixed(2)} (points: ${ours.value.length} vs ${naive.value.length})\n`);
  const full = await time('seriesValues(id, 1e9) (reads everything)', () => store.seriesValues(ids[3], 1e9));
  process.stdout.write(`full streamed scan / peer ratio: ${(full.ms / naive.ms).toFixed(2)}\n`);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
}

main().catch(e => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
