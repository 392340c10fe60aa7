// End to end against a REAL PostgreSQL the test starts itself (Debian package "postgresql"):
// a throwaway cluster with pg_stat_statements, a workload of plain selects, an aggregation and
// one deliberately slow statement, snapshots through psql around it (PgCapture, as suites run
// it), then ingest, default budgets from a suite's `database` config, and the source lenses'
// matching of the measured statements to literals in Python and TypeScript code.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkBudgets } from '../../../src/core/budget';
import { parseProjectConfig } from '../../../src/core/config/projectConfig';
import { PgCapture, runPsql, takeSnapshot } from '../../../src/core/db/pgSnapshot';
import { SuiteCaptures } from '../../../src/core/db/suiteCaptures';
import { ingestFile } from '../../../src/core/ingest/detect';
import { findSqlLiterals, matchSqlLiterals, sqlKey } from '../../../src/core/match/sql';
import type { Run, Series } from '../../../src/core/model';
import { compare } from '../../../src/core/verdict';
import { cleanupWorkspaces, runCli, tempWorkspace } from '../cli/harness';
import { startCluster, workload, WORKLOAD_SETUP, type PgCluster } from './pgCluster';

const SLEEP = 'sql:select pg_sleep(?)';
const USER = 'sql:select name from users where id = ?';
const AGG = 'sql:select owner_id, count(*), sum(views) from videos group by owner_id';

describe('pg_stat_statements on a real PostgreSQL (started by the test)', function () {
  this.timeout(60_000);
  let pg: PgCluster | undefined;
  let run: Run;
  const series = (id: string): Series => {
    const s = run.series.find(x => x.id === id);
    assert.ok(s, `${id} in ${run.series.map(x => x.id).join(' | ')}`);
    return s;
  };

  before(async () => {
    pg = await startCluster();
    pg.sql(WORKLOAD_SETUP);
    pg.sql(workload(5)); // earlier traffic the capture must subtract
    const capture = await PgCapture.begin({ psql: pg.psql });
    pg.sql(workload(20));
    const file = await capture.finish(path.join(pg.dir, 'out', 'db.pg-stat-statements.json'), 'db');
    run = await ingestFile(file);
  });

  after(() => {
    pg?.stop();
    cleanupWorkspaces();
  });

  it('stores the statements run between the snapshots, and only those', () => {
    assert.strictEqual(run.tool, 'pg-stat-statements');
    assert.strictEqual(series(USER).summary.n, 20);
    assert.strictEqual(series(AGG).summary.n, 5);
    assert.strictEqual(series(AGG).group, 'aggregation');
    assert.strictEqual(series(USER).group, 'query');
    assert.strictEqual(series(SLEEP).summary.n, 1);
    assert.ok((series(SLEEP).summary.mean as number) >= 0.25, `pg_sleep(0.25) took ${series(SLEEP).summary.mean} s`);
    assert.ok(!run.series.some(s => /create table|perf-lens|pg_stat_statements/i.test(`${s.id} ${s.extra?.query}`)), 'set-up and our own statements are left out');
  });

  it('checks the seed’s targets when the suite enables database budgets: the slow statement fails', () => {
    const config = parseProjectConfig('/w/perf-lens.config.json', {
      suites: { db: { kind: 'regression', command: 'pytest', results: 'r.json', database: { psql: pg?.psql, budgets: true } } },
    });
    assert.deepStrictEqual(config.budgets, [
      { match: 'sql:**', group: 'aggregation', mean: 0.05 },
      { match: 'sql:**', group: 'query', mean: 0.2 },
    ]);
    const results = checkBudgets(run.series, config.budgets);
    const failed = results.filter(r => !r.ok).map(r => r.id);
    assert.deepStrictEqual(failed, [SLEEP]);
    assert.ok(results.some(r => r.id === AGG && r.limit === 0.05 && r.ok));
    assert.ok(results.some(r => r.id === USER && r.limit === 0.2 && r.ok));
  });

  it('compares with a baseline from summaries (Welch), as per-call samples do not exist', async () => {
    const again = await PgCapture.begin({ psql: (pg as PgCluster).psql });
    (pg as PgCluster).sql(workload(20));
    const second = await ingestFile(await again.finish(path.join((pg as PgCluster).dir, 'out', 'second.json')));
    const v = compare(second.series.find(s => s.id === AGG) as Series, series(AGG));
    assert.strictEqual(v.method, 'summary');
    assert.strictEqual(v.test, 'welch');
    assert.deepStrictEqual(v.n, { current: 5, baseline: 5 });
  });

  it('finds the measured statements in Python and TypeScript source', () => {
    const py = [
      'def user_name(cur, uid):',
      '    cur.execute("SELECT name FROM users WHERE id = %s", (uid,))',
      '',
      'STATS = (',
      '    "SELECT owner_id, count(*), sum(views) "',
      '    "FROM videos GROUP BY owner_id"',
      ')',
    ].join('\n');
    const ts = 'const top = (id: number) => db.query(`select id, views\n  from videos where owner_id = ${id}\n  order by views desc limit 10`);\n';
    const index = new Map<string, Series[]>(run.series.map(s => [sqlKey(String(s.extra?.query)), [s]]));
    const pyMatches = matchSqlLiterals(findSqlLiterals(py, 'app/db.py'), index);
    assert.deepStrictEqual(pyMatches.map(m => [m.items[0].id, m.literal.line]), [[USER, 1], [AGG, 4]]);
    const tsMatches = matchSqlLiterals(findSqlLiterals(ts, 'src/db.ts'), index);
    assert.deepStrictEqual(tsMatches.map(m => m.items[0].id), ['sql:select id, views from videos where owner_id = ? order by views desc limit ?']);
  });

  it('a reset capture and a snapshot of a database without the extension', async () => {
    const p = pg as PgCluster;
    const capture = await PgCapture.begin({ psql: p.psql, reset: true });
    p.sql('SELECT name FROM users WHERE id = 3;');
    const reset = await ingestFile(await capture.finish(path.join(p.dir, 'out', 'reset.json')));
    assert.deepStrictEqual(reset.series.map(s => [s.id, s.summary.n]), [[USER, 1]]);
    // template1 never got the extension.
    await assert.rejects(takeSnapshot({ psql: p.psql.replace(/postgres$/, 'template1') }), /CREATE EXTENSION pg_stat_statements/);
    await assert.rejects(runPsql('psql -h 127.0.0.1 -p 1 -U nobody nodb', 'select 1;'), /database: "psql -h 127.0.0.1 -p 1 -U nobody nodb" exited with 2: .*(refused|connect)/);
    assert.ok(fs.existsSync(path.join(p.dir, 'out', 'reset.json')));
  });

  it('perf-lens run snapshots around a suite with `database` and ingests the statements', async () => {
    const p = pg as PgCluster;
    const config = {
      version: 1,
      suites: {
        db: {
          kind: 'regression',
          command: `${p.psql.replace(/^psql /, 'psql -X -q ')} -f workload.sql > /dev/null`,
          results: ['.perf/results/db.pg-stat-statements.json'],
          database: { psql: p.psql, budgets: true },
        },
      },
    };
    const ws = tempWorkspace({ 'perf-lens.config.json': JSON.stringify(config), 'workload.sql': workload(8) });
    const r = await runCli(['run', 'db'], { cwd: ws, timeoutMs: 40_000 });
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /^db: ingested \.perf\/results\/db\.pg-stat-statements\.json \(4 series\)/m);
    assert.match(r.stdout, /sql:select pg_sleep\(\?\)/);
    const broken = tempWorkspace({ 'perf-lens.config.json': JSON.stringify({ suites: { db: { ...config.suites.db, command: 'true', database: { psql: 'psql -h 127.0.0.1 -p 1 nodb' } } } }) });
    const b = await runCli(['run', 'db'], { cwd: broken, timeoutMs: 40_000 });
    assert.strictEqual(b.code, 1);
    assert.match(b.stderr, /error: suite db: .*database: "psql -h 127\.0\.0\.1 -p 1 nodb" exited with 2/);
  });

  it('captures of suites started elsewhere (editor tasks): begin on start, finish on end; errors reported', async () => {
    const p = pg as PgCluster;
    const errors: string[] = [];
    const captures = new SuiteCaptures(m => errors.push(m));
    const folder = path.join(p.dir, 'ws');
    await assert.rejects(PgCapture.begin({ psql: p.psql }, { cwd: folder }), /the suite's folder .*ws does not exist/);
    fs.mkdirSync(folder);
    captures.begin(folder, { name: 'q', cwd: '.', env: {}, database: { psql: p.psql, reset: false } });
    captures.begin(folder, { name: 'plain', cwd: '.', env: {} });
    captures.begin(folder, { name: 'down', cwd: '.', env: {}, database: { psql: 'psql -h 127.0.0.1 -p 1 nodb', reset: false } });
    await new Promise(r => setTimeout(r, 500)); // the task's process starts after the snapshot here
    p.sql('SELECT name FROM users WHERE id = 7;');
    const file = await captures.finish(folder, { name: 'q', cwd: '.', env: {} });
    assert.strictEqual(file, path.join(folder, '.perf', 'results', 'q.pg-stat-statements.json'), errors.join('; '));
    assert.deepStrictEqual((await ingestFile(file)).series.map(s => [s.id, s.summary.n]), [[USER, 1]]);
    assert.strictEqual(await captures.finish(folder, { name: 'plain', cwd: '.', env: {} }), undefined);
    assert.strictEqual(await captures.finish(folder, { name: 'down', cwd: '.', env: {} }), undefined);
    assert.strictEqual(errors.length, 1);
    assert.match(errors[0], /^suite down: database: .* exited with 2/);
  });
});
