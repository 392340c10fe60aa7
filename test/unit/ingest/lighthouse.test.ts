import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkBudgets } from '../../../src/core/budget';
import { detectParser, ingestFile } from '../../../src/core/ingest/detect';
import { lighthouseManifestParser, lighthouseParser, PAGE_METRICS } from '../../../src/core/ingest/lighthouse';
import type { Series } from '../../../src/core/model';
import { compare } from '../../../src/core/verdict';
import { fixture } from '../helpers';
import { close, readJsonFixture, rejectsWith, TmpDir } from './tmpFiles';

const single = fixture('lighthouse', 'single.report.json');
const suiteDir = fixture('lighthouse', 'suite');
const manifest = path.join(suiteDir, 'manifest.json');
const lhciDir = fixture('lighthouse', 'lhci');
const MB = 1024 * 1024;

const reports = () => fs.readdirSync(suiteDir).filter(f => f.endsWith('.report.json')).map(f => path.join(suiteDir, f));
const audit = (file: string, id: string): number => readJsonFixture(file).audits[id].numericValue;

describe('ingest: Lighthouse reports and manifests', () => {
  let tmp: TmpDir;
  before(() => (tmp = new TmpDir()));
  after(() => tmp.remove());

  it('reads one plain report: a series per metric of the page, in seconds, no JS heap', async () => {
    const run = await lighthouseParser.parse(single);
    assert.deepStrictEqual([run.tool, run.kind], ['lighthouse', 'frontend']);
    assert.deepStrictEqual(run.series.map(s => [s.id, s.metric, s.unit, s.samples?.length]), [
      ['page:/#fcp', 'duration', 's', 1],
      ['page:/#lcp', 'duration', 's', 1],
      ['page:/#tbt', 'duration', 's', 1],
      ['page:/#speed-index', 'duration', 's', 1],
      ['page:/#tti', 'duration', 's', 1],
      ['page:/#cls', 'count', 'count', 1],
    ]);
    close(run.series[0].samples?.[0], audit(single, 'first-contentful-paint') / 1000, 'fcp');
    close(run.series[4].samples?.[0], audit(single, 'interactive') / 1000, 'tti');
    assert.strictEqual(run.startedAt, new Date(readJsonFixture(single).fetchTime).toISOString());
    assert.strictEqual(run.series[0].extra?.formFactor, 'mobile'); // Lighthouse's default
  });

  it('reads a frontend suite manifest: N runs per page become N samples, JS heap in bytes', async () => {
    const run = await lighthouseManifestParser.parse(manifest);
    const ids = run.series.map(s => s.id);
    assert.strictEqual(ids.length, 2 * PAGE_METRICS.length);
    assert.ok(ids.includes('page:/dashboard.html#lcp') && ids.includes('page:/#js-heap'), ids.join(' '));
    for (const s of run.series) assert.strictEqual(s.samples?.length, 3, s.id);
    // Samples in run order, straight from the reports (the manifest's relative paths were
    // written for .perf/results/<suite>/; copied flat, the reports are found beside it).
    const dash = reports().filter(f => path.basename(f).includes('dashboard')).sort();
    const lcp = run.series.find(s => s.id === 'page:/dashboard.html#lcp') as Series;
    dash.forEach((f, i) => close(lcp.samples?.[i], audit(f, 'largest-contentful-paint') / 1000, `lcp run ${i + 1}`));
    const heap = run.series.find(s => s.id === 'page:/dashboard.html#js-heap') as Series;
    assert.deepStrictEqual([heap.metric, heap.unit], ['memory', 'bytes']);
    dash.forEach((f, i) => assert.strictEqual(heap.samples?.[i], audit(f, 'perf-lens-js-heap')));
    // The dashboard keeps 50,000 rows alive: its heap is above the static page's.
    const home = run.series.find(s => s.id === 'page:/#js-heap') as Series;
    assert.ok((heap.summary.median as number) > (home.summary.median as number));
    assert.ok((lcp.summary.stddev ?? 0) > 0, 'three real runs have spread');
    assert.deepStrictEqual([lcp.extra?.formFactor, lcp.extra?.throttlingMethod, lcp.extra?.runs], ['desktop', 'provided', 3]);
  });

  it('finds the reports where the suite wrote them (manifest paths relative to its folder)', async () => {
    const results = path.join(tmp.dir, 'ws', '.perf', 'results', 'pages');
    const raw = path.join(tmp.dir, 'ws', '.perf', 'lighthouse', 'pages');
    fs.mkdirSync(results, { recursive: true });
    fs.mkdirSync(raw, { recursive: true });
    fs.copyFileSync(manifest, path.join(results, 'manifest.json'));
    for (const f of reports()) fs.copyFileSync(f, path.join(raw, path.basename(f)));
    const run = await ingestFile(path.join(results, 'manifest.json'));
    assert.strictEqual(run.series.length, 14);
    // A run that wrote no report is a note, not a crash; none at all is an error naming the file.
    fs.rmSync(path.join(raw, '01-index-run2.report.json'));
    const partial = await lighthouseManifestParser.parse(path.join(results, 'manifest.json'));
    assert.strictEqual(partial.series.find(s => s.id === 'page:/#fcp')?.samples?.length, 2);
    assert.ok(partial.notes?.some(n => n.includes('01-index-run2.report.json')), String(partial.notes));
    fs.rmSync(raw, { recursive: true });
    await rejectsWith(lighthouseManifestParser.parse(path.join(results, 'manifest.json')), 'manifest.json', 'none of the 6 reports');
  });

  it('reads Lighthouse CI folders: upload manifest with absolute paths, lhr-*.json, assertion results as notes', async () => {
    const run = await ingestFile(path.join(lhciDir, 'fs', 'manifest.json'));
    const fcp = run.series.find(s => s.id === 'page:/dashboard.html#fcp') as Series;
    assert.strictEqual(fcp.samples?.length, 2); // numberOfRuns: 2
    // lhci's own assertion (FCP ≤ 100 ms, error) failed on these runs and says so on the run.
    assert.ok(run.notes?.some(n => /lhci assert \(error\): first-contentful-paint maxNumericValue <= 100/.test(n)), String(run.notes));
    const lhr = fs.readdirSync(lhciDir).filter(f => f.startsWith('lhr-')).map(f => path.join(lhciDir, f));
    assert.strictEqual(lhr.length, 2);
    for (const f of lhr) {
      assert.strictEqual(await detectParser(f), lighthouseParser);
      const one = await ingestFile(f);
      assert.ok(fcp.samples?.includes(one.series[0].samples?.[0] as number));
    }
    // No JS heap series: lhci runs Lighthouse without our gatherer.
    assert.ok(!run.series.some(s => s.id.endsWith('#js-heap')));
  });

  it('is detected by content under misleading names, reports and manifests alike', async () => {
    assert.strictEqual(await detectParser(tmp.copy(single, 'results.json')), lighthouseParser);
    assert.strictEqual(await detectParser(tmp.copy(manifest, 'bench.json')), lighthouseManifestParser);
    assert.strictEqual(await detectParser(tmp.copy(path.join(lhciDir, 'fs', 'manifest.json'), 'x.json')), lighthouseManifestParser);
  });

  it('names the field of bad input; a page that never loaded is a note', async () => {
    const wrongType = tmp.editJson(single, 'bad.json', d => (d.audits['largest-contentful-paint'].numericValue = 'slow'));
    await rejectsWith(lighthouseParser.parse(wrongType), 'bad.json', 'expected number, got string', 'audits.largest-contentful-paint.numericValue');
    const wrongUnit = tmp.editJson(single, 'unit.json', d => (d.audits['interactive'].numericUnit = 'second'));
    await rejectsWith(lighthouseParser.parse(wrongUnit), 'expected "millisecond", got "second"', 'audits.interactive.numericUnit');
    const noVersion = tmp.editJson(single, 'nov.json', d => delete d.lighthouseVersion);
    await rejectsWith(lighthouseParser.parse(noVersion), 'lighthouseVersion');
    const errored = tmp.editJson(single, 'err.json', d => (d.runtimeError = { code: 'NO_FCP', message: 'The page did not paint any content.' }));
    await rejectsWith(lighthouseParser.parse(errored), 'no page metric', 'NO_FCP');
    const oneMissing = tmp.editJson(single, 'miss.json', d => {
      delete d.audits['speed-index'].numericValue;
      d.audits['speed-index'].scoreDisplayMode = 'error';
      d.audits['speed-index'].errorMessage = 'Speed Index failed';
    });
    const run = await lighthouseParser.parse(oneMissing);
    assert.ok(!run.series.some(s => s.id === 'page:/#speed-index'));
    assert.ok(run.notes?.some(n => n.includes('Speed Index not measured (Speed Index failed)')), String(run.notes));
  });

  it("checks the seed's page targets as budgets on the medians (FCP 300 ms, LCP 1 s, TTI 2 s, 50 MB heap)", async () => {
    const run = await lighthouseManifestParser.parse(manifest);
    const results = checkBudgets(run.series, [
      { match: 'page:**#fcp', median: 0.3 },
      { match: 'page:**#lcp', median: 1.0 },
      { match: 'page:**#tti', median: 2.0 },
      { match: 'page:**#js-heap', maxRss: 50 * MB },
    ]);
    assert.strictEqual(results.length, 8); // 4 targets × 2 pages
    for (const r of results) {
      const s = run.series.find(x => x.id === r.id) as Series;
      const expected = r.budget === 'maxRss' ? Math.max(...(s.samples as number[])) : (s.summary.median as number);
      assert.strictEqual(r.actual, expected, r.id);
      assert.strictEqual(r.ok, expected <= r.limit, r.message);
    }
    const heap = results.find(r => r.id === 'page:/dashboard.html#js-heap');
    assert.match(heap?.message ?? '', /^peak \/dashboard\.html JS heap \d+\.\d MB ≤ budget 50\.0 MB$/);
  });

  it('feeds the core verdicts: same runs unchanged-or-inconclusive, a 3-run slowdown needs the hard limit', async () => {
    const run = await lighthouseManifestParser.parse(manifest);
    const lcp = run.series.find(s => s.id === 'page:/dashboard.html#lcp') as Series;
    const same = compare(lcp, lcp);
    assert.ok(['unchanged', 'inconclusive'].includes(same.status), same.reason);
    assert.strictEqual(same.ratio, 1);
    // 3 runs against 3: Mann–Whitney cannot reach p < 0.01 (smallest two-sided p is 0.1), so a
    // real 1.6× slowdown is inconclusive on samples alone — what docs/frontend.md warns about.
    const slower = { ...lcp, samples: lcp.samples?.map(v => v * 1.6), summary: {} };
    const v = compare(slower, lcp);
    assert.strictEqual(v.method, 'samples');
    assert.strictEqual(v.status, 'inconclusive', v.reason);
    assert.ok((v.ratio as number) > 1.5);
    assert.strictEqual(compare(slower, lcp, { hardLimit: 1.5 }).status, 'regression');
  });
});
