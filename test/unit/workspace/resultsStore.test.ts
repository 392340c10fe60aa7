import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ResultsStore, TORN_READ_RETRY_MS } from '../../../src/workspace/resultsStore';
import { fixture } from '../helpers';

const MACHINE = { cpuModel: 'Test CPU', cores: 2, os: 'linux 6.1 x64', arch: 'x64', runtimes: {} };
const SORT_1000 = 'tests/perf/test_textops.py::test_sort[1000]';

/** A copy of the real pytest-benchmark output with every timing scaled (a real slowdown's shape). */
function scaled(file: string, factor: number, out: string): string {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const b of doc.benchmarks) {
    b.stats.data = b.stats.data.map((x: number) => x * factor);
    for (const k of ['min', 'max', 'mean', 'median', 'stddev', 'iqr', 'q1', 'q3', 'ld15iqr', 'hd15iqr', 'total']) b.stats[k] *= factor;
    b.stats.ops /= factor;
  }
  doc.datetime = new Date(Date.parse(doc.datetime) + 60_000).toISOString();
  fs.writeFileSync(out, JSON.stringify(doc));
  return out;
}

describe('workspace results store', () => {
  let dir: string;
  let store: ResultsStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-store-'));
    store = new ResultsStore(dir, { machine: MACHINE });
  });
  afterEach(() => store.dispose());

  it('starts empty, ingests a real pytest-benchmark run, and marks its series new', async () => {
    await store.reload();
    assert.strictEqual(store.all().length, 0);
    let changes = 0;
    store.onDidChange(() => changes++);
    const run = await store.ingest(fixture('pytest-benchmark', 'stats.json'), { suite: 'bench' });
    assert.strictEqual(run.suite, 'bench');
    assert.ok(changes >= 1);
    const s = store.get(SORT_1000);
    assert.ok(s, 'series of the run are known');
    assert.strictEqual(s.verdict?.status, 'new');
    assert.strictEqual(s.recent.length, 1);
    assert.ok(fs.existsSync(path.join(dir, '.perf', 'history')));
  });

  it('compares later runs with an accepted baseline: same data unchanged, 30% slower a regression', async () => {
    await store.ingest(fixture('pytest-benchmark', 'stats.json'));
    const accepted = await store.accept(undefined, 'user:test');
    assert.strictEqual(accepted.length, 3);
    const baselines = JSON.parse(fs.readFileSync(path.join(dir, '.perf', 'baselines.json'), 'utf8'));
    assert.ok(Object.values(baselines.baselines).some(b => SORT_1000 in (b as object)));

    await store.ingest(fixture('pytest-benchmark', 'stats.json'));
    assert.strictEqual(store.get(SORT_1000)?.verdict?.status, 'unchanged');

    await store.ingest(scaled(fixture('pytest-benchmark', 'stats.json'), 1.3, path.join(dir, 'slow.json')));
    const slow = store.get(SORT_1000);
    assert.strictEqual(slow?.verdict?.status, 'regression');
    assert.ok(slow.verdict.ratio && Math.abs(slow.verdict.ratio - 1.3) < 0.01, `ratio ${slow.verdict.ratio}`);
    assert.strictEqual(slow.recent.length, 3);
    assert.strictEqual(slow.recent[0].verdict, 'regression');
    assert.strictEqual(store.counts().regressions, 3);
  });

  it('survives a broken config and broken baselines: reports them and keeps the history', async () => {
    await store.ingest(fixture('pytest-benchmark', 'stats.json'));
    fs.writeFileSync(path.join(dir, 'perf-lens.config.json'), '{ "suites": [ }');
    fs.writeFileSync(path.join(dir, '.perf', 'baselines.json'), '{"schemaVersion": 1, "baselines": 3}');
    await store.reload();
    assert.strictEqual(store.loadProblems.length, 2);
    assert.match(store.loadProblems[0], /perf-lens\.config\.json:1/);
    assert.match(store.loadProblems[1], /baselines\.json/);
    assert.strictEqual(store.all().length, 3);
    assert.strictEqual(fs.readFileSync(path.join(dir, '.perf', 'baselines.json'), 'utf8'), '{"schemaVersion": 1, "baselines": 3}');
  });

  it('a reload asked for during a read reads again after it: a config edited while history loads is not lost', async function () {
    // The history "file" is a FIFO: the read blocks in it, after it has taken the config, until we close our end.
    const hist = path.join(dir, '.perf', 'history');
    fs.mkdirSync(hist, { recursive: true });
    const fifo = path.join(hist, '2099-12.jsonl');
    if (spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
    const cfg = (name: string) => fs.writeFileSync(path.join(dir, 'perf-lens.config.json'), JSON.stringify({ version: 1, suites: { [name]: { kind: 'regression', command: 'x', results: 'r.json' } } }));
    cfg('before');
    const first = store.reload();
    const writer = await fs.promises.open(fifo, 'w'); // opens once the read is in the history: the config is read
    cfg('after');
    const second = store.reload(); // what the watcher does on the edit
    fs.unlinkSync(fifo); // a later read finds no FIFO to wait in
    await writer.close(); // end of file: the first read ends
    await Promise.all([first, second]);
    assert.deepStrictEqual(store.config.suites.map(s => s.name), ['after']);
  });

  it('a config read halfway through a save (truncated, not yet written) is read once more, and its suites stay', async () => {
    const file = path.join(dir, 'perf-lens.config.json');
    const full = JSON.stringify({ version: 1, suites: { bench: { kind: 'regression', command: 'x', results: 'r.json' } } });
    fs.writeFileSync(file, full.slice(0, 20)); // what a reader sees between the truncation and the write
    const reading = store.reload();
    // The save completes well within the retry's wait (on a slow box the first read may already see it).
    setTimeout(() => fs.writeFileSync(file, full), TORN_READ_RETRY_MS / 4);
    await reading;
    assert.deepStrictEqual(store.loadProblems, []);
    assert.deepStrictEqual(store.config.suites.map(s => s.name), ['bench']);
  });

  it('refuses a file that is no known result format, naming it, and stores nothing', async () => {
    const bad = path.join(dir, 'notes.json');
    fs.writeFileSync(bad, '{"hello": "world"}');
    await assert.rejects(store.ingest(bad), /notes\.json/);
    await store.reload();
    assert.strictEqual(store.all().length, 0);
  });
});
