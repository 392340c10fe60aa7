// perf-lens ab as a real process on a throwaway repository (test/unit/ab/repo.ts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { abRepo, git } from '../ab/repo';
import { runCli } from './harness';

describe('cli: ab', () => {
  let repo: string;
  before(() => {
    repo = abRepo();
  });
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('--help lists its options', async () => {
    const r = await runCli(['ab', '--help'], { cwd: repo });
    assert.strictEqual(r.code, 0, r.stderr);
    for (const flag of ['--base REF', '--suite NAME', '--bench ID', '--rounds N', '--max-time SEC', '--format', '--out FILE', '--fail-on-regression']) assert.ok(r.stdout.includes(flag), flag);
  });

  it('usage and setup mistakes exit 2 with a clear message, before anything runs', async function () {
    this.timeout(30000);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-ab-nogit-'));
    fs.copyFileSync(path.join(repo, 'perf-lens.config.json'), path.join(outside, 'perf-lens.config.json'));
    try {
      const cases: [string[], string, RegExp][] = [
        [['ab', '--rounds', '1'], repo, /--rounds: expected a whole number from 2 to 1000, got "1"/],
        [['ab', '--format', 'xml'], repo, /--format: "xml" is not one of text, md, json/],
        [['ab', 'stray'], repo, /unexpected argument "stray" \(benchmark ids follow --bench\)/],
        [['ab', '--suite', 'nope'], repo, /no regression suite "nope"/],
        [['ab', '--base', 'no-such-ref'], repo, /unknown git ref "no-such-ref"/],
        [['ab'], outside, /not a git repository — A\/B needs git/],
      ];
      const results = await Promise.all(cases.map(([args, cwd]) => runCli(args, { cwd })));
      for (const [i, [args, , re]] of cases.entries()) {
        assert.strictEqual(results[i].code, 2, `${args.join(' ')}: ${results[i].stderr}`);
        assert.match(results[i].stderr, re, args.join(' '));
      }
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('writes the Markdown report and the JSON result; two rounds are inconclusive, so --fail-on-regression passes', async function () {
    this.timeout(60000);
    const r = await runCli(['ab', '--rounds', '2', '--bench', 'bench.js::work', 'bench.js::steady', '--format', 'md', '--out', 'ab.md', '--fail-on-regression', '--no-progress'], { cwd: repo, timeoutMs: 60000 });
    assert.strictEqual(r.code, 0, r.stderr);
    const md = fs.readFileSync(path.join(repo, 'ab.md'), 'utf8');
    assert.match(md, /^### Perf Lens A\/B: HEAD vs merge base/);
    assert.ok(md.includes(`merge base \`${git(repo, 'rev-parse', 'main').slice(0, 10)}\``), md);
    assert.match(md, /\| Benchmark \| Base \| Head \| Change \| 95% CI \| p \| Verdict \| Pairs \|/);
    assert.match(md, /work <sub>bench\.js::work<\/sub> \| [\d.]+ µs \| [\d.]+ µs \| \+\d+% \|.*inconclusive.*\| 2 \|/);
    const json = fs.readdirSync(path.join(repo, '.perf', 'ab')).filter((n) => n.endsWith('.json'));
    assert.strictEqual(json.length, 1);
    const result = JSON.parse(fs.readFileSync(path.join(repo, '.perf', 'ab', json[0]), 'utf8')) as { format: string; benchmarks: { id: string; pairs: unknown[] }[] };
    assert.strictEqual(result.format, 'perf-lens-ab');
    assert.deepStrictEqual(result.benchmarks.map((b) => [b.id, b.pairs.length]).sort(), [['bench.js::steady', 2], ['bench.js::work', 2]]);
    assert.deepStrictEqual(git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length, 1);
  });
});
