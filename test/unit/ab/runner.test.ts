// The A/B runner end to end on a real temp git repository (test/workspaces/ab: a node benchmark
// writing our run format): base = merge base with main, HEAD = a branch where lib/work.js does
// twice the work. Few rounds keep it fast: the pipeline (worktree, ABBA order, ingest, pairs,
// result file, cleanup) is what is checked here; detection power is bench/ab-verdicts.ts's job.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AbUsageError, DEFAULT_AB_ROUNDS, describeDirty, roundValue, runAb, targetOf, writeAbResult } from '../../../src/core/ab/runner';
import { lookPlan } from '../../../src/core/ab/sequential';
import { listWorktrees } from '../../../src/core/env/worktree';
import type { Series } from '../../../src/core/model';
import { abRepo, git } from './repo';

describe('ab/runner', () => {
  let repo: string;
  before(() => {
    repo = abRepo();
  });
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('runs base and HEAD alternately, pairs their rounds, writes the result and leaves no worktree', async function () {
    this.timeout(60000);
    const lines: string[] = [];
    const r = await runAb({ workspace: repo, rounds: 3, onProgress: (l) => lines.push(l) });
    assert.deepStrictEqual(r.errors, []);
    assert.strictEqual(r.base.ref, 'main');
    assert.strictEqual(r.base.sha, git(repo, 'rev-parse', 'main'));
    assert.strictEqual(r.head.sha, git(repo, 'rev-parse', 'HEAD'));
    assert.strictEqual(r.head.dirty, false);
    assert.strictEqual(r.suite, 'bench');
    assert.deepStrictEqual(r.rounds, { planned: 3, done: 3, looks: [3] });
    assert.strictEqual(r.stoppedBy, 'rounds');
    // A B, B A, A B
    const sides = lines.filter((l) => l.startsWith('round ')).map((l) => / (base|head):/.exec(l)?.[1]);
    assert.deepStrictEqual(sides, ['base', 'head', 'head', 'base', 'base', 'head']);
    const work = r.benchmarks.find((b) => b.id === 'bench.js::work');
    assert.ok(work, JSON.stringify(r.benchmarks.map((b) => b.id)));
    assert.strictEqual(work.pairs.length, 3);
    // Twice the loop: every pair shows head slower (3 pairs are too few for significance).
    assert.ok(work.pairs.every((p) => p.head > 1.3 * p.base), JSON.stringify(work.pairs));
    assert.strictEqual(work.verdict.test, 'wilcoxon-signed-rank');
    assert.strictEqual(work.verdict.status, 'inconclusive', work.verdict.reason);
    assert.ok(work.verdict.ratio !== null && work.verdict.ratio > 1.3);
    assert.deepStrictEqual(await listWorktrees(repo), [repo]);
    const file = await writeAbResult(r);
    assert.ok(file.startsWith(path.join(repo, '.perf', 'ab')));
    const back = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof r;
    assert.strictEqual(back.format, 'perf-lens-ab');
    assert.strictEqual(back.benchmarks.length, 2);
  });

  it('asked for one benchmark, judges only it; an unknown id or suite is named in the error', async function () {
    this.timeout(60000);
    // An uncommitted edit the benchmark does not read: still named in the notes and the result.
    fs.appendFileSync(path.join(repo, '.gitignore'), 'tmp/\n');
    const r = await runAb({ workspace: repo, rounds: 2, ids: ['bench.js::steady', 'bench.js::nope'] });
    git(repo, 'checkout', '--', '.gitignore');
    assert.deepStrictEqual(r.head, { sha: r.head.sha, dirty: true, dirtyFiles: ['.gitignore'] });
    assert.ok(r.notes.some((n) => n.endsWith('uncommitted changes: 1 file(s) in this folder (.gitignore)')), r.notes.join('\n'));
    assert.deepStrictEqual(r.benchmarks.map((b) => b.id), ['bench.js::steady']);
    assert.deepStrictEqual(r.errors, ['bench.js::nope: no such series in the suite\'s results']);
    await assert.rejects(runAb({ workspace: repo, suite: 'nope' }), (e: unknown) => e instanceof AbUsageError && /no regression suite "nope" \(regression suites: bench\)/.test(e.message));
    await assert.rejects(runAb({ workspace: repo, baseRef: 'no-such-ref' }), /unknown git ref "no-such-ref"/);
    assert.deepStrictEqual(await listWorktrees(repo), [repo]);
  });

  it('per-round central values, targets for narrowing, and the look plan', () => {
    const s: Series = { id: 'x', metric: 'duration', unit: 's', samples: [5, 1, 2, 3, 4, 6, 7, 8, 9, 10], summary: { median: 99 } };
    assert.strictEqual(roundValue(s, 'median'), 5.5);
    assert.strictEqual(roundValue(s, 'min'), 1);
    assert.ok(Math.abs((roundValue(s, 'p10') as number) - 1.9) < 1e-12);
    assert.strictEqual(roundValue({ ...s, samples: undefined }, 'p10'), 99);
    assert.deepStrictEqual(targetOf('tests/perf/test_x.py::test_sort[10]'), { id: 'tests/perf/test_x.py::test_sort[10]', name: 'test_sort', file: 'tests/perf/test_x.py' });
    assert.strictEqual(targetOf('BenchmarkParse/small').name, 'BenchmarkParse');
    const plan = lookPlan(20);
    assert.deepStrictEqual(plan.at, [10, 20]);
    assert.strictEqual(plan.options.alpha, 0.005);
    assert.strictEqual(plan.options.ciLevel, 0.975);
    assert.deepStrictEqual(lookPlan(12).at, [12]);
    assert.deepStrictEqual(lookPlan(20, {}, false).at, [20]);
    // The default: at most 60 pairs, a look every 15, α and the CI level split four ways.
    assert.strictEqual(describeDirty(['pkg/a.ts', 'pkg/b.ts', 'lib/c.ts'], 'pkg'), '2 file(s) in this folder (pkg/a.ts, pkg/b.ts); 1 elsewhere in the repository');
    assert.strictEqual(describeDirty(['lib/c.ts'], 'pkg'), 'none in this folder; 1 elsewhere in the repository');
    assert.strictEqual(describeDirty(['a', 'b', 'c', 'd'], ''), '4 file(s) in this folder (a, b, c and 1 more)');
    const long = lookPlan(DEFAULT_AB_ROUNDS);
    assert.deepStrictEqual(long.at, [15, 30, 45, 60]);
    assert.strictEqual(long.options.alpha, 0.0025);
    assert.strictEqual(long.options.ciLevel, 0.9875);
    assert.deepStrictEqual(lookPlan(31).at, [15, 31], 'no look one pair before the last');
    assert.deepStrictEqual(lookPlan(60, {}, true, 10).at, [10, 20, 30, 40, 50, 60]);
  });
});
