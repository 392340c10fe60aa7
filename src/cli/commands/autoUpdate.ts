// `verdict.autoUpdateOnImprovement` applied after `perf-lens run`: each series of the runs just
// ingested that improved significantly (verdict 'improvement', with this machine's calibrated
// noise as its threshold where larger) and by more than the configured fraction joins its
// baseline's pool in .perf/baselines.json. Off unless the config sets it.
import * as path from 'path';
import { machineClass } from '../../core/env/fingerprint';
import { autoUpdateOnImprovement, BASELINES_PATH } from '../../core/store/baselines';
import { HISTORY_DIR, HistoryStore } from '../../core/store/history';
import { loadNoise, NOISE_PATH, thresholdFor } from '../../core/store/noise';
import type { ResultsStore } from '../../workspace/resultsStore';
import type { Ctx } from '../context';

/** Returns the ids that joined their baseline. */
export async function applyAutoUpdate(ctx: Ctx, store: ResultsStore, runIds: Iterable<string>): Promise<string[]> {
  const v = store.config.verdict;
  if (v.autoUpdateOnImprovement === undefined) return [];
  const history = new HistoryStore(path.join(ctx.cwd, HISTORY_DIR));
  const noise = await loadNoise(path.join(ctx.cwd, NOISE_PATH));
  const joined: string[] = [];
  for (const id of runIds) {
    const run = await history.get(id);
    if (!run?.machine) continue;
    const cls = machineClass(run.machine);
    // One threshold per run is enough here: the largest calibrated noise among its series errs on the safe side.
    const threshold = Math.max(v.threshold, ...run.series.map(s => thresholdFor(noise, cls, s.id, v.threshold).threshold));
    const decisions = await autoUpdateOnImprovement(path.join(ctx.cwd, BASELINES_PATH), run, {
      enabled: true,
      minImprovement: v.autoUpdateOnImprovement,
      baselineRuns: v.baselineRuns,
      verdict: { threshold, hardLimit: v.hardLimit },
    });
    for (const d of decisions.filter(x => x.updated)) {
      joined.push(d.id);
      ctx.out.err(`auto-update: ${d.id} joined its baseline (${d.reason})`);
    }
  }
  return joined;
}
