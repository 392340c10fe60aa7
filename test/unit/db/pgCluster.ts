// A throwaway PostgreSQL cluster from the Debian packages, for tests and bench/pg-snapshot:
// initdb into a temp folder, pg_stat_statements preloaded, listening on 127.0.0.1 at a free
// port with its unix socket in the same folder; stop() stops it and deletes everything.
// Root may not run postgres, so as root the server tools run as the `postgres` user.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freeLoopbackPort } from '../../../src/core/env/ports';

export interface PgCluster {
  dir: string;
  port: number;
  /** psql command line (as a suite's `database.psql` would give it) for database `db`. */
  psql: string;
  /** Run SQL in `db` through psql; returns stdout. */
  sql(text: string): string;
  stop(): void;
}

/** The newest /usr/lib/postgresql/N/bin, or an error naming the Debian package to install. */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter(v => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  if (!versions.length || !fs.existsSync('/usr/bin/psql')) {
    throw new Error('PostgreSQL is not installed: these tests start a real server. Install the Debian package "postgresql" (apt-get install postgresql; .ci/run does).');
  }
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/** A cluster whose database `db` has pg_stat_statements; `postgres` (the default) saves a CREATE DATABASE. */
export async function startCluster(db = 'postgres'): Promise<PgCluster> {
  const bin = postgresBin();
  const asRoot = process.getuid?.() === 0;
  // As root: run server tools as postgres (runuser), in a folder postgres owns.
  const as = (tool: string, args: string[]): string[] => (asRoot ? ['runuser', '-u', 'postgres', '--', path.join(bin, tool), ...args] : [path.join(bin, tool), ...args]);
  const run = (argv: string[]): string => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freeLoopbackPort();
  let started = false;
  const stop = (): void => {
    if (started) {
      const argv = as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 30_000 });
    }
    started = false;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']));
    const opts = [
      `-c port=${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${dir}`,
      '-c shared_preload_libraries=pg_stat_statements',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    run(as('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']));
    started = true;
    const base = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'];
    if (db !== 'postgres') execFileSync('psql', [...base, '-d', 'postgres', '-c', `create database ${db}`], { stdio: 'pipe', timeout: 30_000 });
    const sql = (text: string): string => execFileSync('psql', [...base, '-A', '-t', '-d', db], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    sql('create extension pg_stat_statements;');
    return { dir, port, psql: `psql -h 127.0.0.1 -p ${port} -U postgres ${db}`, sql, stop };
  } catch (e) {
    const log = path.join(dir, 'server.log');
    const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-5).join('\n') : '';
    stop();
    const err = e as Error & { stderr?: string };
    throw new Error(`could not start a PostgreSQL cluster: ${err.message}${err.stderr ? `\n${err.stderr}` : ''}${tail ? `\nserver log:\n${tail}` : ''}`);
  }
}

/**
 * The test workload: a small schema, plain selects, an aggregation and one deliberately slow
 * statement (pg_sleep 0.25 s, beyond the 200 ms query budget). Run inside one psql session.
 */
export const WORKLOAD_SETUP = `
create table users (id int primary key, name text not null);
create table videos (id int primary key, owner_id int not null references users(id), views int not null);
insert into users select g, 'user ' || g from generate_series(1, 200) g;
insert into videos select g, 1 + g % 200, (g * 7919) % 1000 from generate_series(1, 5000) g;
analyze;
`;

export function workload(rounds = 20): string {
  const lines: string[] = [];
  for (let i = 1; i <= rounds; i++) {
    lines.push(`SELECT name FROM users WHERE id = ${i};`);
    lines.push(`select id, views from videos where owner_id = ${i} order by views desc limit 10;`);
    if (i % 4 === 0) lines.push('SELECT owner_id, count(*), sum(views) FROM videos GROUP BY owner_id;');
  }
  lines.push('select pg_sleep(0.25);');
  return lines.join('\n');
}
