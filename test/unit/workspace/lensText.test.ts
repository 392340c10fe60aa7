// What the lens, its tooltip and the hover say about a comparison: the interval and the test,
// rounds to go when inconclusive, approximations — on states built by the real store from a real
// pytest-benchmark result. Also: keep sampling's pooled verdict stands while its run is latest.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Finding } from '../../../src/core/locate/types';
import { hoverMarkdown, lensTitle, lensTooltip, undecided } from '../../../src/features/lensText';
import type { LensItem } from '../../../src/workspace/lensModel';
import { ResultsStore, type SeriesState } from '../../../src/workspace/resultsStore';
import { fixture } from '../helpers';

const MACHINE = { cpuModel: 'Test CPU', cores: 2, os: 'linux 6.1 x64', arch: 'x64', runtimes: {} };
const PARSE = 'tests/perf/test_textops.py::test_parse_json';

/** The real result with test_parse_json scaled by `factor` and cut to `rounds` rounds, one minute later. */
function variant(out: string, factor: number, rounds?: number): string {
  const doc = JSON.parse(fs.readFileSync(fixture('pytest-benchmark', 'stats.json'), 'utf8'));
  for (const b of doc.benchmarks) {
    const data = (b.stats.data as number[]).slice(0, rounds ?? b.stats.data.length).map(x => x * factor);
    const s = [...data].sort((x, y) => x - y);
    Object.assign(b.stats, { data, rounds: data.length, min: s[0], max: s[s.length - 1], median: s[Math.floor(s.length / 2)], mean: s.reduce((a, x) => a + x, 0) / s.length });
    for (const k of ['stddev', 'iqr', 'q1', 'q3', 'ld15iqr', 'hd15iqr', 'total']) b.stats[k] *= factor;
  }
  doc.datetime = new Date(Date.parse(doc.datetime) + 60_000).toISOString();
  fs.writeFileSync(out, JSON.stringify(doc));
  return out;
}

function item(states: SeriesState[]): LensItem {
  const r = { start: { line: 27, character: 0 }, end: { line: 27, character: 19 } };
  const finding: Finding = { kind: 'benchmark', id: PARSE, name: 'test_parse_json', language: 'python', nameRange: r, range: r };
  return { finding, states, ambiguous: [] };
}

describe('lens text: how sure', () => {
  let dir: string;
  let store: ResultsStore;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-lens-'));
    store = new ResultsStore(dir, { machine: MACHINE });
    await store.ingest(fixture('pytest-benchmark', 'stats.json'));
    await store.accept(undefined, 'user:test');
  });
  afterEach(() => {
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a regression: change, interval and p on the lens line; the test and reason in the hover', async () => {
    await store.ingest(variant(path.join(dir, 'slow.json'), 1.3));
    const s = store.get(PARSE) as SeriesState;
    const title = lensTitle(item([s]));
    assert.match(title, /^\$\(watch\) \S+ µs ±\S+ (ns|µs) · ▲ \+30% regression \(95% CI \+\d+…\+\d+%, p<0\.0?01\)$/);
    const hover = hoverMarkdown(item([s]));
    assert.match(hover, /How sure: Mann–Whitney on 12\/12 rounds, median ratio with a bootstrap 95% CI/);
    assert.match(hover, /Regression: \+30\.0% median \(95% CI/);
    assert.strictEqual(undecided([s]), undefined);
  });

  it('inconclusive: the lens says how many more rounds would decide, and offers keep sampling', async () => {
    await store.ingest(variant(path.join(dir, 'few.json'), 1.07, 4));
    const s = store.get(PARSE) as SeriesState;
    assert.strictEqual(s.verdict?.status, 'inconclusive');
    const title = lensTitle(item([s]));
    if (s.verdict?.moreRounds !== undefined) assert.match(title, new RegExp(`inconclusive — ${s.verdict.moreRounds} more rounds? would decide \\(95% CI `));
    else assert.match(title, /inconclusive \(95% CI /);
    assert.strictEqual(undecided([s])?.id, PARSE);
    assert.match(hoverMarkdown(item([s])), /would decide: use "Keep sampling"|unlikely to decide/);
  });

  it('approximate sources are tagged on the lens and spelled out in tooltip and hover', async () => {
    await store.ingest(variant(path.join(dir, 'slow.json'), 1.3));
    const s = store.get(PARSE) as SeriesState;
    const noted: SeriesState = { ...s, series: { ...s.series, notes: ['Locust rounds each response time before computing percentiles (to 1 ms below 100 ms): they are approximate'] } };
    assert.match(lensTitle(item([noted])), / · approx\./);
    assert.match(lensTooltip(item([noted])), /approximate: Locust rounds/);
    assert.match(hoverMarkdown(item([noted])), /_Approximate: Locust rounds/);
  });

  it('a pooled keep-sampling verdict stands for the series while its run is the latest', async () => {
    await store.ingest(variant(path.join(dir, 'few.json'), 1.07, 4));
    const s = store.get(PARSE) as SeriesState;
    const pooled = { ...(s.verdict as NonNullable<SeriesState['verdict']>), status: 'regression' as const, reason: 'Regression: pooled [look 2 of 5]' };
    let changes = 0;
    store.onDidChange(() => changes++);
    store.recordPooled(PARSE, s.run.id, pooled);
    assert.strictEqual(store.get(PARSE)?.verdict?.reason, pooled.reason);
    assert.strictEqual(changes, 1);
    await store.reload();
    assert.strictEqual(store.get(PARSE)?.verdict?.reason, pooled.reason, 'survives a reload');
    await store.ingest(variant(path.join(dir, 'later.json'), 1.0));
    assert.notStrictEqual(store.get(PARSE)?.verdict?.reason, pooled.reason, 'a newer run is judged on its own');
  });
});
