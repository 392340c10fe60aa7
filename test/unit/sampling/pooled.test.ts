// A keep-sampling verdict survives a reload: stored as the pooled runs' ids plus the design, it is
// recomputed from the runs in history and equals the verdict the loop reached; a changed baseline
// or a missing run drops it; a damaged file is refused naming the field.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Run } from '../../../src/core/model';
import { keepSampling } from '../../../src/core/sampling/keepSampling';
import { baselineKey, parsePooled, POOLED_PATH, readPooled, recomputePooled, savePooled, type PooledRecord } from '../../../src/core/sampling/pooled';
import { createRng } from '../../../src/core/stats/random';
import type { Measurement } from '../../../src/core/verdict';

const rng = createRng(21);
const draw = (n: number, center: number): number[] => Array.from({ length: n }, () => center * Math.exp(0.12 * rng.normal()));
const run = (id: string, samples: number[]): Run & { id: string } => ({ id, tool: 'pytest-benchmark', startedAt: '2026-11-20T10:00:00.000Z', series: [{ id: 'b', metric: 'duration', unit: 's', samples, summary: {} }] });

describe('keep sampling: pooled verdicts persisted', () => {
  it('is recomputed from the stored runs to the same verdict; a changed baseline or a missing run drops it', async () => {
    const baseline: Measurement = { metric: 'duration', unit: 's', samples: draw(10, 1), summary: {} };
    const runs = [run('r0', draw(10, 1.1))];
    const result = await keepSampling({
      baseline,
      initial: runs[0].series[0],
      seed: 'b',
      runOnce: async () => {
        const r = run(`r${runs.length}`, draw(10, 1.1));
        runs.push(r);
        return r.series[0].samples ?? [];
      },
    });
    assert.ok(result.looks.length >= 2, `needs extra rounds to be a real test: ${result.looks.length} look(s)`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pooled-'));
    try {
      const { seed: _s, ...design } = result.design;
      const rec: PooledRecord = { seriesId: 'b', runIds: runs.map((r) => r.id), look: result.looks[result.looks.length - 1].look, design, baseline: baselineKey(baseline), savedAt: new Date().toISOString() };
      await savePooled(dir, 'classA', rec);
      const back = (await readPooled(dir)).records.classA.b;
      assert.deepStrictEqual(back, rec);
      const stored = new Map(runs.map((r) => [r.id, r]));
      const look = recomputePooled(back, stored, baseline);
      assert.ok(look);
      assert.strictEqual(look.verdict.status, result.verdict.status);
      assert.strictEqual(look.verdict.ratio, result.verdict.ratio);
      assert.deepStrictEqual(look.verdict.ci, result.verdict.ci);
      assert.strictEqual(look.verdict.reason, result.verdict.reason);
      assert.strictEqual(recomputePooled(back, stored, { ...baseline, samples: draw(10, 1) }), undefined, 'another baseline');
      stored.delete(runs[1].id);
      assert.strictEqual(recomputePooled(back, stored, baseline), undefined, 'a pruned run');
      assert.deepStrictEqual((await readPooled(path.join(dir, 'none'))).records, {});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a damaged file naming the field', () => {
    const file = path.join('/ws', POOLED_PATH);
    const ok = { seriesId: 'b', runIds: ['r0'], look: 2, design: { maxLooks: 5, alpha: 0.01, threshold: 0.05, spending: 'obrien-fleming' }, baseline: '[]', savedAt: '' };
    assert.ok(parsePooled(JSON.stringify({ format: 'perf-lens-pooled', version: 1, records: { c: { b: ok } } }), file));
    assert.throws(() => parsePooled(JSON.stringify({ format: 'perf-lens-pooled', version: 1, records: { c: { b: { ...ok, look: 9 } } } }), file), /pooled\.json.*records\["c"\]\["b"\]\.design\.maxLooks/s);
    assert.throws(() => parsePooled(JSON.stringify({ format: 'perf-lens-pooled', version: 1, records: { c: { b: { ...ok, runIds: [] } } } }), file), /runIds/);
    assert.throws(() => parsePooled('{"format": "x"}', file), /pooled\.json.*format/s);
  });
});
