import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { machineClass } from '../../../src/core/env/fingerprint';
import { HistoryStore, newRunId, type HistoryWarning } from '../../../src/core/store/history';
import { machineA, machineB, makeRun, removeTmpDirs, tmpDir } from './runs';

function store(): { s: HistoryStore; dir: string; warnings: HistoryWarning[] } {
  const dir = path.join(tmpDir('hist'), '.perf', 'history');
  const warnings: HistoryWarning[] = [];
  return { s: new HistoryStore(dir, { onWarning: w => warnings.push(w) }), dir, warnings };
}

describe('store/history', () => {
  after(removeTmpDirs);

  it('assigns ids, writes one schema-versioned line per run, git-ignores itself', async () => {
    const { s, dir } = store();
    const run = await s.append(makeRun({ ids: ['a'], startedAt: '2026-10-05T08:09:10.123Z' }));
    assert.match(run.id, /^20261005T080910\.123Z-[0-9a-f]{6}$/);
    assert.match(newRunId(), /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/);
    const lines = fs.readFileSync(path.join(dir, '2026-10.jsonl'), 'utf8').split('\n');
    assert.strictEqual(lines.length, 2);
    assert.strictEqual(lines[1], '');
    const rec = JSON.parse(lines[0]);
    assert.strictEqual(rec.schemaVersion, 1);
    assert.strictEqual(rec.run.id, run.id);
    assert.strictEqual(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n')[1], '*');
    assert.deepStrictEqual(await s.get(run.id), JSON.parse(JSON.stringify(run)), 'round trip');
    const kept = await s.append(makeRun({ ids: ['a'], id: 'my-own-id' }));
    assert.strictEqual(kept.id, 'my-own-id');
    assert.strictEqual((await s.get('my-own-id'))?.id, 'my-own-id');
    assert.strictEqual(await s.get('20260101T000000.000Z-000000'), undefined);
  });

  it('lists newest first across months, filters by suite, tool and machine class', async () => {
    const { s } = store();
    await s.append(makeRun({ ids: ['a'], startedAt: '2026-09-30T23:59:00Z', suite: 'api' }));
    await s.append(makeRun({ ids: ['a'], startedAt: '2026-11-02T00:00:00Z', suite: 'api', tool: 'locust', machine: machineB }));
    await s.append(makeRun({ ids: ['a'], startedAt: '2026-11-01T00:00:00Z', suite: 'unit' }));
    await s.append(makeRun({ ids: ['a'], startedAt: '2026-10-15T00:00:00Z', suite: 'api' }));
    const all = await s.list();
    assert.deepStrictEqual(all.map(r => r.startedAt), ['2026-11-02T00:00:00Z', '2026-11-01T00:00:00Z', '2026-10-15T00:00:00Z', '2026-09-30T23:59:00Z']);
    assert.deepStrictEqual((await s.list({ suite: 'api' })).map(r => r.startedAt.slice(0, 10)), ['2026-11-02', '2026-10-15', '2026-09-30']);
    assert.deepStrictEqual((await s.list({ tool: 'locust' })).map(r => r.machineClass), [machineClass(machineB)]);
    assert.strictEqual((await s.list({ machineClass: machineClass(machineA) })).length, 3);
    assert.deepStrictEqual((await s.list({ limit: 2 })).map(r => r.startedAt.slice(0, 10)), ['2026-11-02', '2026-11-01']);
    assert.deepStrictEqual(await new HistoryStore(path.join(tmpDir(), 'none')).list(), [], 'no folder → no runs');
  });

  it('returns the last N central values of one series, oldest first', async () => {
    const { s } = store();
    const days = ['2026-08-01', '2026-09-03', '2026-09-01', '2026-10-01', '2026-11-01'];
    for (const [i, d] of days.entries()) {
      await s.append(makeRun({ ids: ['x', 'y'], value: id => (id === 'x' ? i + 1 : 100), startedAt: `${d}T00:00:00Z` }));
    }
    await s.append(makeRun({ ids: ['y'], startedAt: '2026-11-05T00:00:00Z' }));
    const pts = await s.seriesValues('x', 3);
    assert.deepStrictEqual(pts.map(p => [p.startedAt.slice(0, 10), Number(p.value.toFixed(9))]), [['2026-09-03', 2], ['2026-10-01', 4], ['2026-11-01', 5]]);
    assert.strictEqual(pts[0].basis, 'median of samples');
    assert.strictEqual(pts[0].unit, 's');
    assert.strictEqual((await s.seriesValues('x', 100)).length, 5);
    assert.deepStrictEqual(await s.seriesValues('nope', 3), []);
  });

  it('skips a torn last line with a warning; earlier runs read fine; later appends stay clean', async () => {
    const { s, dir, warnings } = store();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await s.append(makeRun({ ids: ['a'], value: i + 1 }))).id);
    const file = path.join(dir, '2026-11.jsonl');
    const whole = JSON.stringify({ schemaVersion: 1, recordedAt: new Date().toISOString(), run: makeRun({ ids: ['torn'], id: 'torn' }) });
    fs.appendFileSync(file, whole.slice(0, whole.length >> 1)); // what a killed writer leaves
    const before = fs.readFileSync(file, 'utf8');
    assert.deepStrictEqual((await s.list()).map(r => r.id).sort(), [...ids].sort());
    assert.deepStrictEqual(warnings, [{ file, line: 4, message: 'skipped an incomplete or corrupt line (an interrupted write?)' }]);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), before, 'reading never rewrites');
    const after = await s.append(makeRun({ ids: ['a'], value: 9 }));
    assert.strictEqual((await s.get(after.id))?.id, after.id, 'the torn fragment does not swallow the next record');
    assert.strictEqual((await s.list()).length, 4);
    assert.strictEqual(await s.get('torn'), undefined);
  });

  it('skips corrupt middle lines and records from a newer schema, keeps the rest', async () => {
    const { s, dir, warnings } = store();
    const a = await s.append(makeRun({ ids: ['a'] }));
    const file = path.join(dir, '2026-11.jsonl');
    fs.appendFileSync(file, '{"schemaVersion":1,"run":\n');
    fs.appendFileSync(file, JSON.stringify({ schemaVersion: 2, run: { id: 'future' } }) + '\n');
    fs.appendFileSync(file, '\n'); // blank lines are harmless
    const b = await s.append(makeRun({ ids: ['a'] }));
    assert.deepStrictEqual((await s.list()).map(r => r.id).sort(), [a.id, b.id].sort());
    assert.deepStrictEqual(warnings.map(w => w.line), [2, 3]);
    assert.match(warnings[1].message, /schemaVersion 2/);
  });

  it('keeps warnings on the store when no callback is given', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, '2026-11.jsonl'), 'garbage\n');
    const s = new HistoryStore(dir);
    assert.deepStrictEqual(await s.list(), []);
    assert.strictEqual(s.warnings.length, 1);
  });
});
