import * as assert from 'assert';
import * as path from 'path';
import { machineClass } from '../../../src/core/env/fingerprint';
import { buildHistories, describeShift, detectShifts, ShiftIndex } from '../../../src/core/history/shifts';
import type { Run } from '../../../src/core/model';
import { createRng } from '../../../src/core/stats/random';
import { HistoryStore } from '../../../src/core/store/history';
import { machineA, machineB, makeRun, removeTmpDirs, tmpDir } from '../store/runs';

type StoredRun = Run & { id: string };

/** One run per commit c0…c(n-1), a day apart; `value(i)` is the central value of series "s". */
function runs(n: number, value: (i: number) => number, machine = machineA): StoredRun[] {
  return Array.from({ length: n }, (_, i) => {
    const r = makeRun({ ids: ['s'], value: value(i), samples: 5, machine, startedAt: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(), id: `r${i}` });
    r.git = { commit: `c${String(i).padStart(3, '0')}${'0'.repeat(37)}` };
    return r as StoredRun;
  });
}

const noise = (seed: number, sd: number) => {
  const rng = createRng(seed);
  return () => Math.exp(sd * rng.normal());
};

describe('history/shifts', () => {
  after(removeTmpDirs);

  it('orders by time, merges re-runs of one commit, keeps machine classes apart', () => {
    const a = runs(3, i => i + 1);
    const rerun = { ...a[1], id: 'r1b', startedAt: '2026-10-02T12:00:00.000Z', series: makeRun({ ids: ['s'], value: 4, samples: 5 }).series };
    const b = runs(2, () => 9, machineB);
    const hs = buildHistories([a[2], rerun, ...b, a[0], a[1]]);
    const onA = hs.find(h => h.machineClass === machineClass(machineA));
    assert.ok(onA);
    assert.deepStrictEqual(onA.points.map(p => [p.commit?.slice(0, 4), p.value, p.runIds]), [
      ['c000', 1, ['r0']],
      ['c001', 3, ['r1', 'r1b']], // median of 2 and 4
      ['c002', 3, ['r2']],
    ]);
    assert.strictEqual(hs.length, 2);
  });

  it('names the commit that shifted the level', () => {
    const n = noise(2, 0.02);
    const [h] = buildHistories(runs(30, i => (i >= 18 ? 1.14 : 1) * n()));
    const shifts = detectShifts(h);
    assert.strictEqual(shifts.length, 1);
    assert.strictEqual(shifts[0].commit?.slice(0, 4), 'c018');
    assert.strictEqual(shifts[0].previousCommit?.slice(0, 4), 'c017');
    assert.match(describeShift(shifts[0]), /^shifted at commit c018000 \(\+1[3-5]%\)$/);
    assert.strictEqual(describeShift({ startedAt: '2026-11-20T00:00:00Z', shift: -0.082 }), 'shifted at the run of 2026-11-20 (−8.2%)');
  });

  it('ShiftIndex reads a history folder once; lookups are per series', async () => {
    const dir = path.join(tmpDir('shifts'), '.perf', 'history');
    const store = new HistoryStore(dir);
    const n = noise(4, 0.02);
    for (const r of runs(24, i => (i >= 12 ? 0.8 : 1) * n())) await store.append(r);
    const index = new ShiftIndex();
    await index.load(dir);
    assert.strictEqual(index.forSeries('s').length, 1);
    assert.ok(index.forSeries('s')[0].shift < -0.15);
    assert.deepStrictEqual(index.forSeries('other'), []);
    assert.strictEqual(index.version, 1);
  });
});
