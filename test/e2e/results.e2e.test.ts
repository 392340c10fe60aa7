// The main loop as a user sees it: a benchmark with no results offers Run; clicking it runs
// the real pytest-benchmark suite as a VS Code task; when it ends the lens shows the timing;
// clicking the timing opens the panel on that benchmark. While the task runs the lens line says
// running…, and the editor's context menu offers the file's Perf Lens commands.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { clickLens, freshWorkspace, openWorkbench, recordLensTimeline, runFromPaletteRow, saveArtifact, screenshot, steadyCount, webviewFrame } from './workbench';

describe('workbench: run a benchmark from its lens (results workspace)', () => {
  let browser: Browser;
  let page: Page;
  let lensTimeline: () => Promise<string>;
  let ws: string;

  before(async () => {
    ws = freshWorkspace('results', [['test/fixtures/pytest-benchmark/test_textops.py', 'tests/perf/test_textops.py']]);
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

  it('in a narrow window the compact layout keeps the lens line inside the editor, the other actions behind ⋯', async () => {
    await runFromPaletteRow(page, 'View: Close Editor Group'); // the panel's, beside the file
    await runFromPaletteRow(page, 'View: Hide Panel'); // the task's terminal, so test_sort's line shows
    await page.setViewportSize({ width: 720, height: 1000 }); // the editor ~350 px wide beside the sidebar
    const editor = page.locator('.monaco-editor', { has: page.locator('.codelens-decoration') }).first();
    /** How far the test_sort lens line reaches past the editor's right edge (px; ≤ 0: it fits). */
    const overflow = async () => {
      const line = page.locator('.codelens-decoration', { hasText: /2 cases · \d/ }).first();
      const [e, last] = [await editor.boundingBox(), await line.locator('a').last().boundingBox()];
      return last!.x + last!.width - (e!.x + e!.width);
    };
    await page.locator('.codelens-decoration a', { hasText: 'Accept baseline' }).first().waitFor({ timeout: 30_000 });
    const full = await overflow();
    await screenshot(page, 'results-4-full-layout-narrow');
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'perfLens.codeLens.layout': 'compact' }, null, 2));
    const more = page.locator('.codelens-decoration a:has(.codicon-ellipsis)');
    await more.first().waitFor({ timeout: 30_000 });
    const compact = await overflow();
    await screenshot(page, 'results-5-compact-layout-narrow');
    assert.ok(full > 0, `the full line is cut off at this width (reaches ${full.toFixed(0)} px past the editor)`);
    assert.ok(compact <= 0, `the compact line fits (reaches ${compact.toFixed(0)} px past the editor)`);
    await more.first().click();
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    await rows.filter({ hasText: 'History' }).first().waitFor({ timeout: 30_000 });
    assert.ok(await rows.filter({ hasText: 'Accept baseline' }).count() === 1, 'Accept baseline is in the menu');
    await screenshot(page, 'results-6-compact-actions');
    await page.keyboard.press('Escape');
  });
});
