// The panel's host-side view builders on the panel fixture workspace's real history
// (test/workspaces/panel/.perf/history, measured by its generate.sh) and on edge cases.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MetricsSession } from '../../../src/core/metrics/session';
import { buildView, HistoryDataSource, isMetricsPoint, liveServerColumns, memoryView, ResultsStoreSource, RunListSource, thinIndexes, timelineColumns, type StoredRun } from '../../../src/features/panelData';
import { ResultsStore } from '../../../src/workspace/resultsStore';
import { detectFingerprint, machineClass } from '../../../src/core/env/fingerprint';
import { makeRun } from '../store/runs';
import { expo } from '../metrics/fixtures';
import { repoRoot } from '../helpers';

const source = new HistoryDataSource(path.join(repoRoot, 'test', 'workspaces', 'panel'));

describe('panel data', () => {
  it('thins long series to the bound and keeps every bucket’s peaks', () => {
    const v = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 50));
    v[54_321] = 99;
    v[12_345] = -99;
    const idx = thinIndexes(v, 4000);
    assert.ok(idx.length <= 4000, `${idx.length}`);
    assert.ok(idx.includes(54_321) && idx.includes(12_345), 'spikes survive');
    assert.deepStrictEqual(idx, [...idx].sort((a, b) => a - b));
    assert.strictEqual(thinIndexes([1, 2, 3], 4000).length, 3);
  });

  it('turns a timeline into columns relative to its first point, nulls for missing percentiles', () => {
    const c = timelineColumns([
      { t: 102, requests: 5, failures: 1, percentiles: { p50: 0.01 } },
      { t: 101, requests: 4, failures: 0, users: 3 },
    ]);
    assert.deepStrictEqual(c.x, [0, 1]);
    assert.deepStrictEqual(c.users, [3, null]);
    assert.deepStrictEqual(c.p50, [null, 0.01]);
    assert.strictEqual(c.rawPoints, 2);
  });

  it('lists the fixture runs newest first and builds a load view with every request', async () => {
    const runs = await source.listRuns();
    assert.strictEqual(runs.length, 10);
    const load = runs.find(r => r.kind === 'load');
    assert.ok(load);
    const v = await buildView(source, { view: 'run', runId: load.id });
    assert.strictEqual(v.view, 'load');
    if (v.view !== 'load') return;
    assert.deepStrictEqual(v.requests.map(r => r.name).sort(), ['/api/missing', '/api/projects/[id]/videos', `<img src=x onerror="document.body.dataset.xss='1'">`, 'Aggregated'].sort());
    assert.ok(v.timeline && v.timeline.x.length >= 5);
    assert.ok(v.requests.find(r => r.name === '/api/missing')?.failures);
  });

  it('fills the request table’s budget status from the config’s budgets; a bad config is a note, not a failed view', async () => {
    const meta = (await source.listRuns()).find(r => r.kind === 'load');
    assert.ok(meta);
    const run = await source.getRun(meta.id);
    assert.ok(run);
    // The fixture's 404 route fails every request; the videos route's p95 is 9 ms.
    const budgets = new RunListSource([run], {}, [{ match: 'GET /api/**', errorRate: 0.01, p95: 0.5 }]);
    const v = await buildView(budgets, { view: 'load', runId: run.id });
    assert.ok(v.view === 'load');
    const row = (name: string) => v.requests.find(r => r.name === name);
    assert.strictEqual(row('/api/missing')?.budget, 'over');
    assert.match(row('/api/missing')?.budgetDetail ?? '', /error rate 100% > budget 1\.00%/);
    assert.strictEqual(row('/api/projects/[id]/videos')?.budget, 'ok');
    assert.strictEqual(row('Aggregated')?.budget, undefined, 'no budget matches the aggregate');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-budgets-'));
    try {
      fs.cpSync(path.join(repoRoot, 'test', 'workspaces', 'panel', '.perf'), path.join(dir, '.perf'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'perf-lens.config.json'), '{ "version": 1, "budgets": [ { "match": 5 } ] }');
      const bad = await buildView(new HistoryDataSource(dir), { view: 'load', runId: run.id });
      assert.ok(bad.view === 'load');
      assert.ok(bad.notes.some(n => /budgets not checked: .*perf-lens\.config\.json/.test(n)), bad.notes.join('\n'));
      assert.ok(bad.requests.every(r => r.budget === undefined));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('charts a live run’s server metrics from its `metrics` events (real scrapes of the metrics fixture service)', () => {
    const t0 = 1_700_000_000;
    const session = new MetricsSession();
    // The events the engine's scraper streams: one per scrape interval (the restart included).
    const events = [['scrape-1.txt', 1], ['scrape-2.txt', 3], ['after-restart.txt', 5]]
      .map(([f, dt]) => session.add({ t: t0 + (dt as number), expo: expo('node', f as string) }).point)
      .filter(p => p !== undefined)
      .map(p => JSON.parse(JSON.stringify({ type: 'metrics', ...p })) as unknown);
    assert.strictEqual(events.length, 2);
    assert.ok(events.every(isMetricsPoint));
    assert.ok(!isMetricsPoint({ type: 'metrics', t: 'soon' }) && !isMetricsPoint({ t: 1, routes: 'x' }) && !isMetricsPoint(null));
    const meta = { id: 'live:api:x', tool: 'perf-lens', startedAt: new Date(t0 * 1000).toISOString(), seriesCount: 1 };
    const c = liveServerColumns(events.filter(isMetricsPoint).reverse(), ['alert p95 over 0.5 s'], meta, t0);
    assert.deepStrictEqual(c.x, [3, 5], 'seconds since t0, in time order');
    assert.ok(c.rps[0] !== null && c.rps[0] > 0, `server req/s ${c.rps}`);
    assert.ok(c.rss.every(v => v !== null && v > 1e6), `rss ${c.rss}`);
    assert.ok(c.routes.length >= 1 && c.routes.some(r => r.id === 'GET /api/items'), c.routes.map(r => r.id).join());
    assert.ok(c.routes.every(r => r.p95.length === 2));
    assert.deepStrictEqual(c.findings, ['alert p95 over 0.5 s']);
    assert.match(c.note, /approximate.*live/);
  });

  it('reads through the workspace ResultsStore: its config’s budgets, its reloads as the panel’s refresh', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-store-'));
    try {
      fs.cpSync(path.join(repoRoot, 'test', 'workspaces', 'panel', '.perf'), path.join(dir, '.perf'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'perf-lens.config.json'), JSON.stringify({ version: 1, budgets: [{ match: 'GET /api/**', errorRate: 0.01 }] }));
      const store = new ResultsStore(dir);
      await store.reload();
      const src = new ResultsStoreSource(store);
      let refreshed = 0;
      const sub = src.onDidChange(() => refreshed++);
      const load = (await src.listRuns()).find(r => r.kind === 'load');
      assert.ok(load);
      const v = await buildView(src, { view: 'load', runId: load.id });
      assert.ok(v.view === 'load');
      assert.strictEqual(v.requests.find(r => r.name === '/api/missing')?.budget, 'over');
      fs.writeFileSync(path.join(dir, 'perf-lens.config.json'), '{ "version": 1, "budgets": "none" }');
      await store.reload();
      assert.strictEqual(refreshed, 1);
      const bad = await buildView(src, { view: 'load', runId: load.id });
      assert.ok(bad.view === 'load' && bad.notes.some(n => /budgets not checked: .*perf-lens\.config\.json/.test(n)), bad.view === 'load' ? bad.notes.join('\n') : '');
      sub.dispose();
      store.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('calls the leaking process a leak and the bounded one not, from real RSS samples', async () => {
    const runs = (await source.listRuns()).filter(r => r.kind === 'memory');
    const verdicts = new Map<string, string>();
    for (const r of runs) {
      const v = await buildView(source, { view: 'memory', runId: r.id });
      if (v.view === 'memory') verdicts.set(v.seriesName, v.verdict.status);
      if (v.view === 'memory') assert.ok(v.loadWindow && v.loadWindow[1] > v.loadWindow[0]);
    }
    assert.strictEqual(verdicts.get('leaky cache (keeps buffers)'), 'leak');
    assert.notStrictEqual(verdicts.get('bounded cache (drops buffers)'), 'leak');
  });

  it('is inconclusive on too few memory samples (core leak analysis) instead of fitting noise', () => {
    const run: StoredRun = { id: 'r', tool: 'perf-lens', startedAt: '2026-01-01T00:00:00Z', series: [{ id: 'm', metric: 'memory', unit: 'bytes', summary: {}, memory: [{ t: 1, rss: 1 }, { t: 2, rss: 9 }] }] };
    const v = memoryView(run);
    assert.strictEqual(v.verdict.status, 'inconclusive');
    assert.match(v.verdict.rules[0].detail, /need at least 10/);
  });

  it('charts a benchmark’s history against its accepted baseline and marks the slower runs', async () => {
    const v = await buildView(source, { view: 'history', seriesId: 'tests/test_bench.py::test_parse' });
    assert.strictEqual(v.view, 'history');
    if (v.view !== 'history') return;
    assert.strictEqual(v.points.length, 6);
    assert.ok(v.baseline, 'baseline from .perf/baselines.json');
    // Runs 4–6 sleep 60 ms instead of 20 ms: a real 3× slowdown the verdict must catch.
    assert.deepStrictEqual(v.points.slice(3).map(p => p.verdict), ['regression', 'regression', 'regression']);
    assert.ok(v.points.slice(0, 3).every(p => p.verdict !== 'regression'));
  });

  it('gives each history point its machine class and defaults the chart to this machine when it has runs', async () => {
    const here = detectFingerprint();
    const other = { ...here, cpuModel: 'Some Other CPU @ 1.00GHz', cores: here.cores + 2 };
    const run = (id: string, machine: typeof here, hour: number) =>
      makeRun({ ids: ['b'], value: 0.01, samples: 5, id, machine, startedAt: new Date(Date.UTC(2026, 10, 1, hour)).toISOString() }) as StoredRun;
    const mixed = await buildView(new RunListSource([run('r1', other, 1), run('r2', here, 2)]), { view: 'history', seriesId: 'b' });
    assert.ok(mixed.view === 'history');
    assert.deepStrictEqual(mixed.points.map(p => p.machineClass), [machineClass(other), machineClass(here)]);
    assert.strictEqual(mixed.machineClass, machineClass(here));
    // Only other machines' runs: no default class, so the chart shows the newest run's class, not nothing.
    const away = await buildView(new RunListSource([run('r1', other, 1)]), { view: 'history', seriesId: 'b' });
    assert.ok(away.view === 'history');
    assert.strictEqual(away.machineClass, undefined);
  });

  it('names the missing run in the error and serves a list source', async () => {
    await assert.rejects(buildView(source, { view: 'load', runId: 'nope' }), /run nope is not in the history/);
    const list = new RunListSource();
    let changed = 0;
    list.onDidChange(() => changed++);
    list.add({ id: 'a', tool: 'hyperfine', startedAt: '2026-01-01T00:00:00Z', series: [{ id: 'x', metric: 'duration', unit: 's', summary: { median: 1 } }] });
    assert.strictEqual(changed, 1);
    const v = await buildView(list, { view: 'run', runId: 'a' });
    assert.strictEqual(v.view, 'benchmarks');
  });
});
