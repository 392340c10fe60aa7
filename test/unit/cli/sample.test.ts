// perf-lens sample ID: keep sampling a real pytest-benchmark benchmark until decided — the suite
// re-runs narrowed to it, each run is ingested, every look prints its interval.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fixture } from '../helpers';
import { cleanupWorkspaces, runCli, tempWorkspace } from './harness';

const PARSE = 'tests/perf/test_textops.py::test_parse_json';

describe('cli: perf-lens sample', function () {
  this.timeout(120_000);
  after(() => cleanupWorkspaces());

  it('re-runs an inconclusive benchmark, pools its rounds look by look, and says whether it decided', async () => {
    const ws = tempWorkspace({
      'perf-lens.config.json': JSON.stringify({
        version: 1,
        suites: {
          bench: {
            kind: 'regression',
            command: '/usr/bin/python3 -m pytest -q -p no:cacheprovider --benchmark-min-rounds=5 --benchmark-max-time=0.005 --benchmark-warmup=off --benchmark-json=results/bench.json tests/perf/test_textops.py',
            results: ['results/*.json'],
          },
        },
      }),
      'tests/perf/test_textops.py': fs.readFileSync(fixture('pytest-benchmark', 'test_textops.py'), 'utf8'),
    });
    const run = await runCli(['run', 'bench'], { cwd: ws, timeoutMs: 60_000 });
    assert.strictEqual(run.code, 0, run.stdout + run.stderr);
    assert.strictEqual((await runCli(['baseline', 'accept'], { cwd: ws })).code, 0);
    // A later run of three rounds, 6% slower: too few rounds to decide. Spread around 1.06× the
    // baseline's median (one round below it) — the first three real rounds ×1.06 were sometimes all
    // above every baseline round (cold rounds, no warm-up), and 3 of 15 at the top is p<0.01.
    const doc = JSON.parse(fs.readFileSync(path.join(ws, 'results', 'bench.json'), 'utf8'));
    doc.benchmarks = doc.benchmarks.filter((b: { fullname: string }) => b.fullname === PARSE);
    const st = doc.benchmarks[0].stats;
    st.data = [0.98, 1.06, 1.14].map(f => f * st.median);
    const s = [...st.data].sort((a: number, b: number) => a - b);
    Object.assign(st, { rounds: 3, min: s[0], max: s[2], median: s[1], mean: (s[0] + s[1] + s[2]) / 3 });
    doc.datetime = new Date(Date.now() + 60_000).toISOString().replace('Z', '');
    fs.mkdirSync(path.join(ws, 'imports'));
    fs.writeFileSync(path.join(ws, 'imports', 'later.json'), JSON.stringify(doc));
    assert.strictEqual((await runCli(['ingest', 'imports/later.json', '--suite', 'bench'], { cwd: ws })).code, 0);
    const historyBefore = historyLines(ws);

    const r = await runCli(['sample', PARSE, '--max-looks', '3'], { cwd: ws, timeoutMs: 100_000 });
    const looks = r.stdout.split('\n').filter(l => l.startsWith('look '));
    assert.match(r.stdout, new RegExp(`^${PARSE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*inconclusive.* — keep sampling, up to 3 looks$`, 'm'));
    assert.match(looks[0], /^look 1\/3 · 3 rounds · /);
    assert.ok(looks.length >= 1 && looks.length <= 3, r.stdout + r.stderr);
    if (looks.length > 1) {
      assert.match(looks[1], /^look 2\/3 · \d+ rounds · /);
      assert.ok(Number(/· (\d+) rounds/.exec(looks[1])?.[1]) > 3, 'the new run was pooled');
      assert.ok(historyLines(ws) > historyBefore, 'each re-run is ingested as a run');
      assert.match(r.stderr, /-k test_parse_json|bench: ingested/);
    }
    assert.match(r.stdout, /\[look \d of 3, α=\S+ at this look \(O'Brien–Fleming-type alpha spending of 0\.01 over 3 looks\)\]$/m);
    assert.match(r.stdout, /^test: Mann–Whitney on \d+\/\d+ rounds/m);
    const decided = /^DECIDED: /m.test(r.stdout);
    assert.ok(decided || /^UNDECIDED: /m.test(r.stdout), r.stdout);
    assert.strictEqual(r.code, decided ? 0 : 1, r.stdout + r.stderr);

    assert.strictEqual((await runCli(['sample'], { cwd: ws })).code, 2);
    assert.strictEqual((await runCli(['sample', PARSE, '--max-looks', '0'], { cwd: ws })).code, 2);
    const unknown = await runCli(['sample', 'no::such'], { cwd: ws });
    assert.strictEqual(unknown.code, 1);
    assert.match(unknown.stderr, /no results for "no::such"/);
  });
});

function historyLines(ws: string): number {
  const dir = path.join(ws, '.perf', 'history');
  return fs.readdirSync(dir).filter(f => f.endsWith('.jsonl')).reduce((n, f) => n + fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).length, 0);
}
