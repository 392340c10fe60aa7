// perf-lens as a process: every command's success path and error paths, gate exit codes on
// an injected regression (a real pytest-benchmark result with every timing ×1.3) and a clean run.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fixture, repoRoot } from '../helpers';
import { cleanupWorkspaces, runCli, scaledPytestBenchmark, tempWorkspace } from './harness';

const PYTEST = fixture('pytest-benchmark', 'stats.json');
const SORT_1000 = 'tests/perf/test_textops.py::test_sort[1000]';

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'ignore' });
}

/** A workspace with the real pytest-benchmark result ingested and accepted as the baseline. */
async function baselined(files: Record<string, string> = {}): Promise<string> {
  const ws = tempWorkspace({ 'stats.json': fs.readFileSync(PYTEST, 'utf8'), ...files });
  assert.strictEqual((await runCli(['ingest', 'stats.json'], { cwd: ws })).code, 0);
  const acc = await runCli(['baseline', 'accept', '--by', 'ci'], { cwd: ws });
  assert.strictEqual(acc.code, 0, acc.stderr);
  return ws;
}

describe('cli: perf-lens commands as a process', function () {
  this.timeout(30000);
  after(cleanupWorkspaces);

  it('--help on every command, exit 0; no command or an unknown one is a usage error (2)', async () => {
    const ws = tempWorkspace();
    const top = await runCli(['--help'], { cwd: ws });
    assert.strictEqual(top.code, 0);
    const cmds = ['run', 'ingest', 'compare', 'gate', 'report', 'baseline', 'load', 'memory'];
    const helps = await Promise.all(cmds.map(cmd => runCli([cmd, '--help'], { cwd: ws })));
    cmds.forEach((cmd, i) => {
      assert.match(top.stdout, new RegExp(`^  ${cmd} `, 'm'));
      assert.strictEqual(helps[i].code, 0, `${cmd}: ${helps[i].stderr}`);
      assert.match(helps[i].stdout, /Usage: /, cmd);
    });
    const none = await runCli([], { cwd: ws });
    assert.strictEqual(none.code, 2);
    assert.match(none.stderr, /Usage: perf-lens COMMAND/);
    const unknown = await runCli(['frobnicate'], { cwd: ws });
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
  });

  it('bad flags and values are usage errors naming the flag (2)', async () => {
    const ws = tempWorkspace();
    const cases: [string[], RegExp][] = [
      [['gate', '--bogus'], /unknown option "--bogus"/],
      [['gate', '--fail-on', 'regression,speed'], /"speed" is not one of regression, budget, leak, inconclusive/],
      [['report', '--format', 'pdf'], /"pdf" is not one of md, html, json, junit, text/],
      [['compare', '--runs', 'onlyone'], /--runs needs 2 values/],
      [['compare', '--runs', 'a', 'b', '--baseline-ref', 'main'], /--runs or --baseline-ref, not both/],
      [['compare', 'stray'], /unexpected argument "stray"/],
      [['gate', '--cwd', path.join(ws, 'nope')], /no such directory/],
      [['ingest'], /at least one result file/],
      [['baseline', 'reject'], /unknown baseline command "reject"/],
      [['report', '--out'], /--out needs a value/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, { cwd: ws })));
    cases.forEach(([args, re], i) => {
      assert.strictEqual(results[i].code, 2, `${args.join(' ')}: ${results[i].stderr}`);
      assert.match(results[i].stderr, re, args.join(' '));
    });
  });

  it('ingest: real results of several tools; an unreadable or malformed file fails (1) naming the file', async () => {
    const ws = tempWorkspace();
    const ok = await runCli(['ingest', PYTEST, fixture('go', 'bench.txt'), fixture('locust', 'run_stats.csv'), '--suite', 'mixed'], { cwd: ws });
    assert.strictEqual(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /ingested .*stats\.json: 3 series \(pytest-benchmark/);
    assert.match(ok.stderr, /ingested .*bench\.txt: \d+ series \(go-bench/);
    assert.match(ok.stderr, /ingested .*run_stats\.csv: \d+ series \(locust/);
    assert.match(ok.stdout, /^new +tests\/perf\/test_textops\.py::test_sort\[1000\] +\d/m);
    assert.match(ok.stdout, /BenchmarkParse\/small/);
    // Approximations are labelled.
    assert.match(ok.stdout, /approximation: /);

    const missing = await runCli(['ingest', 'no-such.json'], { cwd: ws });
    assert.strictEqual(missing.code, 1);
    assert.match(missing.stderr, /no-such\.json: cannot read \(ENOENT\)/);
    const bad = await runCli(['ingest', fixture('perf-lens', 'bad', 'truncated.json')], { cwd: ws });
    assert.strictEqual(bad.code, 1);
    assert.match(bad.stderr, /truncated\.json/);
    if (process.getuid?.() !== 0) {
      // root reads anything: the permission case only means something as a normal user
      fs.writeFileSync(path.join(ws, 'locked.json'), '{}', { mode: 0o000 });
      assert.strictEqual((await runCli(['ingest', 'locked.json'], { cwd: ws })).code, 1);
    }
    // A directory is unreadable as a result file.
    const dir = await runCli(['ingest', '.'], { cwd: ws });
    assert.strictEqual(dir.code, 1, dir.stderr);
    assert.match(dir.stderr, /error: /);
  });

  it('gate: clean rerun passes (0); a ×1.3 slowdown of the same real result fails (1) with one line per series', async () => {
    const ws = await baselined({ 'slow.json': scaledPytestBenchmark(PYTEST, 1.3) });
    assert.strictEqual((await runCli(['ingest', 'stats.json'], { cwd: ws })).code, 0);
    const clean = await runCli(['gate'], { cwd: ws });
    assert.strictEqual(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /^gate passed .*3 series, 0 regression\(s\)/m);

    assert.strictEqual((await runCli(['ingest', 'slow.json'], { cwd: ws })).code, 0);
    const slow = await runCli(['gate'], { cwd: ws });
    assert.strictEqual(slow.code, 1, slow.stdout);
    const fails = slow.stdout.split('\n').filter(l => l.startsWith('FAIL '));
    assert.strictEqual(fails.length, 3, slow.stdout);
    for (const l of fails) {
      // How sure: the CI and the p-value of the test, on the one line.
      assert.match(l, /^FAIL regression: tests\/perf\/test_textops\.py::\S+: .* vs baseline .* Regression: \+30\.0% median \(95% CI \+[\d.]+%…\+[\d.]+%, p[=<]0\.\d+, Mann–Whitney/);
    }
    assert.match(slow.stdout, /^gate FAILED/m);
    // Only budgets asked for: the regression does not fail it.
    assert.strictEqual((await runCli(['gate', '--fail-on', 'budget'], { cwd: ws })).code, 0);
  });

  it('gate: a breached budget from the config fails with its message; missing config is fine outside run', async () => {
    const config = { version: 1, budgets: [{ match: SORT_1000, median: 1e-6 }, { match: 'tests/perf/*', mean: 10 }] };
    const ws = await baselined({ 'perf-lens.config.json': JSON.stringify(config) });
    const r = await runCli(['gate', '--fail-on', 'budget'], { cwd: ws });
    assert.strictEqual(r.code, 1, r.stdout + r.stderr);
    const fails = r.stdout.split('\n').filter(l => l.startsWith('FAIL '));
    assert.deepStrictEqual(fails.length, 1, r.stdout);
    assert.match(fails[0], /^FAIL budget: tests\/perf\/test_textops\.py::test_sort\[1000\]: median [\d.]+ ms > budget 0\.00100 ms/);
  });

  it('compare: working tree, another git ref, two runs; unknown ref (2) and unknown run (1)', async () => {
    const ws = await baselined({ 'slow.json': scaledPytestBenchmark(PYTEST, 1.3) });
    git(ws, 'init', '-q', '-b', 'main');
    git(ws, 'add', '.perf/baselines.json');
    git(ws, 'commit', '-q', '-m', 'baselines');
    // The working-tree baselines now differ from main's: accept the slow run locally.
    assert.strictEqual((await runCli(['ingest', 'slow.json'], { cwd: ws })).code, 0);
    assert.strictEqual((await runCli(['baseline', 'accept', SORT_1000], { cwd: ws })).code, 0);

    const tree = await runCli(['compare'], { cwd: ws });
    assert.strictEqual(tree.code, 0, tree.stderr);
    assert.match(tree.stdout, /^Baselines: working tree/m);
    assert.match(tree.stdout, /^unchanged +tests\/perf\/test_textops\.py::test_sort\[1000\]/m);
    assert.match(tree.stdout, /^REGRESSION +tests\/perf\/test_textops\.py::test_sort\[10\]/m);

    const atMain = await runCli(['compare', '--baseline-ref', 'main'], { cwd: ws });
    assert.strictEqual(atMain.code, 0, atMain.stderr);
    assert.match(atMain.stdout, /^Baselines: git ref main/m);
    assert.match(atMain.stdout, /^REGRESSION +tests\/perf\/test_textops\.py::test_sort\[1000\] .* \+30% +95% CI \+\d+…\+\d+%, p<0\.001$/m);
    assert.match(atMain.stdout, /^ {4}test: Mann–Whitney on 49\/49 rounds, median ratio with a bootstrap 95% CI$/m);
    assert.strictEqual((await runCli(['gate', '--baseline-ref', 'main'], { cwd: ws })).code, 1);

    const badRef = await runCli(['compare', '--baseline-ref', 'no-such-branch'], { cwd: ws });
    assert.strictEqual(badRef.code, 2);
    assert.match(badRef.stderr, /unknown git ref "no-such-branch"/);

    const ids = fs.readFileSync(path.join(ws, '.perf', 'history', fs.readdirSync(path.join(ws, '.perf', 'history')).find(f => f.endsWith('.jsonl'))!), 'utf8')
      .trim().split('\n').map(l => (JSON.parse(l) as { run: { id: string; startedAt: string } }).run)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt)).map(r => r.id);
    const two = await runCli(['compare', '--runs', ids[0], ids[ids.length - 1].slice(0, 20)], { cwd: ws });
    assert.strictEqual(two.code, 0, two.stderr);
    assert.match(two.stdout, new RegExp(`^Baselines: run ${ids[0]}`, 'm'));
    assert.strictEqual((two.stdout.match(/^REGRESSION /gm) ?? []).length, 3, two.stdout);
    const noRun = await runCli(['compare', '--runs', ids[0], '19990101T'], { cwd: ws });
    assert.strictEqual(noRun.code, 1);
    assert.match(noRun.stderr, /no run "19990101T"/);
  });

  it('baseline accept: named ids only, --by recorded; unknown id (1); nothing to accept (1)', async () => {
    const ws = tempWorkspace();
    const empty = await runCli(['baseline', 'accept'], { cwd: ws });
    assert.strictEqual(empty.code, 1);
    assert.match(empty.stderr, /no results to accept/);
    assert.strictEqual((await runCli(['ingest', PYTEST], { cwd: ws })).code, 0);
    const one = await runCli(['baseline', 'accept', SORT_1000, '--by', 'tool:ci-bot'], { cwd: ws });
    assert.strictEqual(one.code, 0, one.stderr);
    assert.strictEqual(one.stdout.trim(), `accepted ${SORT_1000}`);
    const doc = JSON.parse(fs.readFileSync(path.join(ws, '.perf', 'baselines.json'), 'utf8')) as { baselines: Record<string, Record<string, { acceptedBy: string }>> };
    const entries = Object.values(doc.baselines).flatMap(c => Object.entries(c));
    assert.deepStrictEqual(entries.map(([id, e]) => [id, e.acceptedBy]), [[SORT_1000, 'tool:ci-bot']]);
    const unknown = await runCli(['baseline', 'accept', 'nope::x'], { cwd: ws });
    assert.strictEqual(unknown.code, 1);
    assert.match(unknown.stderr, /no results for "nope::x"/);
  });

  it('a malformed config is a configuration error (2) naming the file and field; run needs a config (2)', async () => {
    const ws = tempWorkspace();
    const none = await runCli(['run'], { cwd: ws });
    assert.strictEqual(none.code, 2);
    assert.match(none.stderr, /no perf-lens\.config\.json in /);
    fs.writeFileSync(path.join(ws, 'perf-lens.config.json'), JSON.stringify({ version: 1, suites: { s: { kind: 'regression', command: 'true' } } }));
    for (const cmd of ['run', 'gate', 'report']) {
      const r = await runCli([cmd], { cwd: ws });
      assert.strictEqual(r.code, 2, `${cmd}: ${r.stderr}`);
      assert.match(r.stderr, /perf-lens\.config\.json.*results/, cmd);
    }
    fs.writeFileSync(path.join(ws, 'perf-lens.config.json'), '{ "version": 1, ');
    const trunc = await runCli(['gate'], { cwd: ws });
    assert.strictEqual(trunc.code, 2);
    assert.match(trunc.stderr, /perf-lens\.config\.json/);
  });

  it('report --out writes each format atomically; an unwritable destination fails (1)', async () => {
    const ws = await baselined();
    const formats = ['md', 'html', 'json', 'junit', 'text'];
    const written = await Promise.all(formats.map(f => runCli(['report', '--format', f, '--out', `out/report.${f}`], { cwd: ws })));
    formats.forEach((f, i) => {
      assert.strictEqual(written[i].code, 0, written[i].stderr);
      assert.ok(fs.statSync(path.join(ws, 'out', `report.${f}`)).size > 100, f);
    });
    assert.deepStrictEqual(fs.readdirSync(path.join(ws, 'out')).filter(f => f.endsWith('.tmp')), []);
    const json = JSON.parse(fs.readFileSync(path.join(ws, 'out', 'report.json'), 'utf8')) as { format: string; series: { status: string; verdict: { reason: string } }[] };
    assert.strictEqual(json.format, 'perf-lens-report');
    assert.deepStrictEqual(json.series.map(s => s.status), ['unchanged', 'unchanged', 'unchanged']);
    assert.match(json.series[0].verdict.reason, /CI .* p=/);
    fs.writeFileSync(path.join(ws, 'blocker'), 'a file, not a folder');
    const r = await runCli(['report', '--out', 'blocker/r.md'], { cwd: ws });
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /cannot write blocker\/r\.md/);
  });
});

describe('cli: docs/github-actions.yml stays in step with the CLI', function () {
  this.timeout(20000);
  after(cleanupWorkspaces);

  it('every perf-lens command and option the example workflow uses exists', async () => {
    const yml = fs.readFileSync(path.join(repoRoot, 'docs', 'github-actions.yml'), 'utf8');
    const calls = [...yml.matchAll(/\$PERF_LENS (\w+)((?: +[^\n\\]*)?)/g)].map(m => ({ cmd: m[1], flags: [...m[2].matchAll(/(--[\w-]+)/g)].map(f => f[1]) }));
    assert.ok(calls.length >= 6, `${calls.length} calls`);
    assert.ok(yml.includes('--baseline-ref "origin/${{ github.base_ref }}"'));
    const ws = tempWorkspace();
    const helps = new Map<string, string>();
    for (const { cmd, flags } of calls) {
      if (!helps.has(cmd)) helps.set(cmd, (await runCli([cmd, '--help'], { cwd: ws })).stdout);
      assert.match(helps.get(cmd)!, /^Usage: perf-lens /, cmd);
      for (const f of flags) assert.ok(helps.get(cmd)!.includes(f), `perf-lens ${cmd} ${f} is not documented in its --help`);
    }
  });

  it('runs the CLI from the extension .vsix (no published npm package): the path it unzips is the one the package ships', () => {
    const yml = fs.readFileSync(path.join(repoRoot, 'docs', 'github-actions.yml'), 'utf8');
    assert.doesNotMatch(yml, /npx[^\n]*perf-lens/);
    // vsce puts the package under extension/ in the zip; the bin entry names the file inside it.
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const inZip = `extension/${path.posix.normalize(pkg.bin['perf-lens'])}`;
    const sets = [...yml.matchAll(/echo "PERF_LENS=node \$RUNNER_TEMP\/perf-lens\/(\S+)" >> "\$GITHUB_ENV"/g)].map(m => m[1]);
    assert.deepStrictEqual(sets, [inZip, inZip], 'both jobs that run perf-lens unpack it');
    assert.ok(yml.includes(`unzip -l perf-lens.vsix ${inZip}`), 'the build job checks the file is in the .vsix');
    // .vscodeignore excludes everything but what it re-includes: dist/*.js must be among those.
    const ignore = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!dist/*.js'), '.vscodeignore ships dist/*.js');
    assert.strictEqual((yml.match(/needs: perf-lens-cli/g) ?? []).length, 2);
  });
});
