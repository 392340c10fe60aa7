import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { machineClass } from '../../../src/core/env/fingerprint';
import { loadNoise, noiseOfRuns, parseNoise, recordNoise, serializeNoise, thresholdFor, withNoiseNote, type NoiseFile } from '../../../src/core/store/noise';
import { StoreFormatError } from '../../../src/core/store/errors';
import { compare } from '../../../src/core/verdict';
import { machineA, makeRun, removeTmpDirs, series, tmpDir } from './runs';

const cls = machineClass(machineA);
const AT = '2026-11-27T00:00:00.000Z';

describe('store/noise', () => {
  after(removeTmpDirs);

  it('noise of A/A runs: percentiles of |ln ratio| over all pairs, median within-run CV', () => {
    const runs = [1, 1.02, 0.99, 1.05].map(v => makeRun({ ids: ['a', 'only-once'], value: v, samples: 11 }));
    runs.slice(1).forEach(r => (r.series = r.series.filter(s => s.id === 'a')));
    const n = noiseOfRuns(runs, AT);
    assert.deepStrictEqual(Object.keys(n), ['a'], 'a series seen once has no run-to-run noise');
    assert.strictEqual(n.a.runs, 4);
    // Largest pair: 1.05 / 0.99; p95 of 6 pairs interpolates just below it.
    const max = Math.log(1.05 / 0.99);
    assert.ok(n.a.p95 < max && n.a.p95 > Math.log(1.05 / 1.0), String(n.a.p95));
    assert.ok(n.a.p99 <= max + 1e-12 && n.a.p99 >= n.a.p95);
    assert.ok(Math.abs(n.a.threshold - (Math.exp(n.a.p95) - 1)) < 1e-4, 'threshold = exp(p95) − 1');
    assert.ok(Math.abs(n.a.withinRunCv! - 0.0332) < 0.0005, String(n.a.withinRunCv)); // 0.95…1.05 in steps of 0.01: sd 0.0332
  });

  it('thresholdFor: the larger of configured and calibrated, on this machine class only', () => {
    const doc: NoiseFile = { schemaVersion: 1, noise: { [cls]: { a: { runs: 5, p95: 0.068, p99: 0.08, threshold: 0.07, measuredAt: AT } } } };
    assert.deepStrictEqual(thresholdFor(doc, cls, 'a', 0.05).threshold, 0.07);
    assert.strictEqual(thresholdFor(doc, cls, 'a', 0.1).calibrated, undefined, 'a larger configured threshold wins');
    assert.strictEqual(thresholdFor(doc, 'other-class', 'a', 0.05).calibrated, undefined);
    const t = thresholdFor(doc, cls, 'a', 0.05);
    const v = withNoiseNote(compare(series('a', 1.06, 30), series('a', 1, 30), { threshold: t.threshold }), t);
    assert.match(v.reason, / · threshold 7% \(calibrated noise on this machine\)$/);
    assert.strictEqual(v.status, 'unchanged', '+6 % is inside this machine\'s 7 % noise');
    assert.strictEqual(compare(series('a', 1.06, 30), series('a', 1, 30), { threshold: 0.05 }).status, 'regression', 'but beyond the configured 5 %');
  });

  it('records per class atomically, merging with what is there; round trip is stable', async () => {
    const file = path.join(tmpDir('noise'), '.perf', 'noise.json');
    assert.deepStrictEqual(await loadNoise(file), { schemaVersion: 1, noise: {} });
    await recordNoise(file, cls, noiseOfRuns([makeRun({ ids: ['a', 'b'], value: 1 }), makeRun({ ids: ['a', 'b'], value: 1.1 })], AT));
    await recordNoise(file, cls, noiseOfRuns([makeRun({ ids: ['a'], value: 1 }), makeRun({ ids: ['a'], value: 1.01 })], AT));
    const doc = await loadNoise(file);
    assert.ok(doc.noise[cls].a.threshold < 0.011 && doc.noise[cls].b.threshold > 0.09, 'a re-calibrated, b kept');
    assert.strictEqual(serializeNoise(doc), fs.readFileSync(file, 'utf8'));
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['noise.json'], 'no temp or lock left');
  });

  it('malformed files: errors name the file and field', () => {
    const bad = (text: string, re: RegExp) =>
      assert.throws(() => parseNoise(text, '.perf/noise.json'), (e: unknown) => e instanceof StoreFormatError && re.test(e.message));
    bad('{"schemaVersion": 1, "noise": {"m": {"x": {"runs": 1}}}}', /^\.perf\/noise\.json: expected a whole number ≥ 2, got 1 \(field noise\["m"\]\["x"\]\.runs\)$/);
    bad('{"schemaVersion": 1, "noise": {"m": {"x": {"runs": 3, "p95": 0.1, "p99": 0.1, "threshold": 1.5, "measuredAt": "2026-11-27"}}}}', /fraction below 1.*threshold/);
    bad('{"schemaVersion": 9, "noise": {}}', /newer Perf Lens/);
    bad('{"schemaVersion": 1,\n "noise": oops}', /noise\.json:2/);
  });
});
