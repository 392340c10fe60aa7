// Sturdy baselines: a pool of the last N accepted runs, schema-1 migration, and an
// auto-update that needs a significant improvement, not a ratio alone.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { machineClass } from '../../../src/core/env/fingerprint';
import type { Series } from '../../../src/core/model';
import {
  acceptRun,
  autoUpdateOnImprovement,
  effectiveOfRuns,
  improvementDecision,
  loadBaselines,
  MAX_BASELINE_SAMPLES,
  parseBaselines,
  samplesPerRun,
  serializeBaselines,
  type BaselineRun,
} from '../../../src/core/store/baselines';
import { compare } from '../../../src/core/verdict';
import { machineA, makeRun, removeTmpDirs, tmpDir } from './runs';

const cls = machineClass(machineA);
const file = () => path.join(tmpDir('pool'), '.perf', 'baselines.json');
const at = (iso: string) => () => new Date(iso);

/** Deterministic pseudo-noise: samples of `value` with ±`spread` relative jitter. */
function noisy(id: string, value: number, n: number, spread: number, seed: number): Series {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const samples = Array.from({ length: n }, () => value * (1 + spread * next()));
  return { id, metric: 'duration', unit: 's', samples, summary: { n, median: value, mean: value } };
}

describe('store/baselines: pooled runs', () => {
  after(removeTmpDirs);

  it('keeps the last N accepted runs (oldest dropped) and pools their samples in equal shares', async () => {
    const f = file();
    // ±2 % around 1.00 … 1.03: the same level, so each accept joins the pool.
    const values = [1.0, 1.01, 0.99, 1.02, 1.0, 1.03];
    for (const [i, v] of values.entries()) {
      const run = makeRun({ ids: ['s'], value: v, samples: 100, id: `r${i}` });
      const res = await acceptRun(f, run, { by: 'user:a', baselineRuns: 4, now: at(`2026-11-0${i + 1}T00:00:00Z`) });
      assert.strictEqual(res.restarted, undefined, `run ${i} joined the pool`);
    }
    const e = (await loadBaselines(f)).baselines[cls].s;
    assert.deepStrictEqual(e.runs?.map(r => r.runId), ['r2', 'r3', 'r4', 'r5'], 'the last 4, oldest first');
    assert.strictEqual(e.pooling, 'pooled-samples');
    assert.ok(e.runs?.every(r => r.samples?.length === samplesPerRun(4) && r.sampleCount === 100));
    assert.strictEqual(e.samples?.length, 4 * samplesPerRun(4));
    assert.ok((e.samples?.length ?? 0) <= MAX_BASELINE_SAMPLES);
    assert.strictEqual(e.summary.n, 400, 'n counts every sample the pooled runs measured');
    assert.strictEqual(e.runId, 'r5', 'top-level facts are the newest run');
    // The pooled median lies between the runs' medians: no single run decides it.
    assert.ok(e.summary.median! > 0.99 && e.summary.median! < 1.03, String(e.summary.median));
    assert.strictEqual(serializeBaselines(await loadBaselines(f)), fs.readFileSync(f, 'utf8'), 'round trip is byte-identical');
  });

  it('one lucky run moves a pooled baseline by a fraction of its shift', async () => {
    const f = file();
    for (let i = 0; i < 4; i++) await acceptRun(f, { ...makeRun({ ids: ['s'] }), series: [noisy('s', 1, 60, 0.03, i + 1)] }, { by: 'user:a' });
    const before = (await loadBaselines(f)).baselines[cls].s.summary.median!;
    // 4 % faster: inside the 5 % threshold, so it joins rather than restarts.
    await acceptRun(f, { ...makeRun({ ids: ['s'] }), series: [noisy('s', 0.96, 60, 0.03, 9)] }, { by: 'user:a' });
    const after = (await loadBaselines(f)).baselines[cls].s;
    assert.strictEqual(after.runs?.length, 5);
    const moved = (before - after.summary.median!) / before;
    assert.ok(moved > 0 && moved < 0.02, `moved ${moved}`);
  });

  it('a person accepting a significantly different run starts a new pool, saying why', async () => {
    const f = file();
    for (let i = 0; i < 3; i++) await acceptRun(f, makeRun({ ids: ['s'], value: 1, samples: 30 }), { by: 'user:a' });
    const res = await acceptRun(f, makeRun({ ids: ['s'], value: 1.3, samples: 30 }), { by: 'user:a' });
    assert.deepStrictEqual(res.restarted, ['s']);
    const e = (await loadBaselines(f)).baselines[cls].s;
    assert.strictEqual(e.runs?.length, 1);
    assert.strictEqual(e.pooling, undefined);
    assert.strictEqual(e.summary.median, 1.3);
    assert.match(e.reason ?? '', /^new level, pool restarted: \+30\.0% median vs the pool \(p<0\.001, Mann–Whitney; run-to-run t over 3 runs p=0\.\d{3}\)$/);
  });

  it('summary-only runs: the run with the median central value is the baseline', () => {
    const run = (median: number, by: string): BaselineRun => ({ summary: { median, mean: median }, acceptedAt: '2026-11-01T00:00:00Z', acceptedBy: by });
    const eff = effectiveOfRuns([run(3, 'user:a'), run(1, 'user:b'), run(2, 'user:c'), run(10, 'user:d')]);
    assert.strictEqual(eff.pooling, 'median-run');
    assert.strictEqual(eff.summary.median, 2, 'lower median of 1, 2, 3, 10: a value that was measured');
  });

  it('loads schema-1 files as pools of one and writes them back as schema 2', async () => {
    const f = file();
    const v1 = {
      schemaVersion: 1,
      baselines: {
        [cls]: {
          t: { metric: 'duration', unit: 's', summary: { n: 3, median: 2 }, samples: [1, 2, 3], commit: 'c1', acceptedAt: '2026-10-01T00:00:00.000Z', acceptedBy: 'user:old', machine: machineA },
        },
      },
    };
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, JSON.stringify(v1));
    const doc = await loadBaselines(f);
    const e = doc.baselines[cls].t;
    assert.deepStrictEqual(e.samples, [1, 2, 3], 'readers see the same baseline as before');
    assert.deepStrictEqual(e.runs?.map(r => [r.commit, r.acceptedBy, r.samples]), [['c1', 'user:old', [1, 2, 3]]]);
    // Any write migrates: accept another series.
    await acceptRun(f, makeRun({ ids: ['other'] }), { by: 'user:a' });
    const text = fs.readFileSync(f, 'utf8');
    assert.match(text, /^\{\n {2}"schemaVersion": 2,/);
    const again = parseBaselines(text, f).baselines[cls].t;
    assert.deepStrictEqual(again.samples, [1, 2, 3]);
    assert.strictEqual(again.runs?.length, 1);
  });

  describe('auto-update needs a significant improvement', () => {
    it('a >10 % better median that the test does not support is not accepted', () => {
      // Two noisy samples sets whose medians differ by ~12 % but overlap widely (n = 6 each).
      const s = (samples: number[]): Series => ({ id: 's', metric: 'duration', unit: 's', samples, summary: { n: samples.length } });
      const base = { ...s([0.5, 0.9, 1.0, 1.1, 1.5, 2.0]), acceptedAt: '2026-11-01T00:00:00Z', acceptedBy: 'user:a', machine: machineA };
      const cur = s([0.45, 0.8, 0.88, 0.95, 1.4, 1.9]);
      const ratio = compare(cur, base).ratio ?? 1;
      assert.ok(ratio < 0.9, `median ratio ${ratio} is beyond 10 %`);
      const d = improvementDecision(cur, base, 0.1, false);
      assert.strictEqual(d.updated, false);
      assert.match(d.reason, /but not significantly \(verdict (inconclusive|unchanged)/);
    });

    it('a significant improvement joins the pool instead of replacing it', async () => {
      const f = file();
      for (let i = 0; i < 3; i++) await acceptRun(f, makeRun({ ids: ['s'], value: 1, samples: 30 }), { by: 'user:a' });
      const d = await autoUpdateOnImprovement(f, makeRun({ ids: ['s'], value: 0.7, samples: 30 }), { enabled: true });
      assert.deepStrictEqual(d.map(x => x.updated), [true]);
      assert.match(d[0].reason, /Improvement: -30\.0% median .*Mann–Whitney/);
      const e = (await loadBaselines(f)).baselines[cls].s;
      assert.strictEqual(e.runs?.length, 4);
      assert.strictEqual(e.acceptedBy, 'tool:perf-lens auto-update');
      assert.ok(e.summary.median! > 0.9, 'the pooled median moved only part of the way');
    });
  });
});
