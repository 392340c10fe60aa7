// The panel on the real workbench, on the panel fixture workspace (load, memory and benchmark
// runs measured by test/workspaces/panel/generate.sh): opened from the palette and from a lens,
// each kind of view draws its charts, tables list the fixture's names as text, the request table
// shows the config's budgets, a chart exports through the save dialog, and screenshots are kept in
// light (the default here), dark and high-contrast themes (text contrast checked in each).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { clickLens, openWorkbench, runFromPaletteRow, screenshot, webviewFrame } from './workbench';

interface StoredRunLine {
  run: { id: string; kind?: string; tool: string };
}

const XSS_NAME = `<img src=x onerror="document.body.dataset.xss='1'">`;

function fixtureRuns(): StoredRunLine['run'][] {
  const dir = path.join(process.cwd(), 'test', 'workspaces', 'panel', '.perf', 'history');
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.jsonl'))
    .flatMap(f => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map(l => (JSON.parse(l) as StoredRunLine).run);
}

interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Non-transparent pixels of each chart canvas (0 = nothing drawn). */
async function inked(frame: FrameLocator): Promise<number[]> {
  const canvases = frame.locator('.chart canvas');
  const out: number[] = [];
  for (let i = 0; i < (await canvases.count()); i++) {
    out.push(
      await canvases.nth(i).evaluate((c: Canvas) => {
        const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        let n = 0;
        for (let j = 3; j < d.length; j += 4) if (d[j]) n++;
        return n;
      }),
    );
  }
  return out;
}

async function drawn(frame: FrameLocator, view: string): Promise<Locator> {
  const host = frame.locator(`.view-host[data-view="${view}"][data-state="drawn"]`);
  await host.waitFor({ timeout: 30_000 });
  return host;
}

type Styled = { ownerDocument: { defaultView: { getComputedStyle(e: unknown): Record<string, string> } } };
/** A computed style property of the element (the e2e tsconfig has no DOM types). */
const cssOf = (l: Locator, prop: string) => l.evaluate((e: Styled, p: string) => e.ownerDocument.defaultView.getComputedStyle(e)[p], prop);

/** WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)" / "rgba(…)"). */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(v => {
      const x = Number(v) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Text of the panel's table cells, muted text and verdict colours against the page background: readable (≥ 4.5:1, WCAG AA). */
async function readable(frame: FrameLocator, selectors: string[]): Promise<void> {
  const bg = await cssOf(frame.locator('body'), 'backgroundColor');
  for (const sel of selectors) {
    const el = frame.locator(sel).first();
    if (!(await el.count())) continue;
    const fg = await cssOf(el, 'color');
    const ratio = contrast(fg, bg);
    assert.ok(ratio >= 4.5, `${sel}: ${fg} on ${bg} is ${ratio.toFixed(2)}:1`);
  }
}

/** Switches the theme through the workspace settings (the palette's theme picker also searches the marketplace, offline here). */
function setTheme(folder: string, theme: string): void {
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': theme }, null, 2));
}

describe('workbench: Perf Lens panel views (panel workspace)', () => {
  let browser: Browser;
  let page: Page;
  let folder: string;
  const runs = fixtureRuns();
  const load = runs.find(r => r.kind === 'load');
  const memory = runs.find(r => r.kind === 'memory');

  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    folder = await openWorkbench(page, 'panel', 'tests/test_bench.py');
  });

  after(async () => {
    if (page) await screenshot(page, 'panel-last-state').catch(() => undefined);
    await browser?.close();
  });

  it('opens from the palette on the newest run: all benchmarks with verdicts, names as text', async () => {
    // The lens appearing means the extension is active (its commands are in the palette).
    await page.locator('.codelens-decoration a', { hasText: 'History' }).first().waitFor({ timeout: 60_000 });
    await runFromPaletteRow(page, 'Perf Lens: Show Panel');
    const frame = webviewFrame(page);
    await frame.locator('#app[data-state="rendered"] #run-picker').waitFor({ timeout: 30_000 });
    assert.strictEqual(await frame.locator('#run-picker option').count(), runs.length);
    const view = await drawn(frame, 'benchmarks');
    const names = await view.locator('tbody td:first-child').allTextContents();
    assert.ok(names.includes('tests/test_bench.py::test_parse'), `names: ${names}`);
    assert.ok(names.includes(XSS_NAME), 'the hostile name is shown as text');
    assert.strictEqual(await frame.locator('#app img').count(), 0);
    await screenshot(page, 'panel-1-benchmarks-light');
  });

  it('draws a load run: throughput and latency charts, the per-request table with the config’s budgets', async () => {
    assert.ok(load, 'fixture has a load run');
    // The 404 route of the fixture fails every request: over a 1% error-rate budget; the others within.
    fs.writeFileSync(path.join(folder, 'perf-lens.config.json'), JSON.stringify({ version: 1, budgets: [{ match: 'GET /api/**', errorRate: 0.01 }] }, null, 2));
    const frame = webviewFrame(page);
    await frame.locator('#run-picker').selectOption(load.id);
    const view = await drawn(frame, 'load');
    const px = await inked(frame);
    assert.strictEqual(px.length, 2, `two charts: ${px}`);
    assert.ok(px.every(n => n > 500), `charts have data: ${px}`);
    const names = await view.locator('table.data tbody td:first-child').allTextContents();
    for (const n of ['GET /api/projects/[id]/videos', 'GET /api/missing', 'Aggregated']) assert.ok(names.includes(n), `${n} in ${names}`);
    assert.ok(names.some(n => n.includes(XSS_NAME)));
    const budget = (name: string) => view.locator('table.data tbody tr', { hasText: name }).locator('td').last();
    // The config was written just now: the view redraws with its budgets once the store has reloaded it.
    await budget('GET /api/missing').filter({ hasText: 'over' }).waitFor({ timeout: 30_000 });
    assert.match((await budget('GET /api/missing').textContent()) ?? '', /over/);
    assert.match((await budget('GET /api/missing').getAttribute('title')) ?? '', /error rate 100% > budget 1\.00%/);
    assert.match((await budget('GET /api/projects/[id]/videos').textContent()) ?? '', /within/);
    await screenshot(page, 'panel-2-load-light');
  });

  it('exports a chart’s data as CSV through the save dialog; the file is written', async () => {
    const frame = webviewFrame(page);
    await drawn(frame, 'load');
    await frame.locator('.chart-box').first().locator('button', { hasText: 'CSV' }).click();
    // The web workbench's save dialog is a quick input holding the suggested path.
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    try {
      // The dialog fills the folder first, then the suggested name.
      const deadline = Date.now() + 15_000;
      let target = await input.inputValue();
      while (!target.endsWith('.csv') && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
        target = await input.inputValue();
      }
      assert.match(target, /throughput-and-errors.*\.csv$/);
      await screenshot(page, 'panel-2b-export-dialog');
      await page.keyboard.press('Enter');
      await frame.locator('.status', { hasText: 'Saved' }).waitFor({ timeout: 30_000 });
    } finally {
      // Never leave the dialog over the workbench for the next test.
      if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
    }
    const saved = ((await frame.locator('.status').textContent()) ?? '').replace(/^Saved /, '');
    assert.ok(saved.endsWith('.csv') && fs.existsSync(saved), `written: ${saved}`);
    const csv = fs.readFileSync(saved, 'utf8').split('\n');
    assert.match(csv[0], /^seconds,req\/s,errors\/s/);
    assert.ok(csv.length > 5, `${csv.length} lines`);
    fs.rmSync(saved);
  });

  it('draws a memory run with its trend, load window and verdict', async () => {
    assert.ok(memory, 'fixture has a memory run');
    const frame = webviewFrame(page);
    await frame.locator('#run-picker').selectOption(memory.id);
    const view = await drawn(frame, 'memory');
    const px = await inked(frame);
    assert.ok(px.length === 1 && px[0] > 500, `memory chart has data: ${px}`);
    assert.match((await view.locator('.verdict').textContent()) ?? '', /Leak suspected|No leak|Inconclusive/);
    await screenshot(page, 'panel-3-memory-light');
  });

  it('opens the benchmark history from the lens above the test', async () => {
    // The lens shows the stored timing (e.g. "84 ms ±8 ms · ▲ +87% vs baseline"); "History" opens the panel on it.
    await clickLens(page, 'History');
    const frame = webviewFrame(page);
    const view = await drawn(frame, 'history');
    assert.match((await view.locator('h2').textContent()) ?? '', /tests\/test_bench\.py::test_parse/);
    const px = await inked(frame);
    assert.ok(px[0] > 500, `history chart has data: ${px}`);
    await screenshot(page, 'panel-4-history-from-lens-light');
  });

  it('follows a dark theme (screenshots of history, load and memory views)', async () => {
    setTheme(folder, 'Default Dark Modern');
    const frame = webviewFrame(page);
    await frame.locator('body.vscode-dark').waitFor({ timeout: 30_000 });
    await drawn(frame, 'history');
    await screenshot(page, 'panel-5-history-dark');
    assert.ok(load);
    await frame.locator('#run-picker').selectOption(load.id);
    await drawn(frame, 'load');
    assert.ok((await inked(frame)).every(n => n > 500));
    await screenshot(page, 'panel-6-load-dark');
    await frame.locator('#run-picker').selectOption(memory?.id ?? '');
    await drawn(frame, 'memory');
    await readable(frame, ['.verdict strong', '.rules li', '.notes li', 'h2']);
    await screenshot(page, 'panel-7-memory-dark');
  });

  it('is readable in a high-contrast theme (screenshots of the load and benchmark views)', async () => {
    setTheme(folder, 'Default High Contrast');
    const frame = webviewFrame(page);
    await frame.locator('body.vscode-high-contrast').waitFor({ timeout: 30_000 });
    assert.ok(load);
    await frame.locator('#run-picker').selectOption(load.id);
    await drawn(frame, 'load');
    assert.ok((await inked(frame)).every(n => n > 500));
    await readable(frame, ['table.data tbody td', '.budget-over', '.budget-ok', '.muted', 'h2', '.chart-bar h3']);
    await screenshot(page, 'panel-8-load-hc');
    const bench = runs.find(r => r.tool === 'hyperfine');
    assert.ok(bench);
    await frame.locator('#run-picker').selectOption(bench.id);
    await drawn(frame, 'benchmarks');
    await readable(frame, ['table.data tbody td.name', '.v-regression', '.v-inconclusive', 'td.sure']);
    await screenshot(page, 'panel-9-benchmarks-hc');
  });
});
