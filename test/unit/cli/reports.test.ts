// Report formats from real results: JUnit XML parsed by a small strict parser, Markdown
// escaped for PR comments, and the HTML report opened in headless Chromium (charts drawn,
// no console errors, a series named `<img src=x onerror=alert(1)>` shown as text).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { ingestFile } from '../../../src/core/ingest/detect';
import { centralValue } from '../../../src/core/store/central';
import { compare } from '../../../src/core/verdict';
import type { Row } from '../../../src/cli/evaluate';
import { markdownReport } from '../../../src/cli/render/markdown';
import { launchChromium } from '../../e2e/browser';
import { fixture } from '../helpers';
import { cleanupWorkspaces, runCli, scaledPytestBenchmark, tempWorkspace } from './harness';
import { parseXml, type XmlElement } from './xml';

const XSS = '<img src=x onerror=alert(1)>';

describe('cli: report formats', function () {
  this.timeout(30000);
  let ws = '';
  let browser: Browser | undefined;

  before(async () => {
    const run = JSON.parse(fs.readFileSync(fixture('perf-lens', 'run.json'), 'utf8')) as { series: { id: string; name?: string }[] };
    run.series[0].id = XSS;
    run.series[0].name = XSS;
    ws = tempWorkspace({
      'stats.json': fs.readFileSync(fixture('pytest-benchmark', 'stats.json'), 'utf8'),
      'slow.json': scaledPytestBenchmark(fixture('pytest-benchmark', 'stats.json'), 1.3),
      'xss.json': JSON.stringify(run),
    });
    for (const args of [['ingest', 'stats.json'], ['baseline', 'accept'], ['ingest', 'slow.json', fixture('locust', 'run_stats.csv'), 'xss.json']]) {
      const r = await runCli(args, { cwd: ws });
      assert.strictEqual(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
  });
  after(async () => {
    await browser?.close();
    cleanupWorkspaces();
  });

  it('JUnit XML parses: one testcase per series, a failure per regression, the hostile name escaped', async () => {
    const r = await runCli(['report', '--format', 'junit'], { cwd: ws });
    assert.strictEqual(r.code, 0, r.stderr);
    const root = parseXml(r.stdout);
    assert.strictEqual(root.name, 'testsuites');
    const cases = root.children.flatMap(s => s.children.filter(c => c.name === 'testcase'));
    assert.strictEqual(Number(root.attrs.tests), cases.length);
    const failed = cases.filter(c => c.children.some(x => x.name === 'failure'));
    assert.strictEqual(Number(root.attrs.failures), failed.length);
    assert.deepStrictEqual(failed.map(c => c.attrs.name).sort(), [
      'tests/perf/test_textops.py::test_parse_json', 'tests/perf/test_textops.py::test_sort[1000]', 'tests/perf/test_textops.py::test_sort[10]',
    ]);
    for (const c of failed) {
      const f = c.children.find(x => x.name === 'failure')!;
      assert.strictEqual(f.attrs.type, 'regression');
      assert.match(f.attrs.message, /Regression: \+30\.0% median \(95% CI .*p[=<]0\.\d+/);
      // The test behind it, in words, with the rest of the verdict.
      const out = c.children.find(x => x.name === 'system-out');
      assert.match(JSON.stringify(out), /test: Mann–Whitney on \d+\/\d+ rounds/);
    }
    // time: seconds as a plain decimal; a benchmark's is its median per operation (46 µs after the 30% slowdown).
    for (const el of [root, ...root.children, ...cases]) assert.match(el.attrs.time ?? '', /^\d+(\.\d+)?$/, `${el.name} ${el.attrs.name}`);
    const sort = cases.find(c => c.attrs.name === 'tests/perf/test_textops.py::test_sort[1000]')!;
    assert.ok(Math.abs(Number(sort.attrs.time) - 46e-6) < 1e-6, sort.attrs.time);
    const sum = (els: XmlElement[]): number => els.reduce((t, c) => t + Number(c.attrs.time), 0);
    assert.ok(Math.abs(Number(root.attrs.time) - sum(cases)) < 1e-6, `${root.attrs.time} vs ${sum(cases)}`);
    assert.ok(cases.some(c => c.attrs.name.startsWith('GET ') && Number(c.attrs.time) > 0), 'endpoint latency as time');
    assert.ok(cases.some(c => c.attrs.name === XSS), 'hostile id round-trips');
    assert.ok(!r.stdout.includes(XSS), 'raw markup never appears in the XML');
    const suites = root.children.map(s => s.attrs.name);
    assert.ok(suites.includes('pytest-benchmark') && suites.includes('api-load'), suites.join(','));
  });

  it('Markdown: regressions listed with CI and p-value, hostile markup entity-escaped', async () => {
    const r = await runCli(['report'], { cwd: ws });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\*\*3 gate failure\(s\)\*\*/m);
    assert.match(r.stdout, /^\| 🔴 REGRESSION \| tests\/perf\/test\\_textops\.py::test\\_sort\\\[1000\\\] \| 46\.0 µs \| 35\.4 µs \| \+30% \| 95% CI \+\d+…\+\d+%, p&lt;0\.001 \| Regression: \+30\.0% median \(95% CI/m);
    assert.ok(!r.stdout.includes('<img'), 'no raw <img> for GitHub to render');
    assert.match(r.stdout, /&lt;img src=x onerror=alert\(1\)&gt;/);
    // Table rows have exactly the header's cell count (no pipe leaked from a value).
    const rows = r.stdout.split('\n').filter(l => l.startsWith('| '));
    for (const l of rows) assert.strictEqual(l.split(' | ').length, 7, l);
  });

  it('HTML opens offline in headless Chromium: charts drawn, no console errors, the hostile name is text', async () => {
    const out = path.join(ws, 'report.html');
    const r = await runCli(['report', '--format', 'html', '--out', out, '--title', `Report ${XSS}`], { cwd: ws });
    assert.strictEqual(r.code, 0, r.stderr);
    browser = await launchChromium();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', m => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', e => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', d => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', req => {
      if (!req.url().startsWith('file:')) problems.push(`network: ${req.url()}`);
    });
    await page.goto(`file://${out}`);
    // A string, not a function: this project compiles without the DOM lib.
    const facts = (await page.evaluate(`(() => {
      const charts = [...document.querySelectorAll('svg.chart')].map(svg => ({
        kind: svg.getAttribute('data-chart'),
        width: svg.getBoundingClientRect().width,
        bars: svg.querySelectorAll('g.bar rect').length,
        barWidths: [...svg.querySelectorAll('g.bar rect')].map(b => b.getBoundingClientRect().width),
        linePoints: [...svg.querySelectorAll('polyline')].map(p => (p.getAttribute('points') || '').split(' ').length),
      }));
      return { charts, imgs: document.querySelectorAll('img').length, title: document.title, text: document.body.innerText };
    })()`)) as {
      charts: { kind: string; width: number; bars: number; barWidths: number[]; linePoints: number[] }[];
      imgs: number;
      title: string;
      text: string;
    };
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(facts.imgs, 0);
    assert.strictEqual(facts.title, `Report ${XSS}`);
    assert.ok(facts.text.includes(XSS), 'the series name is shown as text');
    const kinds = facts.charts.map(c => c.kind);
    for (const k of ['ratios', 'samples', 'latency-timeline', 'throughput-timeline', 'memory']) assert.ok(kinds.includes(k), `${k} chart in ${kinds.join(',')}`);
    const ratios = facts.charts.find(c => c.kind === 'ratios')!;
    assert.ok(ratios.bars >= 3 && ratios.barWidths.every(w => w > 1), JSON.stringify(ratios));
    // One sample chart per regression (baseline and current dots); none for new series.
    assert.strictEqual(facts.charts.filter(c => c.kind === 'samples').length, 3);
    for (const c of facts.charts.filter(x => x.kind !== 'ratios' && x.kind !== 'samples')) {
      assert.ok(c.width > 100 && c.linePoints.length > 0 && c.linePoints.every(n => n >= 2), JSON.stringify(c));
    }
    assert.match(facts.text, /REGRESSION/);
    assert.match(facts.text, /Regression: \+30\.0% median \(95% CI/);
  });

  it('Markdown stays under GitHub\'s 65,536-character comment limit with many series, regressions kept', async () => {
    const run = await ingestFile(fixture('pytest-benchmark', 'stats.json'));
    const slow = JSON.parse(scaledPytestBenchmark(fixture('pytest-benchmark', 'stats.json'), 1.3)) as unknown;
    fs.writeFileSync(path.join(ws, 'slow-many.json'), JSON.stringify(slow));
    const slowRun = await ingestFile(path.join(ws, 'slow-many.json'));
    const rows: Row[] = [];
    for (let i = 0; i < 400; i++) {
      const s = { ...run.series[i % 3], id: `${run.series[i % 3].id}#${i}` };
      const regressed = i === 399;
      const cur = regressed ? { ...slowRun.series[i % 3], id: s.id } : s;
      rows.push({ id: s.id, name: s.id, tool: run.tool, runId: 'r', startedAt: run.startedAt, series: cur, current: centralValue(cur), budgets: [], verdict: compare(cur, s, { seed: s.id, resamples: 50 }) }); // few resamples: this test is about size
    }
    rows.sort((a, b) => (a.verdict!.status === 'regression' ? -1 : 0) - (b.verdict!.status === 'regression' ? -1 : 0));
    const md = markdownReport({ baselineSource: 'working tree', rows, missing: [], generatedAt: new Date().toISOString(), folder: ws });
    assert.ok(md.length < 65536, `${md.length} characters`);
    assert.match(md, /…and 280 more series/);
    assert.match(md, /^\| 🔴 REGRESSION \| tests\/perf\/test\\_textops\.py::\S+#399 /m);
  });
});
