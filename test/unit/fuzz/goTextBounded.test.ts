// The Go text parser keeps bounded memory on a huge -count (the fuzzer's 1 GB case used 1.1 GB
// before): past MAX_KEPT samples a series keeps a uniform reservoir, with n, mean, stddev, min
// and max still exact and a note saying the median is an estimate. Input: the real `go test
// -bench` output repeated (as a -count of thousands prints it), ~4 MB.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { goBenchTextParser, MAX_KEPT } from '../../../src/core/ingest/goBench';
import { fixture } from '../helpers';

function nsPerOp(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [, name, ns] of text.matchAll(/^(Benchmark\S+)-\d+\s+\d+\s+([\d.]+) ns\/op/gm)) out.set(name, [...(out.get(name) ?? []), Number(ns)]);
  return out;
}

describe('fuzz: go test text with a huge -count stays in bounded memory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-gocount-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps a uniform sample past the cap; exact n, mean, stddev, min, max; a note names the estimate', async () => {
    const real = fs.readFileSync(fixture('go', 'bench.txt'), 'utf8');
    const reps = Math.ceil((MAX_KEPT * 1.2) / 3);
    const file = path.join(dir, 'bench.txt');
    fs.writeFileSync(file, real.repeat(reps));
    const run = await goBenchTextParser.parse(file);
    const truth = nsPerOp(real);
    assert.strictEqual(run.series.length, truth.size);
    for (const s of run.series) {
      const kept = s.samples ?? [];
      const once = truth.get(s.name ?? s.id) as number[];
      const all = Array.from({ length: reps }, () => once).flat().map(ns => ns / 1e9);
      const mean = all.reduce((a, x) => a + x, 0) / all.length;
      const sd = Math.sqrt(all.reduce((a, x) => a + (x - mean) ** 2, 0) / (all.length - 1));
      assert.strictEqual(kept.length, MAX_KEPT, s.name);
      assert.strictEqual(s.summary.n, all.length);
      assert.ok(Math.abs((s.summary.mean as number) - mean) < mean * 1e-9, `${s.name} mean ${s.summary.mean} vs ${mean}`);
      assert.ok(Math.abs((s.summary.stddev as number) - sd) < sd * 1e-6, `${s.name} stddev ${s.summary.stddev} vs ${sd}`);
      assert.strictEqual(s.summary.min, Math.min(...once) / 1e9);
      assert.strictEqual(s.summary.max, Math.max(...once) / 1e9);
      // Uniform: each of the three repeated values is about a third of the kept samples.
      for (const v of once) {
        const share = kept.filter(x => x === v / 1e9).length / MAX_KEPT;
        assert.ok(share > 0.28 && share < 0.39, `${s.name}: ${v} ns is ${share} of the kept samples`);
      }
      assert.ok(once.map(v => v / 1e9).includes(s.summary.median as number));
    }
    assert.ok(run.notes?.some(n => /uniform 10000 of each are kept/.test(n) && /median is an estimate/.test(n)), JSON.stringify(run.notes));
  });

  it('a -count under the cap is unchanged: every sample, no note', async () => {
    const run = await goBenchTextParser.parse(fixture('go', 'bench.txt'));
    assert.ok(run.series.every(s => s.samples?.length === 3 && s.summary.n === 3));
    assert.ok(!run.notes?.some(n => /kept/.test(n)));
  });
});
