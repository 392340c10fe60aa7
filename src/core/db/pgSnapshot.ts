// Snapshots of PostgreSQL's pg_stat_statements through the user's own `psql` command line,
// taken before and after a suite: the calls and time between them are what the suite cost the
// database. Pure Node (spawns psql), so the CLI and the editor's tasks share it.
//
// One SQL statement builds the whole snapshot as JSON inside the server (jsonb_build_object):
// quoting, newlines in query texts and locale never reach a text format we would have to
// parse. Rows are read through to_jsonb(row) and filtered by key, so the same statement works on
// PG 13+ (total_exec_time …) and PG ≤ 12 (total_time …); queryid is sent as text because a
// 64-bit integer does not survive JSON.parse.
import { spawn } from 'child_process';
import * as fs from 'fs';
import { writeFileAtomic } from '../store/atomic';

export const SNAPSHOT_FORMAT = 'pg-stat-statements-snapshot';
export const DELTA_FORMAT = 'pg-stat-statements-delta';
/** Marks our own statements so the parser leaves them out of the suite's statements. */
export const SNAPSHOT_MARKER = 'perf-lens:pg-snapshot';

/** The config fields a capture needs (projectConfig's DatabaseConfig). */
export interface PsqlTarget {
  /** Command line that connects psql to the application's database, e.g. `psql -h 127.0.0.1 -U app appdb`. */
  psql: string;
  /** Reset pg_stat_statements before the run instead of taking a before snapshot. */
  reset?: boolean;
}

export interface PsqlOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Give up (and kill psql) after this long; default 30 s. */
  timeoutMs?: number;
}

const KEYS = [
  'query', 'calls', 'rows', 'userid', 'toplevel', 'plans', 'total_plan_time',
  'total_exec_time', 'mean_exec_time', 'stddev_exec_time', 'min_exec_time', 'max_exec_time',
  'total_time', 'mean_time', 'stddev_time', 'min_time', 'max_time',
];

/** psql script: quiet, unaligned, tuples only, stop on the first error; then one statement. */
function script(sql: string): string {
  return ['\\set QUIET on', '\\set ON_ERROR_STOP on', '\\pset pager off', '\\pset format unaligned', '\\pset tuples_only on', sql, ''].join('\n');
}

/** The snapshot statement (exported for the fixture script and the docs). */
export const SNAPSHOT_SQL = `/* ${SNAPSHOT_MARKER} */ select jsonb_build_object(
  'format', '${SNAPSHOT_FORMAT}', 'version', 1,
  'takenAt', clock_timestamp(),
  'serverVersionNum', current_setting('server_version_num')::int,
  'database', current_database(),
  'statements', coalesce((
    select jsonb_agg(jsonb_build_object('queryid', s.queryid::text) || (
      select jsonb_object_agg(e.key, e.value) from jsonb_each(to_jsonb(s)) e
      where e.key = any (array[${KEYS.map(k => `'${k}'`).join(', ')}])))
    from pg_stat_statements s
    where s.dbid = (select oid from pg_database where datname = current_database())), '[]'::jsonb));`;

export const RESET_SQL = `/* ${SNAPSHOT_MARKER} */ select pg_stat_statements_reset();`;

/** Runs `sql` through the configured psql command line; resolves with its stdout. */
export function runPsql(psql: string, sql: string, opts: PsqlOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    // spawn would say "ENOENT /bin/sh" for a missing cwd: name the folder instead.
    if (opts.cwd && !fs.existsSync(opts.cwd)) return reject(new Error(`database: the suite's folder ${opts.cwd} does not exist`));
    // PSQLRC=/dev/null: a user's ~/.psqlrc must not change the output format.
    const child = spawn('/bin/sh', ['-c', psql], {
      cwd: opts.cwd,
      env: { PGCONNECT_TIMEOUT: '10', ...(opts.env ?? process.env), PSQLRC: '/dev/null' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', e => {
      clearTimeout(timer);
      reject(new Error(`database: cannot start "${psql}": ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const why = signal ? `was stopped (${signal}${signal === 'SIGKILL' ? ', timed out' : ''})` : `exited with ${code}`;
      reject(new Error(`database: "${psql}" ${why}${err.trim() ? `: ${hint(err.trim())}` : ''}`));
    });
    child.stdin.on('error', () => undefined); // psql that died early: its exit code says why
    child.stdin.end(script(sql));
  });
}

// The commonest failure deserves the fix, not only the server's words.
function hint(stderr: string): string {
  const last = stderr.split('\n').slice(-3).join(' ');
  if (/relation "pg_stat_statements" does not exist/.test(stderr)) {
    return `${last} — run CREATE EXTENSION pg_stat_statements in this database (and set shared_preload_libraries = 'pg_stat_statements')`;
  }
  if (/must be loaded via "?shared_preload_libraries/.test(stderr)) return `${last} — add pg_stat_statements to shared_preload_libraries and restart the server`;
  return last;
}

/** One snapshot as psql printed it (a JSON document; validated by the parser, not here). */
export async function takeSnapshot(target: PsqlTarget, opts: PsqlOptions = {}): Promise<unknown> {
  const text = await runPsql(target.psql, SNAPSHOT_SQL, opts);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`database: "${target.psql}" did not print a snapshot (got ${JSON.stringify(text.slice(0, 120))})`);
  }
}

export function resetStatements(target: PsqlTarget, opts: PsqlOptions = {}): Promise<string> {
  return runPsql(target.psql, RESET_SQL, opts);
}

/** The file a capture writes: both snapshots, so the parser alone decides what the delta is. */
export function deltaDocument(before: unknown, after: unknown, meta: { suite?: string; reset: boolean }): string {
  return `${JSON.stringify({ format: DELTA_FORMAT, version: 1, suite: meta.suite, reset: meta.reset, before, after })}\n`;
}

/** Workspace-relative file a suite's statements go to (under the watched results folder). */
export function dbResultFile(suite: string): string {
  return `.perf/results/${suite}.pg-stat-statements.json`;
}

/**
 * A capture around a run: `begin` before the suite (reset or first snapshot), `finish` after it
 * (second snapshot, both written atomically to `outFile`). finish works after a failed run too:
 * what the suite did until it failed is still worth seeing.
 */
export class PgCapture {
  private constructor(
    private readonly target: PsqlTarget,
    private readonly before: unknown,
    private readonly opts: PsqlOptions,
    readonly tookMs: number,
  ) {}

  static async begin(target: PsqlTarget, opts: PsqlOptions = {}): Promise<PgCapture> {
    const t0 = performance.now();
    let before: unknown = null;
    if (target.reset) await resetStatements(target, opts);
    else before = await takeSnapshot(target, opts);
    return new PgCapture(target, before, opts, performance.now() - t0);
  }

  async finish(outFile: string, suite?: string): Promise<string> {
    const after = await takeSnapshot(this.target, this.opts);
    await writeFileAtomic(outFile, deltaDocument(this.before, after, { suite, reset: !!this.target.reset }));
    return outFile;
  }
}
