// "Keep sampling": an inconclusive benchmark is re-run through its suite as a task, again and
// again, and judged on the pooled rounds with sequential levels (src/core/sampling) until the
// interval clears the threshold either way, or the look or time bound is reached. Progress is a
// cancellable notification showing the current interval. Each run is ingested as usual (the
// task's end / the results watcher); the pooled verdict then stands on the lens for that series.
// It survives a reload: which runs were pooled is kept in .perf/sampling/pooled.json and, once
// the folder's results are loaded, the verdict is recomputed from those stored runs.
import * as path from 'path';
import * as vscode from 'vscode';
import { detectFingerprint, machineClass } from '../core/env/fingerprint';
import type { Run } from '../core/model';
import { keepSampling, type KeepSamplingResult, type Look } from '../core/sampling/keepSampling';
import { baselineKey, readPooled, recomputePooled, savePooled } from '../core/sampling/pooled';
import { HISTORY_DIR, HistoryStore } from '../core/store/history';
import { verdictCompact } from '../core/verdict';
import type { Log } from '../util/log';
import type { ResultsStore } from '../workspace/resultsStore';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { KEEP_SAMPLING_COMMAND } from './codelens';
import { RUN_BENCHMARK_COMMAND } from './tasks';

export interface KeepSamplingArgs {
  maxLooks?: number;
  maxTimeSeconds?: number;
}

/** How long after its task ends a run may take to show up in the store (watcher settle + parse). */
const INGEST_WAIT_MS = 30_000;

function waitForTaskEnd(execution: vscode.TaskExecution, token: vscode.CancellationToken): Promise<number | undefined> {
  return new Promise(resolve => {
    const subs: vscode.Disposable[] = [];
    const finish = (code: number | undefined) => {
      subs.forEach(d => d.dispose());
      resolve(code);
    };
    subs.push(
      vscode.tasks.onDidEndTaskProcess(e => e.execution === execution && finish(e.exitCode)),
      // A task that never starts a process (bad command line) ends without a process event.
      vscode.tasks.onDidEndTask(e => e.execution === execution && setTimeout(() => finish(undefined), 500)),
      token.onCancellationRequested(() => {
        execution.terminate();
        finish(undefined);
      }),
    );
  });
}

/** Resolves once `ready()` holds, re-checked on every store change, or after `ms`. */
function until(store: ResultsStore, ready: () => boolean, ms: number): Promise<boolean> {
  if (ready()) return Promise.resolve(true);
  return new Promise(resolve => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(ready());
    }, ms);
    const sub = store.onDidChange(() => {
      if (!ready()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(true);
    });
  });
}

/** Pooled verdicts of this machine class whose last run is still the series' latest, recomputed from history. */
async function restorePooled(store: ResultsStore, log: Log): Promise<number> {
  const records = (await readPooled(store.folder)).records[machineClass(detectFingerprint())] ?? {};
  const history = new HistoryStore(path.join(store.folder, HISTORY_DIR));
  const runs = new Map<string, Run>();
  let restored = 0;
  for (const rec of Object.values(records)) {
    const state = store.get(rec.seriesId);
    const baseline = state?.baseline?.sameMachineClass ? state.baseline.entry : undefined;
    if (!state || !baseline || state.run.id !== rec.runIds[rec.runIds.length - 1]) continue;
    for (const id of rec.runIds.filter(i => !runs.has(i))) {
      const r = await history.get(id);
      if (r) runs.set(id, r);
    }
    const look = recomputePooled(rec, runs, baseline);
    if (!look) continue;
    store.recordPooled(rec.seriesId, state.run.id, look.verdict);
    log.info(`keep sampling: restored the pooled verdict of ${rec.seriesId} (${rec.runIds.length} runs): ${look.verdict.reason}`);
    restored++;
  }
  return restored;
}

export function register(results: WorkspaceResults, log: Log): vscode.Disposable[] {
  const running = new Set<string>();
  void results.ready().then(() =>
    Promise.all(results.all().map(s => restorePooled(s, log).catch(e => log.warn(`keep sampling: pooled verdicts of ${s.folder} not restored: ${(e as Error).message}`)))),
  );

  async function run(folderArg: string | vscode.Uri | undefined, seriesId: string | undefined, opts: KeepSamplingArgs = {}): Promise<KeepSamplingResult | undefined> {
    const folder = typeof folderArg === 'string' ? vscode.Uri.parse(folderArg) : folderArg ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const store = folder ? results.storeFor(folder) : undefined;
    const state = seriesId ? store?.get(seriesId) : undefined;
    if (!store || !state || !seriesId) {
      void vscode.window.showWarningMessage(`Perf Lens: no results for ${seriesId ?? 'that benchmark'} to keep sampling.`);
      return undefined;
    }
    const baseline = state.baseline?.sameMachineClass ? state.baseline.entry : undefined;
    if (!baseline) {
      void vscode.window.showInformationMessage(`Perf Lens: ${seriesId} has no baseline on this machine class to decide against; accept one first.`);
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Perf Lens runs nothing in an untrusted workspace.');
      return undefined;
    }
    const key = `${store.folder}\n${seriesId}`;
    if (running.has(key)) {
      void vscode.window.showInformationMessage(`Perf Lens: already sampling ${seriesId}.`);
      return undefined;
    }
    running.add(key);
    const target = { id: seriesId, name: (state.series.name ?? seriesId.split('::').pop() ?? seriesId).replace(/\[.*\]$/, ''), file: seriesId.includes('::') ? seriesId.split('::')[0] : '', suite: state.run.suite };
    let lastRunId = state.run.id;
    const runIds = [state.run.id];
    const maxLooks = opts.maxLooks ?? 5;
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Keep sampling ${state.series.name ?? seriesId}`, cancellable: true },
        async (progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          const report = (l: Look) => {
            progress.report({ increment: 100 / maxLooks, message: `look ${l.look}/${l.maxLooks}, ${l.n} rounds: ${verdictCompact(l.verdict)}` });
            log.info(`keep sampling ${seriesId}: ${l.verdict.reason}`);
          };
          return keepSampling({
            baseline,
            initial: state.series,
            maxLooks,
            maxTimeMs: opts.maxTimeSeconds !== undefined ? opts.maxTimeSeconds * 1000 : 10 * 60_000,
            threshold: store.config.verdict.threshold,
            seed: seriesId,
            signal: ac.signal,
            onLook: report,
            runOnce: async () => {
              const before = store.get(seriesId)?.run.id;
              const execution = await vscode.commands.executeCommand<vscode.TaskExecution | undefined>(RUN_BENCHMARK_COMMAND, target);
              if (!execution) return [];
              progress.report({ message: `running ${target.name} again…` });
              const code = await waitForTaskEnd(execution, token);
              if (token.isCancellationRequested) return [];
              if (code !== 0) log.warn(`keep sampling ${seriesId}: the run exited with ${code}`);
              const fresh = await until(store, () => (store.get(seriesId)?.run.id ?? before) !== before, INGEST_WAIT_MS);
              if (!fresh) return [];
              const now = store.get(seriesId);
              lastRunId = now?.run.id ?? lastRunId;
              if (now?.series.samples?.length) runIds.push(now.run.id);
              return now?.series.samples ?? [];
            },
          });
        },
      );
      if (result.looks.length) {
        store.recordPooled(seriesId, lastRunId, result.verdict);
        if (runIds.length > 1 && runIds[runIds.length - 1] === lastRunId) {
          const { seed: _seed, ...design } = result.design;
          const rec = { seriesId, runIds, look: result.looks[result.looks.length - 1].look, design, baseline: baselineKey(baseline), savedAt: new Date().toISOString() };
          await savePooled(store.folder, machineClass(detectFingerprint()), rec).catch(e => log.warn(`keep sampling: pooled verdict of ${seriesId} not saved: ${(e as Error).message}`));
        }
      }
      const how = result.stopped === 'decided' ? 'decided' : result.stopped === 'cancelled' ? 'stopped' : result.stopped === 'time' ? 'time is up' : result.stopped === 'no-samples' ? 'the runs gave no samples' : 'all looks used';
      void vscode.window.showInformationMessage(`Perf Lens: ${seriesId} — ${verdictCompact(result.verdict)} after ${result.looks.length} look(s), ${result.samples.length} rounds (${how}).`);
      return result;
    } finally {
      running.delete(key);
    }
  }

  return [vscode.commands.registerCommand(KEEP_SAMPLING_COMMAND, run)];
}
