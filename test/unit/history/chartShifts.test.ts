// The panel's history view carries the level shifts its chart marks.
import * as assert from 'assert';
import { chartShifts } from '../../../src/core/history/shifts';
import { historyView, RunListSource, type StoredRun } from '../../../src/features/panelData';
import { createRng } from '../../../src/core/stats/random';
import { makeRun } from '../store/runs';

describe('history view: level shifts for the chart', () => {
  it('marks the first run at the new level with commit, size and confidence', async () => {
    const rng = createRng(9);
    const runs: StoredRun[] = Array.from({ length: 30 }, (_, i) => {
      const r = makeRun({ ids: ['b'], value: (i >= 20 ? 0.9 : 1) * Math.exp(0.01 * rng.normal()), samples: 9, id: `r${i}`, startedAt: new Date(Date.UTC(2026, 10, 1, i)).toISOString() });
      r.git = { commit: `${String(i).padStart(2, '0')}abcdef${'0'.repeat(32)}` };
      return r as StoredRun;
    });
    const v = await historyView(new RunListSource(runs), 'b', 50);
    assert.strictEqual(v.points.length, 30);
    assert.strictEqual(v.shifts?.length, 1, JSON.stringify(v.shifts));
    const s = v.shifts![0];
    assert.strictEqual(s.index, 20);
    assert.strictEqual(v.points[s.index].runId, 'r20');
    assert.match(s.label, /^shifted at commit 20abcde \(−(9|10|11)\.\d%\)$/);
    assert.ok(s.confidence >= 0.99);
    const flat = await historyView(new RunListSource(runs.slice(0, 20)), 'b', 50);
    assert.deepStrictEqual(flat.shifts, []);
  });

  it('searches each machine class apart and points into the whole list', () => {
    const rng = createRng(11);
    // 30 runs on class a (−10% from its 20th), and a faster machine b joining for the last 12 runs.
    const points: { value: number; startedAt: string; commit: string; machineClass: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const at = (h: number) => new Date(Date.UTC(2026, 10, 1, i, h)).toISOString();
      points.push({ value: (i >= 20 ? 0.9 : 1) * Math.exp(0.01 * rng.normal()), startedAt: at(0), commit: `a${String(i).padStart(2, '0')}`, machineClass: 'a' });
      if (i >= 18) points.push({ value: 0.6 * Math.exp(0.01 * rng.normal()), startedAt: at(30), commit: `b${i}`, machineClass: 'b' });
    }
    const shifts = chartShifts(points, { seed: 'x' });
    assert.strictEqual(shifts.length, 1, JSON.stringify(shifts));
    assert.strictEqual(points[shifts[0].index].commit, 'a20');
    assert.strictEqual(shifts[0].machineClass, 'a');
    // Mixed into one series, the other machine's level reads as shifts of the code.
    const mixed = chartShifts(points.map(({ machineClass: _c, ...p }) => p), { seed: 'x' });
    assert.ok(mixed.some(s => points[s.index].machineClass === 'b' || points[s.index - 1].machineClass === 'b'), JSON.stringify(mixed));
  });
});
