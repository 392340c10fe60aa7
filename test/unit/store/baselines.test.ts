import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { machineClass } from '../../../src/core/env/fingerprint';
import { GitError } from '../../../src/core/env/git';
import {
  acceptRun,
  autoUpdateOnImprovement,
  boundSamples,
  loadBaselines,
  lookupBaseline,
  MAX_BASELINE_SAMPLES,
  parseBaselines,
  readBaselinesAtRef,
  serializeBaselines,
} from '../../../src/core/store/baselines';
import { StoreFormatError } from '../../../src/core/store/errors';
import { machineA, machineB, makeRun, removeTmpDirs, tmpDir } from './runs';

const clsA = machineClass(machineA);
const clsB = machineClass(machineB);
const at = (iso: string) => () => new Date(iso);

function baselinesFile(): string {
  return path.join(tmpDir('base'), '.perf', 'baselines.json');
}

async function rejectsFormat(p: Promise<unknown>, text: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StoreFormatError, String(e));
    assert.match(e.message, text);
    return true;
  });
}

describe('store/baselines', () => {
  after(removeTmpDirs);

  it('a missing file is an empty set', async () => {
    assert.deepStrictEqual(await loadBaselines(baselinesFile()), { schemaVersion: 2, baselines: {} });
  });

  it('accepts a run and reads it back; the text is stable, sorted, 2-space, newline-terminated', async () => {
    const file = baselinesFile();
    const run = makeRun({ ids: ['z::last', 'a::first'], value: 0.25, samples: 5, id: 'run-1' });
    const res = await acceptRun(file, run, { by: 'user:alice', now: at('2026-11-26T12:00:00.000Z') });
    assert.deepStrictEqual(res, { machineClass: clsA, accepted: ['z::last', 'a::first'], missing: [] });
    const text = fs.readFileSync(file, 'utf8');
    const doc = await loadBaselines(file);
    assert.strictEqual(serializeBaselines(doc), text, 'load → serialize is byte-identical');
    const e = doc.baselines[clsA]['a::first'];
    assert.deepStrictEqual(e.samples, [0.2375, 0.24375, 0.25, 0.25625, 0.2625]);
    assert.strictEqual(e.acceptedBy, 'user:alice');
    assert.strictEqual(e.commit, 'a'.repeat(40));
    assert.strictEqual(e.runId, 'run-1');
    assert.strictEqual(e.dirty, undefined, 'clean trees write no dirty field');
    assert.deepStrictEqual(e.machine, machineA);
    assert.ok(text.startsWith('{\n  "schemaVersion": 2,\n  "baselines": {\n    "linux-x64-12c-intel-core-i7-9750h-2.60ghz": {\n      "a::first": {\n        "metric": "duration",'), text.slice(0, 300));
    assert.ok(text.endsWith('}\n') && !text.endsWith('\n\n'));
    assert.ok(text.indexOf('"a::first"') < text.indexOf('"z::last"'), 'series ids sorted');
    assert.match(text, /\n {12}"samples": \[0\.2375, 0\.24375, 0\.25, 0\.25625, 0\.2625\],\n/, 'samples on one line, in the run that has them');
    assert.doesNotMatch(text, /\n {8}"samples"/, 'the effective samples are derived on load, not written twice');
    assert.match(text, /"runtimes": \{\n\s+"node": "20\.20\.2",\n\s+"python": "3\.11\.2"\n/);
  });

  it('the same content gives the same bytes whatever the insertion order', () => {
    const a = makeRun({ ids: ['b', 'a'] });
    const doc1 = parseBaselines(JSON.stringify({ schemaVersion: 1, baselines: {} }), 'x');
    const doc2 = parseBaselines(JSON.stringify({ baselines: {}, schemaVersion: 1 }), 'x');
    const entry = () => ({ metric: 'duration' as const, unit: 's' as const, summary: { median: 1, mean: 1 }, acceptedAt: '2026-11-26T00:00:00.000Z', acceptedBy: 'user:x', machine: a.machine! });
    doc1.baselines.k = { a: entry(), b: entry() };
    doc2.baselines.k = { b: { ...entry(), summary: { mean: 1, median: 1 } }, a: entry() };
    assert.strictEqual(serializeBaselines(doc1), serializeBaselines(doc2));
  });

  it('accepts only the chosen ids, keeps the others, reports unknown ids; a one-series change is a small diff', async () => {
    const file = baselinesFile();
    await acceptRun(file, makeRun({ ids: ['s1', 's2', 's3'], value: 1 }), { by: 'user:alice', now: at('2026-11-01T00:00:00Z') });
    await acceptRun(file, makeRun({ ids: ['s1'], machine: machineB }), { by: 'user:alice', now: at('2026-11-01T00:00:00Z') });
    const before = fs.readFileSync(file, 'utf8');
    const res = await acceptRun(file, makeRun({ ids: ['s1', 's2', 's3'], value: 2 }), { ids: ['s2', 'nope'], by: 'tool:ci', now: at('2026-11-02T00:00:00Z') });
    // value 2 vs a pool at 1: a significant change, so the pool restarts with this run.
    assert.deepStrictEqual(res, { machineClass: clsA, accepted: ['s2'], missing: ['nope'], restarted: ['s2'] });
    const doc = await loadBaselines(file);
    assert.strictEqual(doc.baselines[clsA].s1.summary.mean, 1);
    assert.strictEqual(doc.baselines[clsA].s2.summary.mean, 2);
    assert.strictEqual(doc.baselines[clsA].s3.summary.mean, 1);
    assert.ok(doc.baselines[clsB].s1, 'other machine class untouched');
    const after = fs.readFileSync(file, 'utf8');
    const a = before.split('\n');
    const b = after.split('\n');
    // The restart adds a reason line to the entry and its run; everything else is an in-place change.
    assert.strictEqual(b.length, a.length + 2);
    const changed = b.filter(l => !a.includes(l));
    // summary mean/median/min/max, samples, acceptedAt, acceptedBy, twice (entry and run) + reason.
    assert.ok(changed.length <= 16, `diff of ${changed.length} lines:\n${changed.join('\n')}`);
  });

  it('keeps at most 200 samples, spread over the distribution, and says how many there were', async () => {
    const file = baselinesFile();
    const run = makeRun({ ids: ['big'], samples: 1000 });
    await acceptRun(file, run, { by: 'user:a' });
    const e = (await loadBaselines(file)).baselines[clsA].big;
    assert.strictEqual(e.samples?.length, MAX_BASELINE_SAMPLES);
    assert.strictEqual(e.sampleCount, 1000);
    assert.strictEqual(e.samples?.[0], Math.min(...run.series[0].samples!));
    assert.strictEqual(e.samples?.[199], Math.max(...run.series[0].samples!));
    assert.deepStrictEqual(boundSamples([3, 1, 2]), [1, 2, 3]);
    assert.deepStrictEqual(boundSamples([5, 1, 4, 2, 3], 3), [1, 3, 5]);
  });

  it('refuses a run without machine fingerprint, or a bad acceptedBy', async () => {
    const file = baselinesFile();
    const run = { ...makeRun({ ids: ['a'] }), machine: undefined };
    await assert.rejects(acceptRun(file, run, { by: 'user:a' }), /has no machine fingerprint/);
    await assert.rejects(acceptRun(file, makeRun({ ids: ['a'] }), { by: 'alice' }), /"user:<name>" or "tool:<name>"/);
    assert.strictEqual((await acceptRun(file, run, { by: 'user:a', machine: machineB })).machineClass, clsB);
    const nan = makeRun({ ids: ['ok', 'bad'] });
    nan.series[1].summary.stddev = NaN;
    const before = fs.readFileSync(file, 'utf8');
    await assert.rejects(acceptRun(file, nan, { by: 'user:a' }), /^Error: series bad: summary\.stddev is not a finite number; not accepted as a baseline$/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), before);
  });

  describe('malformed files: clear errors, never overwritten', () => {
    const cases: [string, string, RegExp][] = [
      ['broken JSON', '{\n  "schemaVersion": 1,\n  "baselines": {\n    "x": oops\n}\n', /baselines\.json:4: invalid JSON/],
      ['array at top', '[]\n', /expected a JSON object at the top level/],
      ['newer schema', '{"schemaVersion": 3, "baselines": {}}', /schemaVersion 3 was written by a newer Perf Lens.*\(field schemaVersion\)/],
      ['no schema', '{"baselines": {}}', /expected schemaVersion 1 or 2, got undefined \(field schemaVersion\)/],
      ['empty runs', JSON.stringify({ schemaVersion: 2, baselines: { m: { s: { metric: 'duration', unit: 's', summary: { mean: 1 }, acceptedAt: '2026-11-26T00:00:00Z', acceptedBy: 'user:a', runs: [] } } } }), /non-empty array.*field baselines\["m"\]\["s"\]\.runs\)/],
      ['bad run', JSON.stringify({ schemaVersion: 2, baselines: { m: { s: { metric: 'duration', unit: 's', summary: { mean: 1 }, acceptedAt: '2026-11-26T00:00:00Z', acceptedBy: 'user:a', runs: [{ summary: { mean: 'x' } }] } } } }), /field baselines\["m"\]\["s"\]\.runs\[0\]\.summary\.mean\)/],
      ['bad metric', '{"schemaVersion":1,"baselines":{"m":{"t::x":{"metric":"speed"}}}}', /expected one of duration.*got "speed" \(field baselines\["m"\]\["t::x"\]\.metric\)/],
      ['bad sample', JSON.stringify({ schemaVersion: 1, baselines: { m: { s: { metric: 'duration', unit: 's', summary: {}, samples: [1, 'x'] } } } }), /field baselines\["m"\]\["s"\]\.samples/],
      ['no machine', JSON.stringify({ schemaVersion: 1, baselines: { m: { s: { metric: 'duration', unit: 's', summary: { mean: 1 }, acceptedAt: '2026-11-26T00:00:00Z', acceptedBy: 'user:a' } } } }), /field baselines\["m"\]\["s"\]\.machine\)/],
    ];
    for (const [name, text, err] of cases) {
      it(name, async () => {
        const file = baselinesFile();
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
        await rejectsFormat(loadBaselines(file), err);
        await rejectsFormat(acceptRun(file, makeRun({ ids: ['a'] }), { by: 'user:a' }), err);
        await rejectsFormat(autoUpdateOnImprovement(file, makeRun({ ids: ['a'] }), { enabled: true }), err);
        assert.strictEqual(fs.readFileSync(file, 'utf8'), text, 'left untouched');
        assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['baselines.json'], 'no lock or temp left');
      });
    }
  });

  describe('autoUpdateOnImprovement', () => {
    let file: string;
    beforeEach(async () => {
      file = baselinesFile();
      await acceptRun(file, makeRun({ ids: ['fast', 'slight', 'worse'], value: 1 }), { by: 'user:a', now: at('2026-11-01T00:00:00Z') });
      await acceptRun(file, makeRun({ ids: ['rps'], value: 100, metric: 'throughput' }), { by: 'user:a', now: at('2026-11-01T00:00:00Z') });
    });

    it('is off by default and then touches nothing', async () => {
      const before = fs.readFileSync(file, 'utf8');
      assert.deepStrictEqual(await autoUpdateOnImprovement(file, makeRun({ ids: ['fast'], value: 0.1 })), []);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), before);
    });

    it('replaces a baseline improved by more than 10 %, records why, leaves the rest', async () => {
      const run = makeRun({ ids: ['fast', 'slight', 'worse', 'new'], value: id => ({ fast: 0.8, slight: 0.95, worse: 1.5, new: 1 })[id]! });
      const d = await autoUpdateOnImprovement(file, run, { enabled: true, now: at('2026-11-03T00:00:00Z') });
      assert.deepStrictEqual(d.map(x => [x.id, x.updated]), [['fast', true], ['slight', false], ['worse', false], ['new', false]]);
      assert.match(d[0].reason, /^auto-update: improved by more than 10 %: 1 → 0\.8 s \(lower is better; 20 % better, median of samples vs median of samples\); Improvement: -20\.0% median \(95% CI .*Mann–Whitney/);
      assert.match(d[3].reason, /no baseline on this machine class/);
      const doc = await loadBaselines(file);
      const e = doc.baselines[clsA].fast;
      assert.strictEqual(e.acceptedBy, 'tool:perf-lens auto-update');
      assert.strictEqual(e.reason, d[0].reason);
      assert.strictEqual(e.acceptedAt, '2026-11-03T00:00:00.000Z');
      assert.strictEqual(doc.baselines[clsA].slight.summary.mean, 1);
      assert.strictEqual(doc.baselines[clsA].new, undefined);
    });

    it('higher is better for throughput; the ratio is configurable; acceptMissing seeds new series', async () => {
      const up = makeRun({ ids: ['rps', 'new'], value: id => (id === 'rps' ? 106 : 5), metric: 'throughput' });
      assert.deepStrictEqual((await autoUpdateOnImprovement(file, up, { enabled: true })).map(x => x.updated), [false, false]);
      const d = await autoUpdateOnImprovement(file, up, { enabled: true, minImprovement: 0.05, acceptMissing: true });
      assert.deepStrictEqual(d.map(x => x.updated), [true, true]);
      assert.match(d[0].reason, /higher is better; 6 % better/);
      assert.strictEqual((await loadBaselines(file)).baselines[clsA].new.summary.mean, 5);
    });

    it('skips dirty working trees and other machine classes', async () => {
      const dirty = await autoUpdateOnImprovement(file, makeRun({ ids: ['fast'], value: 0.1, dirty: true }), { enabled: true });
      assert.deepStrictEqual(dirty.map(x => [x.updated, x.reason]), [[false, 'working tree is dirty: not auto-updating']]);
      const other = await autoUpdateOnImprovement(file, makeRun({ ids: ['fast'], value: 0.1, machine: machineB }), { enabled: true });
      assert.deepStrictEqual(other.map(x => x.updated), [false]);
      assert.strictEqual((await loadBaselines(file)).baselines[clsA].fast.summary.mean, 1);
    });
  });

  it('looks up a series on its machine class, flags a baseline from another class only', async () => {
    const file = baselinesFile();
    await acceptRun(file, makeRun({ ids: ['both', 'onlyB'], machine: machineB }), { by: 'user:a', now: at('2026-11-05T00:00:00Z') });
    await acceptRun(file, makeRun({ ids: ['both'] }), { by: 'user:a', now: at('2026-11-01T00:00:00Z') });
    const doc = await loadBaselines(file);
    const same = lookupBaseline(doc, 'both', clsA);
    assert.ok(same?.sameMachineClass && same.machineClass === clsA);
    assert.deepStrictEqual(same.differences, []);
    const upgraded = lookupBaseline(doc, 'both', { ...machineA, runtimes: { ...machineA.runtimes, node: '22.1.0' } });
    assert.ok(upgraded?.sameMachineClass, 'a runtime upgrade stays in the class');
    assert.deepStrictEqual(upgraded.differences, ['node 20.20.2 → 22.1.0']);
    const other = lookupBaseline(doc, 'onlyB', clsA);
    assert.ok(other && !other.sameMachineClass);
    assert.strictEqual(other.machineClass, clsB);
    assert.match(other.warning, /comes from another machine \(darwin-arm64-8c-apple-m2, not linux-x64-12c-.*not comparable/);
    assert.strictEqual(lookupBaseline(doc, 'none', clsA), undefined);
  });

  it('reads baselines from another git ref', async () => {
    const repo = tmpDir('baseref');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e.invalid' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env });
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(repo, 'README'), 'x');
    git('add', '.');
    git('commit', '-q', '-m', 'no baselines yet');
    const file = path.join(repo, '.perf', 'baselines.json');
    await acceptRun(file, makeRun({ ids: ['a'], value: 1 }), { by: 'user:a' });
    git('add', '.perf/baselines.json');
    git('commit', '-q', '-m', 'baselines');
    await acceptRun(file, makeRun({ ids: ['a'], value: 2 }), { by: 'user:a' }); // uncommitted
    assert.strictEqual((await readBaselinesAtRef(repo, 'main')).baselines[clsA].a.summary.mean, 1);
    assert.strictEqual((await loadBaselines(file)).baselines[clsA].a.summary.mean, 2);
    assert.deepStrictEqual((await readBaselinesAtRef(repo, 'HEAD~1')).baselines, {}, 'absent at that ref → empty');
    await assert.rejects(readBaselinesAtRef(repo, 'release-9'), (e: unknown) => e instanceof GitError && e.kind === 'unknown-ref');
    fs.writeFileSync(file, '{"schemaVersion": 1, "baselines": []}\n');
    git('commit', '-q', '-am', 'broken');
    await rejectsFormat(readBaselinesAtRef(repo, 'main'), /^main:\.perf\/baselines\.json: expected an object \(field baselines\)$/);
  });
});
