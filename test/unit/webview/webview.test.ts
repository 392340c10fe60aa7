// The panel's webview bundle (dist/webview.js) in headless Chromium, without VS Code: a stub
// acquireVsCodeApi, the production CSP, and a host emulator that answers requests with views
// built by the real panelData over the panel fixture workspace's history
// (test/workspaces/panel/.perf/history, measured by its generate.sh).
// Needs `npm run build` first (dist/webview.js); skipped with a message when it is missing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/browser';
import { lighthouseManifestParser } from '../../../src/core/ingest/lighthouse';
import { buildView, HistoryDataSource, RunListSource, type PanelDataSource } from '../../../src/features/panelData';
import type { HostMessage, PanelContent, RunMeta, ServerMetricsColumns, ViewQuery, WebviewMessage } from '../../../src/shared/protocol';
import { fixture, repoRoot } from '../helpers';

const bundle = path.join(repoRoot, 'dist', 'webview.js');
const workspace = path.join(repoRoot, 'test', 'workspaces', 'panel');
const XSS_NAME = `<img src=x onerror="document.body.dataset.xss='1'">`;

describe('webview bundle, standalone in Chromium', function () {
  this.timeout(20_000);
  let browser: Browser;
  let page: Page;
  const source = new HistoryDataSource(workspace);
  /** What the host emulator builds views from (a test may swap in another source). */
  let viewSource: PanelDataSource = source;
  let runs: RunMeta[] = [];
  const received: WebviewMessage[] = [];
  let lastViewQuery: ViewQuery | undefined;
  let saves: { format: string; data: string }[] = [];

  const toPage = (m: HostMessage) => page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
  const content = (initialView?: ViewQuery): PanelContent => ({ workspaces: ['panel'], runCount: runs.length, headline: `${runs.length} stored runs`, runs, initialView });
  const runOf = (kind: string | undefined) => {
    const r = runs.find(x => x.kind === kind);
    assert.ok(r, `fixture has no ${kind} run`);
    return r;
  };
  /** Shows a view and waits until it is drawn. */
  async function open(query: ViewQuery): Promise<void> {
    await toPage({ type: 'show', content: content(query) });
    await until(`document.querySelector('.view-host')?.dataset.state === 'drawn' && document.querySelector('.view-host')?.dataset.view === ${JSON.stringify(query.view === 'run' ? 'benchmarks' : query.view)}`);
  }
  /**
   * Polls an expression in the page. Not page.waitForFunction: that evaluates with eval(), which
   * the page's CSP rightly blocks (page.evaluate goes through the debugger and is not).
   */
  async function until(expr: string, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await page.evaluate(expr))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expr}`);
      await new Promise(r => setTimeout(r, 25));
    }
  }
  /** A computed style property of the first element matching `selector`. */
  const style = (selector: string, prop: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${prop}`) as Promise<string>;
  /** Non-transparent pixels of every canvas in the page (0 = nothing drawn). */
  const inked = async (): Promise<number[]> => {
    // uPlot may finish creating its canvases a frame after the view reports drawn (seen on a loaded CI box).
    await until(`document.querySelectorAll('.chart canvas').length > 0`).catch(() => undefined);
    return inkedNow();
  };
  const inkedNow = () =>
    page.evaluate(`[...document.querySelectorAll('.chart canvas')].map(c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })`) as Promise<number[]>;

  before(async function () {
    if (!fs.existsSync(bundle)) {
      console.warn(`    (skipped: ${bundle} is missing; run \`npm run build\`)`);
      this.skip();
    }
    runs = await source.listRuns();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', e => received.push({ type: 'state', state: { view: undefined, focus: { label: `pageerror: ${e.message}` } } }));
    await page.route('http://panel.test/**', async route => {
      const rel = new URL(route.request().url()).pathname.slice(1);
      const file = rel === 'index.html' ? path.join(repoRoot, 'test', 'unit', 'webview', 'harness.html') : path.join(repoRoot, rel);
      await route.fulfill({ body: fs.readFileSync(file), contentType: rel.endsWith('.css') ? 'text/css' : rel.endsWith('.js') ? 'text/javascript' : 'text/html' });
    });
    await page.exposeFunction('__toHost', async (m: WebviewMessage) => {
      received.push(m);
      if (m.type !== 'request') return;
      const r = m.request;
      try {
        if (r.kind === 'view') {
          lastViewQuery = r.query;
          await toPage({ type: 'reply', requestSeq: m.seq, ok: true, result: { kind: 'view', data: await buildView(viewSource, r.query) } });
        } else if (r.kind === 'save') {
          saves.push({ format: r.format, data: r.data });
          await toPage({ type: 'reply', requestSeq: m.seq, ok: true, result: { kind: 'saved', path: `/tmp/${r.suggestedName}` } });
        } else {
          await toPage({ type: 'reply', requestSeq: m.seq, ok: false, error: `not emulated: ${r.kind}` });
        }
      } catch (e) {
        await toPage({ type: 'reply', requestSeq: m.seq, ok: false, error: (e as Error).message });
      }
    });
    await page.goto('http://panel.test/index.html');
  });

  after(async () => {
    await browser?.close();
  });

  it('says ready first, then renders the header and the run picker from `show`', async () => {
        assert.strictEqual(received[0]?.type, 'ready');
    await toPage({ type: 'show', content: content() });
    await page.waitForSelector('#app[data-state="rendered"] #run-picker');
    const options = await page.locator('#run-picker option').count();
    assert.strictEqual(options, runs.length);
  });

  it('draws the load-test charts and lists every request name as text (hostile names included)', async () => {
    await open({ view: 'load', runId: runOf('load').id });
    const px = await inked();
    assert.strictEqual(px.length, 2, 'throughput and latency charts');
    assert.ok(px.every(n => n > 500), `charts drawn: ${px}`);
    const cells = await page.locator('.view-load table.data tbody td:first-child').allTextContents();
    for (const name of ['/api/projects/[id]/videos', '/api/missing', 'Aggregated']) assert.ok(cells.some(c => c.includes(name)), `${name} in ${cells}`);
    assert.ok(cells.some(c => c.includes(XSS_NAME)), 'the hostile name is shown verbatim as text');
    assert.strictEqual(await page.locator('#app img').count(), 0, 'no <img> was created from a name');
    assert.strictEqual(await page.evaluate('document.body.dataset.xss'), undefined);
  });

  it('overlays a second load run and sorts/filters the request table', async () => {
    const [a, b] = runs.filter(r => r.kind === 'load');
    await open({ view: 'load', runId: a.id, compareId: b.id });
    const legend = await page.locator('.u-legend').first().textContent();
    assert.match(legend ?? '', /req\/s \(B\)/);
    await page.fill('.view-load input[type="search"]', 'missing');
    assert.deepStrictEqual(await page.locator('.view-load table.data tbody td:first-child').allTextContents(), ['GET /api/missing']);
    await page.fill('.view-load input[type="search"]', '');
    await page.click('.view-load table.data th:has-text("Count")');
    const counts = (await page.locator('.view-load table.data tbody td:nth-child(2)').allTextContents()).map(t => Number(t.replace(/,/g, '')));
    assert.deepStrictEqual(counts, [...counts].sort((x, y) => x - y));
  });

  it('appends live timeline points to the shown load run', async () => {
    const run = runOf('load');
    await open({ view: 'load', runId: run.id });
    const before = (await page.evaluate(`document.querySelectorAll('.chart')[0] && document.querySelector('.view-host').dataset.live`)) as string | undefined;
    assert.strictEqual(before, undefined);
    const full = await source.getRun(run.id);
    const tl = full?.series.find(s => s.group === 'Aggregated')?.timeline ?? [];
    const last = tl[tl.length - 1];
    await toPage({ type: 'timeline', runId: run.id, seriesId: 'Aggregated', points: [{ ...last, t: last.t + 1 }, { ...last, t: last.t + 2 }], done: true });
    await until(`document.querySelector('.view-host').dataset.live === 'done'`);
    const n = await page.evaluate(`document.querySelectorAll('.u-legend')[0] && document.querySelectorAll('.chart').length`);
    assert.strictEqual(n, 2);
  });

  /** Drag-selects the middle third of the n-th chart (uPlot zooms x to it); returns its x range after. */
  const zoomChart = async (selector: string): Promise<string> => {
    await page.locator(selector).scrollIntoViewIfNeeded({ timeout: 5000 });
    const box = await page.locator(selector).locator('.u-over').boundingBox({ timeout: 5000 });
    assert.ok(box, `no plot area at ${selector}`);
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + (box.width * 2) / 3, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    return (await xRange(selector)) ?? '';
  };
  const xRange = (selector: string) => page.locator(selector).getAttribute('data-x-range', { timeout: 5000 });

  it('live points: a zoomed-in chart keeps its zoom, a chart showing everything follows the run', async () => {
    const run = runOf('load');
    await open({ view: 'load', runId: run.id });
    const [tp, lat] = ['.charts .chart >> nth=0', '.charts .chart >> nth=1'];
    const full = await xRange(tp);
    const zoom = await zoomChart(tp);
    assert.notStrictEqual(zoom, full, 'the drag zoomed in');
    const [lo, hi] = zoom.split('..').map(Number);
    const [flo, fhi] = (full ?? '').split('..').map(Number);
    assert.ok(lo > flo && hi < fhi, `${zoom} inside ${full}`);
    const tl = (await source.getRun(run.id))?.series.find(s => s.group === 'Aggregated')?.timeline ?? [];
    const last = tl[tl.length - 1];
    await toPage({ type: 'timeline', runId: run.id, seriesId: 'Aggregated', points: [{ ...last, t: last.t + 5 }], done: false });
    await until(`document.querySelectorAll('.charts .chart')[1].dataset.xRange.split('..')[1] > ${JSON.stringify(String(fhi))}`);
    assert.strictEqual(await xRange(tp), zoom, 'the zoomed chart did not jump back to the whole run');
    assert.strictEqual((await xRange(lat))?.split('..')[0], String(flo), 'the other chart follows from the start');
  });

  it('replaces the server metrics section of a live load view as scrapes arrive', async () => {
    const run = runOf('load');
    await open({ view: 'load', runId: run.id });
    assert.strictEqual(await page.locator('.server-metrics').count(), 0);
    const meta = runs.find(r => r.id === run.id)!;
    const cols = (n: number): ServerMetricsColumns => ({
      run: meta, x: Array.from({ length: n }, (_, i) => i), rps: Array.from({ length: n }, (_, i) => 10 + i), errorRate: Array(n).fill(0),
      cpu: Array(n).fill(20), rss: Array(n).fill(50e6), routes: [{ id: 'GET /api/items', p95: Array(n).fill(0.01) }], findings: [], note: 'server-side (approximate), live',
    });
    await toPage({ type: 'server', runId: run.id, server: cols(3) });
    await until(`document.querySelectorAll('.server-metrics .chart').length === 3`);
    await toPage({ type: 'server', runId: run.id, server: { ...cols(6), findings: ['alert p95 over budget'] } });
    await until(`document.querySelector('.server-metrics p.muted')?.textContent.includes('6 scrape')`);
    assert.strictEqual(await page.locator('.server-metrics').count(), 1, 'replaced, not appended');
    assert.strictEqual(await page.locator('.server-metrics .chart').count(), 3);
    assert.match((await page.locator('.server-metrics .notes').textContent()) ?? '', /alert p95 over budget/);
    // Zoomed in on the server charts, the next scrape redraws them at the same zoom.
    const zoom = await zoomChart('.server-metrics .chart >> nth=0');
    assert.notStrictEqual(zoom, '0..5', 'the drag zoomed in');
    await toPage({ type: 'server', runId: run.id, server: cols(8) });
    await until(`document.querySelector('.server-metrics p.muted')?.textContent.includes('8 scrape')`);
    assert.strictEqual(await xRange('.server-metrics .chart >> nth=0'), zoom, 'redrawn at the same zoom');
    // Another run's scrapes do not touch this view.
    await toPage({ type: 'server', runId: 'other', server: cols(9) });
    await new Promise(r => setTimeout(r, 100));
    assert.match((await page.locator('.server-metrics p.muted').textContent()) ?? '', /8 scrape/);
    const px = await inked();
    assert.ok(px.length === 5 && px.every(n => n > 300), `client and server charts drawn: ${px}`);
  });

  it('shows the memory chart with trend, load window and verdict rules', async () => {
    const mem = runs.filter(r => r.kind === 'memory');
    await open({ view: 'memory', runId: mem[0].id });
    const px = await inked();
    assert.ok(px.length === 1 && px[0] > 500, `memory chart drawn: ${px}`);
    assert.match((await page.locator('.verdict').textContent()) ?? '', /Leak suspected|No leak|Inconclusive/);
    assert.ok((await page.locator('.rules li').count()) >= 2);
    assert.match((await page.locator('.u-legend').textContent()) ?? '', /trend/);
  });

  it('lists all benchmarks of a run with verdicts; a row opens the history; a point opens a run', async () => {
    const bench = runs.find(r => r.tool === 'hyperfine');
    assert.ok(bench);
    await open({ view: 'benchmarks', runId: bench.id });
    const names = await page.locator('.view-benchmarks tbody td:first-child').allTextContents();
    assert.ok(names.includes(XSS_NAME), `names: ${names}`);
    assert.ok((await page.locator('.view-benchmarks .verdict-cell').count()) === names.length);
    await page.click('.view-benchmarks tbody tr:has-text("test_parse")');
    await until(`document.querySelector('.view-host').dataset.view === 'history' && document.querySelector('.view-host').dataset.state === 'drawn'`);
    assert.ok((await inked())[0] > 500);
    const over = page.locator('.view-history .u-over');
    const box = await over.boundingBox();
    assert.ok(box);
    await over.click({ position: { x: 3, y: box.height / 2 } });
    await until(`document.querySelector('.view-host').dataset.view === 'benchmarks'`);
    assert.strictEqual(lastViewQuery?.view, 'benchmarks');
  });

  it('fits the benchmark table in a ~500 px side panel: short cells, details on hover, still sortable and filterable', async () => {
    const bench = runs.find(r => r.tool === 'hyperfine');
    assert.ok(bench);
    await page.setViewportSize({ width: 500, height: 900 });
    try {
      await open({ view: 'benchmarks', runId: bench.id });
      const wrap = page.locator('.view-benchmarks .table-wrap');
      await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'webview-benchmarks-500px.png'), fullPage: true });
      const [scrollW, clientW] = (await wrap.evaluate(w => [w.scrollWidth, w.clientWidth])) as [number, number];
      assert.ok(scrollW <= clientW, `no sideways scroll: ${scrollW} > ${clientW}`);
      const heights = await page.locator('.view-benchmarks tbody tr').evaluateAll(rows => rows.map(r => r.getBoundingClientRect().height));
      const line = parseFloat(await style('.view-benchmarks tbody td', 'lineHeight')) || 16;
      // A row may wrap a long (hostile) name onto a few lines, not grow to ten.
      assert.ok(heights.every(hgt => hgt < line * 5), `row heights ${heights} (line ${line})`);
      const sure = page.locator('.view-benchmarks tbody tr:has-text("test_parse") td.sure');
      assert.match((await sure.textContent()) ?? '', /^(p[<=][\d.]+|≈?\d+% CI|threshold|–)$/);
      assert.match((await sure.getAttribute('title')) ?? '', /CI|threshold|Mann|Welch/);
      assert.ok(await page.locator('.view-benchmarks tbody tr:has-text("test_parse") td.verdict-cell').getAttribute('title'), 'the reason is the verdict’s hover');
      await page.click('.view-benchmarks th:has-text("Change")');
      assert.strictEqual(await page.locator('.view-benchmarks th:has-text("Change")').getAttribute('aria-sort'), 'ascending');
      // The reason is not a column, but the filter still finds it.
      const reason = (await sure.locator('xpath=..').locator('td.verdict-cell').getAttribute('title'))?.split('\n')[0] ?? '';
      await page.fill('.view-benchmarks input[type="search"]', reason.slice(0, 12));
      assert.ok((await page.locator('.view-benchmarks tbody tr:has-text("test_parse")').count()) === 1, `filter on "${reason.slice(0, 12)}"`);
    } finally {
      await page.setViewportSize({ width: 1100, height: 900 });
    }
  });

  it('overlays a second memory run by elapsed time', async () => {
    const [a, b] = runs.filter(r => r.kind === 'memory');
    assert.ok(a && b, 'two memory runs in the fixture');
    await open({ view: 'memory', runId: a.id, compareId: b.id });
    assert.match((await page.locator('.view-memory .u-legend').textContent()) ?? '', /RSS \(A\).*RSS \(B\)/);
    assert.ok((await inked())[0] > 500);
    await page.selectOption('.view-memory select[aria-label="Compare with run"]', '');
    await until(`document.querySelector('.view-host').dataset.state === 'drawn' && !(document.querySelector('.view-memory .u-legend')?.textContent ?? '').includes('(B)')`);
    assert.strictEqual(lastViewQuery?.view === 'memory' && lastViewQuery.compareId, undefined);
  });

  it('styles the Pages view: bordered page sections, numeric cells right-aligned, charts in a grid', async () => {
    // A real Lighthouse run (test/fixtures/lighthouse/suite, measured by its generate script), one budget over.
    const parsed = await lighthouseManifestParser.parse(fixture('lighthouse', 'suite', 'manifest.json'));
    const meta = { ...parsed, id: 'lighthouse-run' };
    viewSource = new RunListSource([meta], {}, [{ match: 'page:**#fcp', median: 0.001 }, { match: 'page:**#js-heap', maxRss: 512 * 1024 * 1024 }]);
    try {
      await open({ view: 'frontend', runId: meta.id });
      assert.notStrictEqual(await style('.view-frontend .page', 'borderTopStyle'), 'none');
      assert.strictEqual(await style('.view-frontend table.page-metrics td.num', 'textAlign'), 'right');
      assert.strictEqual(await style('.view-frontend .charts', 'display'), 'grid');
      assert.ok((await inked()).every(n => n > 100));
      assert.ok((await page.locator('.view-frontend td.budget-over').count()) > 0, 'the fcp budget is shown as over');
      assert.ok((await page.locator('.view-frontend td.budget-ok').count()) > 0, 'the heap budget as within');
      await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'webview-pages.png'), fullPage: true });
    } finally {
      viewSource = source;
    }
  });

  it('exports a chart as PNG and its data as CSV through save requests', async () => {
    saves = [];
    await open({ view: 'load', runId: runOf('load').id });
    await page.locator('.chart-box').first().locator('button', { hasText: 'PNG' }).click();
    await page.locator('.chart-box').first().locator('button', { hasText: 'CSV' }).click();
    await until(`document.querySelector('.status').textContent.startsWith('Saved')`);
        assert.strictEqual(saves.length, 2);
    assert.ok(Buffer.from(saves[0].data, 'base64').subarray(1, 4).toString() === 'PNG', 'a PNG image');
    assert.match(saves[1].data.split('\n')[0], /^seconds,req\/s,errors\/s/);
  });

  it('redraws with the theme (body class change) and nothing was blocked by the CSP', async () => {
    await page.evaluate(`document.body.className = 'vscode-dark'`);
    await until(`document.querySelector('.view-host').dataset.state === 'drawn'`);
    assert.deepStrictEqual(await page.evaluate('window.__violations'), []);
    const errors = received.filter(m => m.type === 'state' && m.state.focus?.label?.startsWith('pageerror'));
    assert.deepStrictEqual(errors, []);
  });
});
