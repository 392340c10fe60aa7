// pg_stat_statements snapshots and before/after pairs: real files written by our psql snapshot
// against a real PostgreSQL 15 (test/fixtures/pg-stat-statements/generate.sh), corruptions of
// them, and the delta arithmetic checked against statistics computed from known call times.
import * as assert from 'assert';
import * as fs from 'fs';
import { detectParser, ingestFile } from '../../../src/core/ingest/detect';
import { JsonNode } from '../../../src/core/ingest/json';
import { statementsToRun, SUMMARY_ONLY_NOTE } from '../../../src/core/ingest/pgStatStatements';
import type { Series } from '../../../src/core/model';
import { fixture } from '../helpers';
import { rejectsWith, TmpDir } from './tmpFiles';

const F = (name: string): string => fixture('pg-stat-statements', name);
const byId = (series: Series[], id: string): Series => {
  const s = series.find(x => x.id === id);
  assert.ok(s, `series ${id} in ${series.map(x => x.id).join(' | ')}`);
  return s;
};

const SELECT_USER = 'sql:select name from users where id = ?';
const VIDEOS = 'sql:select id, views from videos where owner_id = ? order by views desc limit ?';
const AGG = 'sql:select owner_id, count(*), sum(views) from videos group by owner_id';
const SLEEP = 'sql:select pg_sleep(?)';

describe('pg_stat_statements parser (real PostgreSQL output)', () => {
  const tmp = new TmpDir();
  after(() => tmp.remove());

  it('is detected by content whatever the file is called', async () => {
    for (const f of ['delta.json', 'delta-reset.json', 'snapshot.json']) {
      assert.strictEqual((await detectParser(tmp.copy(F(f), `results-${f}`))).tool, 'pg-stat-statements');
    }
  });

  it('turns a before/after pair into the calls made between the snapshots', async () => {
    const run = await ingestFile(F('delta.json'));
    assert.strictEqual(run.tool, 'pg-stat-statements');
    assert.strictEqual(run.suite, 'db');
    assert.ok(run.durationSec !== undefined && run.durationSec > 0);
    // The workload between the snapshots: 20 rounds, an aggregation every 4th, one sleep.
    // The 8 earlier rounds, the schema set-up and our own snapshot statements are not in it.
    assert.deepStrictEqual(run.series.map(s => s.id).sort(), [AGG, SELECT_USER, VIDEOS, SLEEP].sort());
    const user = byId(run.series, SELECT_USER);
    assert.strictEqual(user.summary.n, 20);
    assert.strictEqual(user.extra?.calls, 20);
    assert.strictEqual(user.extra?.rows, 20);
    assert.strictEqual(user.group, 'query');
    assert.strictEqual(user.metric, 'duration');
    assert.strictEqual(user.unit, 's');
    assert.ok(user.samples === undefined, 'no per-call samples are claimed');
    assert.ok(user.notes?.includes(SUMMARY_ONLY_NOTE));
    assert.ok((user.summary.mean as number) > 0 && (user.summary.mean as number) < 0.05, `mean in seconds: ${user.summary.mean}`);
    assert.ok((user.summary.stddev as number) >= 0);
    const agg = byId(run.series, AGG);
    assert.strictEqual(agg.summary.n, 5);
    assert.strictEqual(agg.group, 'aggregation');
    assert.strictEqual(agg.extra?.query, 'SELECT owner_id, count(*), sum(views) FROM videos GROUP BY owner_id');
    // The mean is the run's: (total after − total before) / (calls after − calls before).
    const doc = JSON.parse(fs.readFileSync(F('delta.json'), 'utf8'));
    const row = (snap: { statements: { query: string; calls: number; total_exec_time: number }[] }) => snap.statements.find(s => s.query.startsWith('SELECT owner_id')) as { calls: number; total_exec_time: number };
    const expected = (row(doc.after).total_exec_time - row(doc.before).total_exec_time) / (row(doc.after).calls - row(doc.before).calls) / 1000;
    assert.ok(Math.abs((agg.summary.mean as number) - expected) < 1e-12);
    // The sleep ran once in the run: one call has no spread to report.
    const sleep = byId(run.series, SLEEP);
    assert.strictEqual(sleep.summary.n, 1);
    assert.strictEqual(sleep.summary.stddev, undefined);
    assert.ok((sleep.summary.mean as number) >= 0.05);
  });

  it('reads a pair taken after a reset, and a lone snapshot as totals (labelled so)', async () => {
    const reset = await ingestFile(F('delta-reset.json'));
    assert.strictEqual(byId(reset.series, SELECT_USER).summary.n, 12);
    assert.ok(reset.notes?.some(n => /reset before the run/.test(n)));
    const snap = await ingestFile(F('snapshot.json'));
    assert.ok(snap.notes?.some(n => /since the statistics were last reset/.test(n)));
    assert.strictEqual(byId(snap.series, AGG).summary.n, 3);
  });

  it('reads PG ≤ 12 column names (total_time, stddev_time …)', async () => {
    const f = tmp.editJson(F('delta.json'), 'pg12.json', doc => {
      for (const snap of [doc.before, doc.after]) {
        for (const s of snap.statements) {
          for (const k of ['total', 'mean', 'stddev', 'min', 'max']) {
            s[`${k}_time`] = s[`${k}_exec_time`];
            delete s[`${k}_exec_time`];
          }
          delete s.toplevel;
          delete s.total_plan_time;
          delete s.plans;
        }
      }
    });
    const [a, b] = [await ingestFile(F('delta.json')), await ingestFile(f)];
    assert.deepStrictEqual(b.series.map(s => [s.id, s.summary]), a.series.map(s => [s.id, s.summary]));
  });

  it('names the file and field of bad input', async () => {
    const noTime = tmp.editJson(F('delta.json'), 'no-time.json', doc => delete doc.after.statements[0].total_exec_time);
    await rejectsWith(ingestFile(noTime), 'no-time.json', 'after.statements[0].total_exec_time', 'neither total_exec_time nor total_time');
    const badCalls = tmp.editJson(F('delta.json'), 'bad-calls.json', doc => (doc.before.statements[1].calls = 'many'));
    await rejectsWith(ingestFile(badCalls), 'before.statements[1].calls', 'expected number');
    const noBefore = tmp.editJson(F('delta.json'), 'no-before.json', doc => delete doc.before);
    await rejectsWith(ingestFile(noBefore), 'no-before.json', 'before', 'unless the statistics were reset');
    const wrongInner = tmp.editJson(F('delta.json'), 'wrong-inner.json', doc => (doc.after.format = 'x'));
    await rejectsWith(ingestFile(wrongInner), 'after.format', 'pg-stat-statements-snapshot');
  });

  it('recovers the run’s mean and sample stddev from cumulative population statistics', () => {
    const before = [1.5, 2.5, 2.0, 9.0];
    const run = [3.0, 4.5, 3.5, 6.0, 5.0, 4.0];
    const stats = (xs: number[]) => {
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const pop = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
      return { calls: xs.length, total_exec_time: mean * xs.length, stddev_exec_time: pop, min_exec_time: Math.min(...xs), max_exec_time: Math.max(...xs) };
    };
    const snap = (xs: number[], query = 'select 1') => ({ format: 'pg-stat-statements-snapshot', takenAt: '2026-01-01T00:00:00Z', statements: [{ queryid: '1', userid: 10, query, rows: 0, ...stats(xs) }] });
    const doc = { format: 'pg-stat-statements-delta', version: 1, reset: false, before: snap(before), after: { ...snap([...before, ...run]), takenAt: '2026-01-01T00:00:05Z' } };
    const s = statementsToRun(JsonNode.root('mem.json', doc)).series[0];
    const mean = run.reduce((a, x) => a + x, 0) / run.length;
    const sd = Math.sqrt(run.reduce((a, x) => a + (x - mean) ** 2, 0) / (run.length - 1));
    assert.strictEqual(s.summary.n, 6);
    assert.ok(Math.abs((s.summary.mean as number) - mean / 1000) < 1e-12);
    assert.ok(Math.abs((s.summary.stddev as number) - sd / 1000) < 1e-12, `${s.summary.stddev} vs ${sd / 1000}`);
    // The cumulative max (9 ms) was before the run; the run's own max is unknown, so absent.
    assert.strictEqual(s.summary.max, undefined);
    assert.strictEqual(s.summary.min, undefined);
  });

  it('merges entries with the same normalized text and treats fewer calls than before as a reset entry', () => {
    const row = (queryid: string, userid: number, calls: number, total: number, query: string) => ({ queryid, userid, query, calls, rows: calls, total_exec_time: total, stddev_exec_time: 0 });
    const doc = {
      format: 'pg-stat-statements-delta',
      before: { format: 'pg-stat-statements-snapshot', takenAt: '2026-01-01T00:00:00Z', statements: [row('7', 10, 50, 100, 'select a from t where b = $1')] },
      after: {
        format: 'pg-stat-statements-snapshot',
        takenAt: '2026-01-01T00:00:01Z',
        statements: [row('7', 10, 4, 8, 'select a from t where b = $1'), row('7', 11, 6, 30, 'SELECT a\n  FROM t WHERE b = $1')],
      },
    };
    const run = statementsToRun(JsonNode.root('mem.json', doc));
    assert.strictEqual(run.series.length, 1);
    assert.strictEqual(run.series[0].id, 'sql:select a from t where b = ?');
    assert.strictEqual(run.series[0].summary.n, 10);
    assert.ok(Math.abs((run.series[0].summary.mean as number) - 0.0038) < 1e-12);
  });
});
