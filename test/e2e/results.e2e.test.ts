// The main loop as a user sees it: a benchmark with no results offers Run; clicking it runs
// the real pytest-benchmark suite as a VS Code task; when it ends the lens shows the timing;
// clicking the timing opens the panel on that benchmark. While the task runs the lens line says
// running…, and the editor's context menu offers the file's Perf Lens commands.
import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { clickLens, freshWorkspace, openWorkbench, recordLensTimeline, saveArtifact, screenshot, steadyCount, webviewFrame } from './workbench';

describe('workbench: run a benchmark from its lens (results workspace)', () => {
  let browser: Browser;
  let page: Page;
  let lensTimeline: () => Promise<string>;

  before(async () => {
    const ws = freshWorkspace('results', [['test/fixtures/pytest-benchmark/test_textops.py', 'tests/perf/test_textops.py']]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    lensTimeline = await recordLensTimeline(page);
    await openWorkbench(page, ws, 'tests/perf/test_textops.py');
  });

  after(async () => {
    if (page) await screenshot(page, 'results-last-state').catch(() => undefined);
    if (page) await saveArtifact(`results-lens-timeline.txt`, await lensTimeline().catch(e => String(e)));
    await browser?.close();
  });

  it('shows Run lenses on the benchmarks before anything has run', async () => {
    const run = page.locator('.codelens-decoration a', { hasText: 'no results yet — Run' });
    await run.first().waitFor({ timeout: 60_000 });
    assert.strictEqual(await steadyCount(run, 2), 2, `test_sort and test_parse_json; lenses rendered over time:\n${await lensTimeline()}`);
    await screenshot(page, 'results-1-run-lenses');
  });

  it('runs the benchmark as a task and the lens turns into its timing', async () => {
    // test_sort, the first lens: its two parametrized cases run through pytest-benchmark.
    await clickLens(page, 'no results yet — Run');
    // While its task runs the same lens line says so.
    const running = page.locator('.codelens-decoration a', { hasText: 'running… · Perf Lens · no results yet — Run' });
    await running.first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'results-2a-lens-running');
    const timing = page.locator('.codelens-decoration a', { hasText: /^.?2 cases · \d/ });
    await timing.first().waitFor({ timeout: 120_000 });
    assert.match((await timing.first().textContent()) ?? '', /(ns|µs|ms) – [\d.]+ (ns|µs|ms)/);
    await screenshot(page, 'results-2-lens-after-run');
  });

  it('offers the file\'s Perf Lens commands in the editor context menu', async () => {
    await page.locator('.monaco-editor .view-lines').first().click({ button: 'right', position: { x: 200, y: 60 } });
    const menu = page.locator('.monaco-menu .action-label');
    await menu.filter({ hasText: 'Run Benchmarks in This File' }).first().waitFor({ timeout: 30_000 });
    for (const title of ['Compare Benchmarks in This File with Merge Base', 'Show in Perf Lens Panel']) {
      assert.strictEqual(await menu.filter({ hasText: title }).count(), 1, title);
    }
    await screenshot(page, 'results-2b-editor-context-menu');
    await page.keyboard.press('Escape');
  });

  it('opens the panel on the benchmark when its timing is clicked', async () => {
    await clickLens(page, /2 cases · \d/);
    await page.locator('.tabs-container .tab', { hasText: 'Perf Lens' }).first().waitFor({ timeout: 30_000 });
    await webviewFrame(page).locator('text=/test_sort/').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'results-3-panel-from-lens');
  });
});
