import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { locustParser } from '../../../src/core/ingest/locust';
import { IngestError } from '../../../src/core/ingest/types';
import type { Run, Series } from '../../../src/core/model';
import { fixture } from '../helpers';

const dir = (...p: string[]) => fixture('locust', ...p);

function byId(run: Run, id: string): Series {
  const s = run.series.find(x => x.id === id);
  assert.ok(s, `series ${id} missing; have ${run.series.map(x => x.id).join(', ')}`);
  return s;
}

// errFile: the file the error must name (a sibling when the fault is there).
async function rejects(file: string, pattern: RegExp, where: { line?: number; field?: string }, errFile = file): Promise<void> {
  await assert.rejects(locustParser.parse(file), (e: unknown) => {
    assert.ok(e instanceof IngestError, `expected IngestError, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.strictEqual(e.file, errFile);
    if (where.line !== undefined) assert.strictEqual(e.where?.line, where.line, e.message);
    if (where.field !== undefined) assert.strictEqual(e.where?.field, where.field, e.message);
    return true;
  });
}

describe('locust CSV parser', () => {
  let run: Run;
  before(async () => {
    run = await locustParser.parse(dir('run_stats.csv'));
  });

  it('detects every file of the family by its header, not its name', async () => {
    for (const f of ['run_stats.csv', 'run_stats_history.csv', 'run_failures.csv', 'run_exceptions.csv']) {
      const head = await fs.readFile(dir(f), 'utf8');
      assert.ok(locustParser.detect(head, 'whatever.txt'), f);
    }
    assert.ok(!locustParser.detect('{"benchmarks": []}', 'run_stats.csv'));
    assert.ok(!locustParser.detect('a,b,c\n1,2,3\n', 'run_stats.csv'));
  });

  it('makes one duration series per Type+Name row plus the Aggregated row', () => {
    assert.strictEqual(run.tool, 'locust');
    assert.strictEqual(run.kind, 'load');
    assert.deepStrictEqual(run.series.map(s => s.id), [
      'GET /api/dashboard/stats',
      'GET /api/projects/[id]/videos',
      'GET /api/videos/[id]/detections',
      'Aggregated',
    ]);
    for (const s of run.series) {
      assert.strictEqual(s.metric, 'duration');
      assert.strictEqual(s.unit, 's');
    }
  });

  it('converts milliseconds to seconds and keeps requests, failures and rps', () => {
    const s = byId(run, 'GET /api/videos/[id]/detections');
    assert.strictEqual(s.summary.n, 140);
    assert.strictEqual(s.summary.median, 0.009);
    assert.strictEqual(s.summary.mean, 11.439591814282883 / 1000);
    assert.strictEqual(s.summary.min, 2.71786999996948 / 1000);
    assert.strictEqual(s.summary.max, 62.58330199989359 / 1000);
    assert.deepStrictEqual(s.summary.percentiles, {
      p50: 0.009, p66: 0.011, p75: 0.014, p80: 0.014, p90: 0.022, p95: 0.031,
      p98: 0.044, p99: 0.048, 'p99.9': 0.063, 'p99.99': 0.063, p100: 0.063,
    });
    assert.deepStrictEqual(
      { ...s.endpoint, errors: undefined },
      { method: 'GET', route: '/api/videos/[id]/detections', requests: 140, failures: 20, rps: 11.642969038541807, errors: undefined },
    );
    assert.strictEqual(s.extra?.avgContentSizeBytes, 2572.714285714286);
  });

  it('turns the Aggregated row into a run-level aggregate series', () => {
    const a = byId(run, 'Aggregated');
    assert.strictEqual(a.group, 'Aggregated');
    assert.strictEqual(a.endpoint?.method, undefined);
    assert.strictEqual(a.endpoint?.requests, 308);
    assert.strictEqual(a.endpoint?.failures, 71);
    assert.strictEqual(a.summary.percentiles?.p95, 0.041);
    assert.deepStrictEqual(a.endpoint?.errors?.map(e => e.count), [51, 20]);
  });

  it('labels the rounded percentiles honestly on every series', () => {
    for (const s of run.series) assert.ok(s.notes?.some(n => /rounds each response time/.test(n)), s.id);
  });

  it('attaches failures to their endpoint and exceptions to the run', () => {
    assert.deepStrictEqual(byId(run, 'GET /api/dashboard/stats').endpoint?.errors, [
      { message: "CatchResponseError('Missing dashboard data')", count: 51 },
    ]);
    assert.deepStrictEqual(byId(run, 'GET /api/videos/[id]/detections').endpoint?.errors, [
      { message: "HTTPError('500 Server Error: Internal Server Error for url: /api/videos/[id]/detections')", count: 20 },
    ]);
    assert.strictEqual(byId(run, 'GET /api/projects/[id]/videos').endpoint?.errors, undefined);
    assert.ok(run.notes?.includes('Locust user code raised an exception 7 times: fixture: simulated client-side bug'), String(run.notes));
  });

  it('builds per-second timelines from the history, per name and for Aggregated', () => {
    const a = byId(run, 'Aggregated');
    assert.strictEqual(a.timeline?.length, 11);
    assert.strictEqual(a.timeline?.[0].t, 1795736408);
    assert.strictEqual(a.timeline?.[10].t, 1795736418);
    // Counts are differences of the cumulative totals: they add up to the last total.
    assert.strictEqual(a.timeline?.reduce((n, p) => n + p.requests, 0), 256);
    assert.strictEqual(a.timeline?.reduce((n, p) => n + p.failures, 0), 61);
    assert.deepStrictEqual(a.timeline?.[2], {
      t: 1795736410, requests: 23, failures: 2, users: 4,
      percentiles: { p50: 0.006, p66: 0.007, p75: 0.008, p80: 0.01, p90: 0.015, p95: 0.015, p98: 0.016, p99: 0.016, 'p99.9': 0.016, 'p99.99': 0.016, p100: 0.016 },
    });
    // Rows before Locust's rolling window fills (all zeros) carry no percentiles.
    assert.strictEqual(a.timeline?.[1].percentiles, undefined);
    assert.strictEqual(byId(run, 'GET /api/dashboard/stats').timeline?.length, 10);
    assert.strictEqual(run.startedAt, new Date(1795736408 * 1000).toISOString());
    assert.strictEqual(run.durationSec, 10);
    assert.ok(run.notes?.includes('The history covers 256 of 308 requests: Locust did not write its last seconds (it flushes the history file every 10 s).'), String(run.notes));
  });

  it('gives the same run from any file of the family', async () => {
    for (const f of ['run_stats_history.csv', 'run_failures.csv', 'run_exceptions.csv']) {
      const other = await locustParser.parse(dir(f));
      assert.deepStrictEqual({ ...other, source: undefined }, { ...run, source: undefined }, f);
    }
  });

  it('merges long histories into wider buckets so memory stays bounded', async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'locust-long-'));
    try {
      await fs.copyFile(dir('run_stats.csv'), path.join(tmp, 'long_stats.csv'));
      const header = (await fs.readFile(dir('run_stats_history.csv'), 'utf8')).split('\n')[0];
      const lines = [header];
      for (let i = 0; i < 5000; i++) lines.push(`${1000 + i},4,,Aggregated,1,0,5,5,5,5,5,5,5,5,5,5,${5 + (i % 7)},${i + 1},0,5,5.0,1,9,100`);
      await fs.writeFile(path.join(tmp, 'long_stats_history.csv'), lines.join('\n') + '\n');
      const long = await locustParser.parse(path.join(tmp, 'long_stats_history.csv'));
      const a = byId(long, 'Aggregated');
      assert.ok((a.timeline?.length ?? 0) <= 4096, String(a.timeline?.length));
      assert.strictEqual(a.timeline?.reduce((n, p) => n + p.requests, 0), 5000);
      // Merged points keep the worst percentile of the bucket: seconds 1000-1001 had 5 and 6 ms.
      assert.strictEqual(a.timeline?.[0].t, 1000);
      assert.strictEqual(a.timeline?.[0].percentiles?.p100, 0.006);
      assert.strictEqual(a.timeline?.[0].requests, 2);
      assert.ok(a.notes?.some(n => /merged into 2-second points/.test(n)), String(a.notes));
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });

  describe('bad input', () => {
    it('a truncated history row names the file and line', () =>
      rejects(dir('bad', 'truncated_stats.csv'), /truncated_stats_history\.csv:16: row has 4 columns, the header has 24/, { line: 16 }, dir('bad', 'truncated_stats_history.csv')));
    it('a missing column names the column', () =>
      rejects(dir('bad', 'missingcol_stats.csv'), /missing column "Request Count"/, { line: 1, field: 'Request Count' }));
    it('a non-numeric count names line and column', () =>
      rejects(dir('bad', 'nonnumeric_stats.csv'), /nonnumeric_stats\.csv:3: expected a number, got "abc"/, { line: 3, field: 'Request Count' }));
    it('a wrong-typed history timestamp names line and column', () =>
      rejects(dir('bad', 'badhistory_stats.csv'), /badhistory_stats_history\.csv:5: expected a number, got "soon"/, { line: 5, field: 'Timestamp' }, dir('bad', 'badhistory_stats_history.csv')));
    it('an unterminated quote (truncated exceptions file) names where the record starts', () =>
      rejects(dir('bad', 'unterminated_stats.csv'), /unterminated_exceptions\.csv:2: unterminated quoted field/, { line: 2 }, dir('bad', 'unterminated_exceptions.csv')));
    it('a family without its stats file is refused clearly', async () => {
      const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'locust-nostats-'));
      try {
        const f = path.join(tmp, 'x_failures.csv');
        await fs.copyFile(dir('run_failures.csv'), f);
        await rejects(f, /x_stats\.csv is missing/, {});
      } finally {
        await fs.rm(tmp, { recursive: true, force: true });
      }
    });
  });
});
