// The store writes of `perf-lens ingest` and `perf-lens baseline accept`, as a small child for
// bench/store-faults.ts --direct (the same src/core code the CLI bundles, without the CLI's
// start-up, so kills land in writes far more often). Prints what the CLI prints:
//   ingest WORKSPACE FILE SUITE             → stderr "ingested FILE: N series (TOOL, run ID)"
//   accept WORKSPACE BY [ID…]               → stdout "accepted ID" per series
//   ingest-loop WORKSPACE FILE SUITE        ingest again and again (until killed)
//   accept-loop WORKSPACE GEN0              accept with by tool:gen-N, N = GEN0, GEN0+1, … (until killed)
import * as path from 'path';
import { detectFingerprint } from '../../src/core/env/fingerprint';
import { ingestFile } from '../../src/core/ingest/detect';
import type { Run } from '../../src/core/model';
import { acceptRun, BASELINES_PATH } from '../../src/core/store/baselines';
import { HISTORY_DIR, HistoryStore } from '../../src/core/store/history';

async function ingest(ws: string, file: string, suite: string): Promise<void> {
  const run = await ingestFile(file);
  run.suite ??= suite;
  run.machine ??= detectFingerprint();
  const stored = await new HistoryStore(path.join(ws, HISTORY_DIR), { timeoutMs: 20_000 }).append(run);
  process.stderr.write(`ingested ${file}: ${stored.series.length} series (${stored.tool}, run ${stored.id})\n`);
}

async function accept(ws: string, by: string, ids: string[]): Promise<void> {
  // As ResultsStore.accept: the latest run of each series (ties: the later append), grouped by run.
  const latest = new Map<string, { run: Run & { id: string }; t: number; order: number }>();
  let order = 0;
  for await (const { run } of new HistoryStore(path.join(ws, HISTORY_DIR)).records()) {
    const t = Date.parse(run.startedAt);
    order++;
    for (const s of run.series) {
      const cur = latest.get(s.id);
      if (!cur || t > cur.t || (t === cur.t && order > cur.order)) latest.set(s.id, { run, t, order });
    }
  }
  const byRun = new Map<Run & { id: string }, string[]>();
  for (const [id, { run }] of latest) if (!ids.length || ids.includes(id)) byRun.set(run, [...(byRun.get(run) ?? []), id]);
  for (const [run, runIds] of byRun) {
    await acceptRun(path.join(ws, BASELINES_PATH), run, { ids: runIds, by, machine: detectFingerprint(), timeoutMs: 20_000 });
    for (const id of runIds) process.stdout.write(`accepted ${id}\n`);
  }
}

async function main(): Promise<void> {
  const [mode, ws, a, ...rest] = process.argv.slice(2);
  if (mode === 'ingest') return ingest(ws, a, rest[0] ?? 'default');
  if (mode === 'accept') return accept(ws, a, rest);
  // Loops keep the process inside writes, so a kill at a random time lands mid-write often.
  if (mode === 'ingest-loop') for (;;) await ingest(ws, a, rest[0] ?? 'default');
  if (mode === 'accept-loop') {
    for (let gen = Number(a); ; gen++) {
      await accept(ws, `tool:gen-${gen}`, []);
      process.stdout.write(`done gen-${gen}\n`);
    }
  }
  throw new Error(`unknown mode ${mode}`);
}

main().catch(e => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
