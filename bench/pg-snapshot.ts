// Cost of a pg_stat_statements snapshot through psql (what a suite with `database` pays twice
// per run), by the number of statements the server tracks, next to its peer in the same run: a
// bare `select 1` through the same psql command line (process start + connection), so the ratio
// shows what the snapshot itself adds. Also the size of the snapshot and the time to parse a
// before/after pair of it. Starts a throwaway PostgreSQL (Debian package postgresql).
//   npx tsc -p . && node out/bench/pg-snapshot.js [rounds=15]
import * as fs from 'fs';
import * as path from 'path';
import { PgCapture, runPsql, takeSnapshot } from '../src/core/db/pgSnapshot';
import { ingestFile } from '../src/core/ingest/detect';
import { startCluster } from '../test/unit/db/pgCluster';

const rounds = Number(process.argv[2] ?? 15);
const COLS = 12;

/** N distinct statements (distinct queryids): column subsets × filter column of a 12-column table. */
function statements(n: number): string {
  const out: string[] = [];
  for (let i = 1; out.length < n; i++) {
    const mask = i % (1 << COLS) || 1;
    const cols = Array.from({ length: COLS }, (_, c) => c).filter(c => mask & (1 << c)).map(c => `c${c}`);
    out.push(`select ${cols.join(', ')} from w where c${Math.floor(i / (1 << COLS)) % COLS} = ${i};`);
  }
  return out.join('\n');
}

function quantiles(xs: number[]): { median: number; p90: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const pg = await startCluster();
  try {
    pg.sql(`create table w (${Array.from({ length: COLS }, (_, c) => `c${c} int`).join(', ')});`);
    console.log(`pg_stat_statements snapshot through psql, ${rounds} rounds each (median / p90 ms); peer: psql "select 1"`);
    console.log('statements  snapshot ms (med/p90)  select-1 ms (med/p90)  ratio  snapshot KB  parse pair ms');
    for (const n of [10, 100, 1000, 4000]) {
      pg.sql('select pg_stat_statements_reset();');
      pg.sql(statements(n));
      const snap: number[] = [];
      const peer: number[] = [];
      // Interleaved so both see the same machine load (8 engineers share 2 cores).
      for (let r = 0; r < rounds; r++) {
        snap.push(await time(() => takeSnapshot({ psql: pg.psql })));
        peer.push(await time(() => runPsql(pg.psql, 'select 1;')));
      }
      const size = Buffer.byteLength(JSON.stringify(await takeSnapshot({ psql: pg.psql })));
      const file = path.join(pg.dir, `pair-${n}.json`);
      const cap = await PgCapture.begin({ psql: pg.psql });
      pg.sql('select c0 from w where c1 = 1;');
      await cap.finish(file);
      const parse = quantiles(await Promise.all(Array.from({ length: 5 }, () => time(() => ingestFile(file)))));
      const [s, p] = [quantiles(snap), quantiles(peer)];
      const tracked = Number(pg.sql('select count(*) from pg_stat_statements;').trim());
      console.log(
        `${String(tracked).padStart(10)}  ${`${s.median.toFixed(1)} / ${s.p90.toFixed(1)}`.padStart(21)}  ${`${p.median.toFixed(1)} / ${p.p90.toFixed(1)}`.padStart(21)}  ${(s.median / p.median).toFixed(2).padStart(5)}  ${(size / 1024).toFixed(0).padStart(11)}  ${parse.median.toFixed(1).padStart(13)}`,
      );
      fs.rmSync(file, { force: true });
    }
  } finally {
    pg.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
