// History retention: the newest keepRuns per suite (and keepDays), applied when runs are
// ingested, never removing a run a baseline pools; month files rewritten atomically.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseProjectConfig } from '../../../src/core/config/projectConfig';
import { acceptRun } from '../../../src/core/store/baselines';
import { HistoryStore, type HistoryWarning } from '../../../src/core/store/history';
import { DEFAULT_KEEP_RUNS, runsToPrune, type RunRef } from '../../../src/core/store/retention';
import { makeRun, removeTmpDirs, tmpDir } from './runs';

const day = (d: number): string => new Date(Date.UTC(2026, 9, 1) + d * 86_400_000).toISOString();

function setup(retention: { keepRuns?: number; keepDays?: number }, now = '2026-12-01T00:00:00Z') {
  const perf = path.join(tmpDir('retention'), '.perf');
  const dir = path.join(perf, 'history');
  const warnings: HistoryWarning[] = [];
  const store = new HistoryStore(dir, { retention, onWarning: w => warnings.push(w), now: () => new Date(now) });
  return { perf, dir, store, warnings };
}

describe('store/retention', () => {
  after(removeTmpDirs);

  it('runsToPrune: newest keepRuns per suite, keepDays, protected ids always kept', () => {
    const refs: RunRef[] = [];
    for (let i = 0; i < 6; i++) refs.push({ id: `a${i}`, group: 'a', startedAt: day(i) });
    for (let i = 0; i < 2; i++) refs.push({ id: `b${i}`, group: 'b', startedAt: day(i) });
    const now = new Date(day(10));
    assert.deepStrictEqual([...runsToPrune(refs, { keepRuns: 3 }, new Set(), now)].sort(), ['a0', 'a1', 'a2']);
    assert.deepStrictEqual([...runsToPrune(refs, { keepRuns: 3 }, new Set(['a1']), now)].sort(), ['a0', 'a2']);
    // keepDays 5.5 at day 10: everything that started before day 4.5 goes, in every suite.
    assert.deepStrictEqual([...runsToPrune(refs, { keepDays: 5.5 }, new Set(['b0']), now)].sort(), ['a0', 'a1', 'a2', 'a3', 'a4', 'b1']);
    assert.strictEqual(DEFAULT_KEEP_RUNS, 500);
  });

  it('appends prune a suite once it passes keepRuns; other suites and baseline runs are kept', async () => {
    const { perf, dir, store } = setup({ keepRuns: 4 });
    // An old run of suite s becomes a baseline: it must survive every prune.
    const pinned = await store.append(makeRun({ ids: ['x'], suite: 's', startedAt: '2026-09-30T00:00:00.000Z', id: 'pinned' }));
    await acceptRun(path.join(perf, 'baselines.json'), pinned, { by: 'user:t' });
    for (let i = 0; i < 2; i++) await store.append(makeRun({ ids: ['y'], suite: 'other', startedAt: day(i), id: `o${i}` }));
    for (let i = 0; i < 12; i++) await store.append(makeRun({ ids: ['x'], suite: 's', startedAt: day(i), id: `s${i}` }));
    const s = (await store.list({ suite: 's' })).map(r => r.id);
    // Between prunes a suite may run past keepRuns by 5% (at least 1): here 4 + 1 + the pinned run.
    assert.ok(s.length <= 6, `suite s holds ${s.length} runs`);
    assert.ok(s.includes('pinned') && s.includes('s11'));
    const result = await store.prune();
    const after = (await store.list({ suite: 's' })).map(r => r.id).sort();
    assert.deepStrictEqual(after, ['pinned', 's10', 's11', 's8', 's9']);
    assert.deepStrictEqual((await store.list({ suite: 'other' })).map(r => r.id).sort(), ['o0', 'o1']);
    assert.ok(result.files.every(f => f.startsWith(dir)));
    // Files are whole: every line parses, and nothing but the month files, .gitignore and the lock is left.
    for (const f of fs.readdirSync(dir)) {
      if (!f.endsWith('.jsonl')) continue;
      for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean)) JSON.parse(line);
    }
    assert.deepStrictEqual(fs.readdirSync(dir).filter(f => !/^\d{4}-\d\d\.jsonl$|^\.gitignore$|^\.lock/.test(f)), []);
  });

  it('keepDays removes old months (an emptied month file is deleted) and keeps lines it cannot read', async () => {
    const { dir, store } = setup({ keepDays: 30 }, '2026-12-01T00:00:00Z');
    await store.append(makeRun({ ids: ['x'], startedAt: '2026-09-10T00:00:00.000Z', id: 'sep' }));
    await store.append(makeRun({ ids: ['x'], startedAt: '2026-10-20T00:00:00.000Z', id: 'oct-old' }));
    await store.append(makeRun({ ids: ['x'], startedAt: '2026-11-20T00:00:00.000Z', id: 'nov' }));
    fs.appendFileSync(path.join(dir, '2026-10.jsonl'), '{"schemaVersion":99,"future":true}\n');
    await store.prune();
    assert.deepStrictEqual((await store.list()).map(r => r.id), ['nov']);
    assert.ok(!fs.existsSync(path.join(dir, '2026-09.jsonl')), 'emptied month file removed');
    assert.match(fs.readFileSync(path.join(dir, '2026-10.jsonl'), 'utf8'), /"schemaVersion":99/, 'a newer-schema record is not ours to drop');
  });

  it('a malformed baselines file stops pruning (nothing removed), never the append', async () => {
    const { perf, store, warnings } = setup({ keepRuns: 1 });
    fs.mkdirSync(perf, { recursive: true });
    fs.writeFileSync(path.join(perf, 'baselines.json'), '{ "schemaVersion": 2, "baselines": ');
    for (let i = 0; i < 4; i++) await store.append(makeRun({ ids: ['x'], startedAt: day(i), id: `r${i}` }));
    assert.strictEqual((await store.list()).length, 4);
    assert.ok(warnings.some(w => /history not pruned: .*baselines\.json/.test(w.message)), JSON.stringify(warnings));
    await assert.rejects(store.prune(), /baselines\.json/);
  });

  it('perf-lens.config.json history: keepRuns / keepDays parsed, bad values name the field', () => {
    assert.deepStrictEqual(parseProjectConfig('c.json', { history: { keepRuns: 50, keepDays: 90 } }).history, { keepRuns: 50, keepDays: 90 });
    assert.strictEqual(parseProjectConfig('c.json', {}).history, undefined);
    assert.throws(() => parseProjectConfig('c.json', { history: { keepRuns: 2.5 } }), /whole number of runs, got 2\.5 \(field history\.keepRuns\)/);
    assert.throws(() => parseProjectConfig('c.json', { history: { keepDays: 0 } }), /positive number, got 0 \(field history\.keepDays\)/);
    assert.throws(() => parseProjectConfig('c.json', { history: { keep: 1 } }), /unknown setting .*\(field history\.keep\)/);
    const schema = JSON.parse(fs.readFileSync(path.join('media', 'perf-lens.config.schema.json'), 'utf8'));
    assert.deepStrictEqual(Object.keys(schema.properties.history.properties).sort(), ['keepDays', 'keepRuns']);
    assert.strictEqual(schema.properties.history.properties.keepRuns.default, DEFAULT_KEEP_RUNS);
  });
});
