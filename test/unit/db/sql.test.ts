// SQL keys, kinds and source literals (core/match/sql.ts), and the `database` config with the
// budgets it implies (core/db/config.ts, core/budget.ts group filter).
import * as assert from 'assert';
import { checkBudgets, parseBudgets } from '../../../src/core/budget';
import { parseProjectConfig } from '../../../src/core/config/projectConfig';
import { classifySql, findSqlLiterals, matchSqlLiterals, sqlIndex, sqlKey, sqlSeriesId } from '../../../src/core/match/sql';
import { ingestFile } from '../../../src/core/ingest/detect';
import type { Series } from '../../../src/core/model';
import { compare } from '../../../src/core/verdict';
import { fixture } from '../helpers';

describe('sql keys', () => {
  it('reduces server-normalized text and driver placeholders to the same key', () => {
    const server = 'SELECT v.id, v.title FROM videos v\n  WHERE v.owner_id = $1 AND v.status = $2 ORDER BY v.created_at DESC LIMIT $3';
    for (const source of [
      'select v.id, v.title from videos v where v.owner_id = %s and v.status = %s order by v.created_at desc limit %s',
      "SELECT v.id, v.title FROM videos v WHERE v.owner_id = %(owner)s AND v.status = 'ready' ORDER BY v.created_at DESC LIMIT 20",
      'SELECT v.id, v.title FROM videos v WHERE v.owner_id = ? AND v.status = ? ORDER BY v.created_at DESC LIMIT ?',
      'SELECT v.id, v.title FROM videos v WHERE v.owner_id = :owner AND v.status = :status -- why\n ORDER BY v.created_at DESC LIMIT ${n}',
      'SELECT /* hint */ v.id,v.title FROM videos v WHERE v.owner_id=$1 AND v.status=$2 ORDER BY v.created_at DESC LIMIT $3;',
    ]) {
      assert.strictEqual(sqlKey(source), sqlKey(server), source);
    }
    assert.strictEqual(sqlKey(server), 'select v.id, v.title from videos v where v.owner_id = ? and v.status = ? order by v.created_at desc limit ?');
  });

  it('keeps what changes a statement: quoted identifiers, casts, operators; collapses IN lists', () => {
    assert.notStrictEqual(sqlKey('select * from "Users"'), sqlKey('select * from users'));
    assert.strictEqual(sqlKey('select $1::int, x::text'), 'select ?::int, x::text');
    assert.strictEqual(sqlKey("select 'it''s', E'a\\'b', $$x$$ from t"), 'select ?, ?, ? from t');
    assert.strictEqual(sqlKey('select * from t where id in ($1, $2, $3)'), sqlKey('select * from t where id IN %s'));
    assert.strictEqual(sqlKey('select count( * ) from t1'), 'select count(*) from t1');
    assert.notStrictEqual(sqlKey('select a from t where a < $1'), sqlKey('select a from t where a > $1'));
  });

  it('ids are sql:<key>, long ones shortened with a hash that keeps them apart', () => {
    assert.strictEqual(sqlSeriesId('SELECT 1'), 'sql:select ?');
    const long = (c: string) => `select ${Array.from({ length: 60 }, (_, i) => `col${i}`).join(', ')} from t where ${c} = $1`;
    const [a, b] = [sqlSeriesId(long('a')), sqlSeriesId(long('b'))];
    assert.ok(a.length < 170 && a !== b && /… #[0-9a-f]{10}$/.test(a), a);
  });

  it('classifies aggregations, plain queries and utility statements', () => {
    assert.strictEqual(classifySql('SELECT owner_id, count(*) FROM videos GROUP BY owner_id'), 'aggregation');
    assert.strictEqual(classifySql('select avg(views) from videos'), 'aggregation');
    assert.strictEqual(classifySql('with x as (select * from t) select sum (a) from x'), 'aggregation');
    assert.strictEqual(classifySql('select * from videos where id = $1'), 'query');
    assert.strictEqual(classifySql('select counter from t'), 'query');
    assert.strictEqual(classifySql('insert into t select count(*) from u'), 'query');
    assert.strictEqual(classifySql('UPDATE videos SET views = views + $1 WHERE id = $2'), 'query');
    assert.strictEqual(classifySql('BEGIN'), 'utility');
    assert.strictEqual(classifySql('SET search_path = public'), 'utility');
  });
});

describe('sql literals in source', () => {
  it('Python: plain, triple-quoted, implicitly concatenated; comments and non-SQL strings skipped', () => {
    const src = [
      '# "SELECT nothing FROM comments"',
      'Q = """',
      '    SELECT id FROM users',
      '    WHERE email = %s',
      '"""',
      'log.info("selected %s rows", n)',
      'cur.execute("UPDATE users SET seen = now() "',
      '            "WHERE id = %(id)s", {"id": 1})',
      "raw = r'select \\d from t'",
    ].join('\n');
    const found = findSqlLiterals(src, 'app/queries.py');
    assert.deepStrictEqual(found.map(f => [sqlKey(f.text), f.line, f.column]), [
      ['select id from users where email = ?', 1, 4],
      ['update users set seen = now() where id = ?', 6, 12],
      ['select \\ d from t', 8, 7],
    ]);
  });

  it('JS/TS and Go: quotes, templates, + concatenation; .sql files by statement', () => {
    const ts = "const a = 'SELECT * FROM t WHERE id = ' + \"$1\";\n// 'select x from y'\nconst b = `select name from users where id = ${id}`;\n";
    assert.deepStrictEqual(findSqlLiterals(ts, 'x.ts').map(f => [sqlKey(f.text), f.line]), [['select * from t where id = ?', 0], ['select name from users where id = ?', 2]]);
    const go = 'rows, err := db.Query(`SELECT id FROM videos\n\tWHERE owner_id = $1`, owner)\n';
    assert.deepStrictEqual(findSqlLiterals(go, 'main.go').map(f => sqlKey(f.text)), ['select id from videos where owner_id = ?']);
    const sql = '-- name: user_videos\nSELECT id FROM videos WHERE owner_id = :owner;\n\nselect count(*) from videos;\n';
    assert.deepStrictEqual(findSqlLiterals(sql, 'queries/videos.sql').map(f => [sqlKey(f.text), f.line]), [['select id from videos where owner_id = ?', 1], ['select count(*) from videos', 3]]);
  });
});

describe('sql index for lenses', () => {
  it('indexes sql: series by the key of their statement text and finds them at literals', () => {
    const series: Series[] = [
      { id: 'sql:select name from users where id = ?', metric: 'duration', unit: 's', summary: {}, extra: { query: 'SELECT name FROM users WHERE id = $1' } },
      { id: 'tests/perf/test_db.py::test_q', name: 'SELECT 1', metric: 'duration', unit: 's', summary: {} },
    ];
    const index = sqlIndex(series, s => s);
    assert.deepStrictEqual([...index.keys()], ['select name from users where id = ?']);
    const src = 'a = "select name from users where id = %s"\nb = "select name from users"\n';
    assert.deepStrictEqual(matchSqlLiterals(findSqlLiterals(src, 'a.py'), index).map(m => [m.literal.line, m.items[0].id]), [[0, series[0].id]]);
  });
});

describe('database config and SQL budgets', () => {
  const suites = (database: unknown) => ({ suites: { api: { kind: 'load', engine: 'builtin', scenario: 's.json', database } } });

  it('budgets: true gives the seed’s targets on sql: series by kind; custom values and the strictest suite win', () => {
    const on = parseProjectConfig('/w/perf-lens.config.json', suites({ psql: 'psql appdb', budgets: true }));
    assert.deepStrictEqual(on.suites[0].database, { psql: 'psql appdb', reset: false, budgets: { query: 0.2, aggregation: 0.05 } });
    assert.deepStrictEqual(on.budgets.map(b => [b.group, b.mean]), [['aggregation', 0.05], ['query', 0.2]]);
    const custom = parseProjectConfig('/w/perf-lens.config.json', suites({ psql: 'psql appdb', reset: true, budgets: { query: 0.1 } }));
    assert.deepStrictEqual(custom.budgets.map(b => [b.group, b.mean]), [['aggregation', 0.05], ['query', 0.1]]);
    const off = parseProjectConfig('/w/perf-lens.config.json', suites({ psql: 'psql appdb' }));
    assert.deepStrictEqual(off.budgets, []);
    assert.strictEqual(parseProjectConfig('/w/c.json', { suites: { a: { kind: 'regression', command: 'x', results: 'r.json' } } }).suites[0].database, undefined);
  });

  it('names the bad field', () => {
    const bad = (database: unknown, re: RegExp) => assert.throws(() => parseProjectConfig('/w/perf-lens.config.json', suites(database)), re);
    bad({}, /perf-lens\.config\.json.*suites\.api\.database\.psql/);
    bad({ psql: 'psql', budgets: { queries: 1 } }, /unknown budget.*database\.budgets\.queries/);
    bad({ psql: 'psql', budgets: { query: -1 } }, /seconds > 0.*database\.budgets\.query/);
    bad({ psql: 'psql', host: 'x' }, /unknown setting.*database\.host/);
    assert.throws(() => parseBudgets([{ match: 'sql:**', group: 3 }], 'c.json'), /budgets\[0\]\.group must be a non-empty string/);
  });

  it('a budget with a group applies only to series of that group (pytest-benchmark groups too)', () => {
    const s = (id: string, group: string, mean: number): Series => ({ id, group, metric: 'duration', unit: 's', summary: { mean, n: 10 } });
    const series = [s('sql:select ?', 'query', 0.1), s('sql:select count(*) from t', 'aggregation', 0.1), s('tests/perf/test_db.py::test_stats', 'aggregation', 0.02)];
    const r = checkBudgets(series, [{ match: 'sql:**', group: 'aggregation', mean: 0.05 }, { match: '**', group: 'aggregation', mean: 0.05 }]);
    assert.deepStrictEqual(r.map(x => [x.id, x.ok]), [
      ['sql:select count(*) from t', false],
      ['sql:select count(*) from t', false],
      ['tests/perf/test_db.py::test_stats', true],
    ]);
  });

  it('pytest-benchmark SQL timings (real run of test_db.py): budgets by id pattern and by benchmark group; verdicts from samples', async () => {
    const run = await ingestFile(fixture('pg-stat-statements', 'pytest-db.json'));
    const budgets = [
      { match: 'tests/perf/test_db.py::test_query_*', mean: 0.2 },
      { match: 'tests/perf/**', group: 'aggregation', mean: 0.05 },
    ];
    const results = checkBudgets(run.series, budgets);
    assert.deepStrictEqual(results.map(r => [r.id, r.limit]).sort(), [
      ['tests/perf/test_db.py::test_dashboard_stats', 0.05],
      ['tests/perf/test_db.py::test_query_user_videos', 0.2],
    ]);
    for (const r of results) assert.strictEqual(r.ok, (r.actual as number) <= r.limit, r.message);
    const stats = run.series.find(s => s.id.endsWith('test_dashboard_stats')) as Series;
    const slower = { ...stats, samples: stats.samples?.map(x => x * 1.5), summary: {} };
    const v = compare(slower, stats);
    assert.strictEqual(v.method, 'samples');
    assert.ok(Math.abs((v.ratio as number) - 1.5) < 1e-9, `median ratio ${v.ratio}`);
    assert.ok(v.status === 'regression' || v.status === 'inconclusive', v.reason);
  });
});

