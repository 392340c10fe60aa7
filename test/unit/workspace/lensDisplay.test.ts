// The personal display settings the lens and hover follow (perfLens.codeLens.statistic and
// showThresholds), the running state of a lens line, and which running suite claims an item —
// on states the real store built from a real pytest-benchmark result.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkBudgets } from '../../../src/core/budget';
import type { Finding } from '../../../src/core/locate/types';
import { hoverMarkdown, lensTitle, runningTitle, statisticValue, type LensDisplay } from '../../../src/features/lensText';
import { endpointRoute, runsFor, type LensItem } from '../../../src/workspace/lensModel';
import { ResultsStore, type SeriesState } from '../../../src/workspace/resultsStore';
import { fixture } from '../helpers';

const MACHINE = { cpuModel: 'Test CPU', cores: 2, os: 'linux 6.1 x64', arch: 'x64', runtimes: {} };
const PARSE = 'tests/perf/test_textops.py::test_parse_json';
const r = { start: { line: 27, character: 0 }, end: { line: 27, character: 19 } };

function bench(states: SeriesState[], id = PARSE, name = 'test_parse_json'): LensItem {
  const finding: Finding = { kind: 'benchmark', id, name, language: 'python', nameRange: r, range: r };
  return { finding, states, ambiguous: [] };
}

function handler(method: string, route: string): LensItem {
  const finding: Finding = { kind: 'endpoint', id: `${method} ${route}`, name: 'videos', language: 'javascript', nameRange: r, range: r, method, route };
  return { finding, states: [], ambiguous: [] };
}

/** test_parse_json compared with an accepted baseline of the same real result (a fresh store, removed after). */
async function withCompared(check: (again: SeriesState, store: ResultsStore) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-display-b-'));
  const store = new ResultsStore(dir, { machine: MACHINE });
  try {
    await store.ingest(fixture('pytest-benchmark', 'stats.json'));
    await store.accept(undefined, 'user:test');
    await store.ingest(fixture('pytest-benchmark', 'stats.json'));
    await check(store.get(PARSE) as SeriesState, store);
  } finally {
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const display = (d: Partial<LensDisplay>): LensDisplay => ({ statistic: 'auto', thresholds: false, ...d });

describe('lens display settings and running state', () => {
  let dir: string;
  let store: ResultsStore;
  let parse: SeriesState;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-display-'));
    store = new ResultsStore(dir, { machine: MACHINE });
    await store.ingest(fixture('pytest-benchmark', 'stats.json'), { suite: 'benchmarks' });
    parse = store.get(PARSE) as SeriesState;
  });
  after(() => {
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the chosen statistic, labelled; auto keeps the unlabelled median ± IQR/2', () => {
    const s = parse.series;
    assert.match(lensTitle(bench([parse])), /^\$\(watch\) 88\.4 µs ±\S+ µs · new · no baseline$/);
    assert.match(lensTitle(bench([parse]), display({ statistic: 'min' })), /^\$\(watch\) min 75\.6 µs · new · no baseline$/);
    assert.match(lensTitle(bench([parse]), display({ statistic: 'mean' })), /^\$\(watch\) mean 91\.4 µs ±\S+ µs · new/);
    // p95 from the rounds (pytest-benchmark reports none).
    const p95 = statisticValue(s, 'p95') as number;
    const sorted = [...(s.samples as number[])].sort((a, b) => a - b);
    assert.ok(p95 >= sorted[sorted.length - 2] && p95 <= sorted[sorted.length - 1], `${p95}`);
    const t = lensTitle(bench([parse]), display({ statistic: 'p95' }));
    assert.match(t, /^\$\(watch\) p95 \S+ µs · new · no baseline$/);
  });

  it('names a statistic a result cannot give instead of showing another one silently', () => {
    const bare: SeriesState = { ...parse, series: { ...parse.series, samples: undefined, summary: { median: parse.series.summary.median, iqr: parse.series.summary.iqr } } };
    assert.match(lensTitle(bench([bare]), display({ statistic: 'min' })), /^\$\(watch\) median \(no min recorded\) 88\.4 µs/);
  });

  it('parametrized cases: the range is of the chosen statistic', () => {
    const cases = store.all().filter(s => s.id.includes('test_sort'));
    const item = bench(cases, 'tests/perf/test_textops.py::test_sort', 'test_sort');
    assert.match(lensTitle(item), /^\$\(watch\) 2 cases · 391 ns – 35\.4 µs/);
    assert.match(lensTitle(item, display({ statistic: 'min' })), /^\$\(watch\) 2 cases · min 301 ns – 32\.7 µs/);
  });

  it('thresholds: hidden by default; shown, the budget limits and the practical threshold appear in lens and hover', async () => {
    const budgets = checkBudgets([parse.series], [{ match: '**', median: 50e-6, p95: 1e-3 }]);
    const withBudget: SeriesState = { ...parse, budgets };
    assert.match(lensTitle(bench([withBudget])), / · budget ✗ median$/);
    const shown = display({ thresholds: true, threshold: 0.05 });
    assert.match(lensTitle(bench([withBudget]), shown), / · budget ✗ median \(median ≤ 50\.0 µs\)$/);
    const hover = hoverMarkdown(bench([withBudget]), shown);
    assert.match(hover, /Limits: threshold ±5% \(verdict\.threshold\) · p95 ≤ 1\.00 ms ✓ · median ≤ 50\.0 µs ✗/);
    assert.doesNotMatch(hoverMarkdown(bench([withBudget])), /Limits:/);
    // Compared against a baseline: the threshold joins the verdict on the lens line.
    await withCompared(async again => {
      assert.ok(again.verdict && again.verdict.ratio !== null, JSON.stringify(again.verdict));
      assert.match(lensTitle(bench([again]), shown), / · threshold ±5%/);
      assert.doesNotMatch(lensTitle(bench([again])), /threshold/);
    });
  });

  it('compact layout: the headline figure and the change, no interval; a failed budget and approximation stay', async () => {
    const compact = display({ compact: true });
    assert.strictEqual(lensTitle(bench([parse]), compact), '$(watch) 88.4 µs · new');
    assert.strictEqual(lensTitle(bench([parse]), display({ compact: true, statistic: 'min' })), '$(watch) min 75.6 µs · new');
    const cases = store.all().filter(s => s.id.includes('test_sort'));
    assert.strictEqual(lensTitle(bench(cases, 'tests/perf/test_textops.py::test_sort', 'test_sort'), compact), '$(watch) 2 cases · 391 ns – 35.4 µs');
    const passed: SeriesState = { ...parse, budgets: checkBudgets([parse.series], [{ match: '**', p95: 1e-3 }]) };
    assert.strictEqual(lensTitle(bench([passed]), compact), '$(watch) 88.4 µs · new', 'a passed budget is left to the hover');
    const failed: SeriesState = { ...parse, budgets: checkBudgets([parse.series], [{ match: '**', median: 50e-6 }]) };
    assert.strictEqual(lensTitle(bench([failed]), compact), '$(watch) 88.4 µs · new · budget ✗ median');
    // Compared: the arrow, change and verdict; the full title's interval and test are not on it.
    await withCompared(async (again, s2) => {
      assert.match(lensTitle(bench([again])), /\(95% CI/);
      assert.match(lensTitle(bench([again]), compact), /^\$\(watch\) 88\.4 µs · ≈ (0\.0|[+−]\d\.\d)% unchanged$/);
      // A handler from a real Locust run: its p95, the approximation tag (Locust rounds), no other percentiles.
      await s2.ingest(fixture('locust', 'run_stats.csv'));
      const stats = s2.get('GET /api/dashboard/stats') as SeriesState;
      const item: LensItem = { ...handler('GET', '/api/dashboard/stats'), states: [stats] };
      assert.match(lensTitle(item), /^\$\(pulse\) GET \/api\/dashboard\/stats · p50 8\.00 ms · p95 84\.0 ms · p99 160 ms · /);
      assert.strictEqual(lensTitle(item, compact), '$(pulse) p95 84.0 ms · new · approx.');
    });
  });

  it('hover lists every statistic known with the lens one in bold', () => {
    const hover = hoverMarkdown(bench([parse]), display({ statistic: 'min' }));
    assert.match(hover, /\*\*min 75\.6 µs\*\* · median 88\.4 µs · mean 91\.4 µs · p95 \S+ µs/);
    assert.match(hoverMarkdown(bench([parse])), /min 75\.6 µs · \*\*median 88\.4 µs\*\*/);
  });

  it('running: the same line, its icon turned into a spinner', () => {
    assert.strictEqual(runningTitle('$(watch) 88.4 µs · new'), '$(sync~spin) running… · 88.4 µs · new');
    assert.strictEqual(runningTitle('$(play) Perf Lens · no results yet — Run'), '$(sync~spin) running… · Perf Lens · no results yet — Run');
  });

  it('a running suite claims the items it will measure, and only those', () => {
    const measured = bench([parse]);
    const quiet = bench([], 'tests/perf/test_other.py::test_x', 'test_x');
    assert.ok(runsFor(measured, [{ suite: 'benchmarks', kind: 'regression' }]));
    assert.ok(!runsFor(measured, [{ suite: 'other', kind: 'regression' }]));
    assert.ok(runsFor(measured, [{ suite: 'other', only: PARSE }]), 'narrowed to it');
    assert.ok(!runsFor(measured, [{ suite: 'benchmarks', only: 'tests/perf/test_textops.py::test_sort' }]), 'narrowed to another');
    assert.ok(runsFor(quiet, [{ suite: 'benchmarks', kind: 'regression' }]), 'no results yet: a regression suite may measure it');
    assert.ok(!runsFor(quiet, [{ suite: 'load', kind: 'load' }]));
    const videos = handler('GET', '/api/videos/:id');
    assert.strictEqual(endpointRoute(videos.finding), 'GET /api/videos/:id');
    assert.strictEqual(endpointRoute(handler('*', '/any').finding), '/any');
    assert.ok(runsFor(videos, [{ suite: 'load', kind: 'load' }]));
    assert.ok(runsFor(videos, [{ suite: 'load', kind: 'load', route: 'GET /api/videos/:id' }]));
    assert.ok(!runsFor(videos, [{ suite: 'load', kind: 'load', route: 'GET /api/dashboard/stats' }]));
    assert.ok(!runsFor(videos, [{ suite: 'benchmarks', kind: 'regression' }]));
  });
});
