// Hostile results on the real workbench (test/workspaces/hostile, made by its generate.sh with
// pytest-benchmark, hyperfine and our load engine): benchmark ids, request names and commands
// carry HTML/script payloads that would set document.body.dataset.xss or document.title. The
// lenses, a hover and every panel view show them as text, and nothing runs — checked in the
// workbench page and inside the webview.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { freshWorkspace, openWorkbench, runFromPalette, screenshot, webviewFrame } from './workbench';

const PAYLOAD_IMG = `<img src=x onerror="document.body.dataset.xss='img'">`;

interface Probe { xss?: string; title: string; imgs: number; scripts: number }

/** What a payload would have changed, in the document of `body` (the workbench's or the webview's). */
function probe(body: Locator): Promise<Probe> {
  // Runs in the page. The tests compile without the DOM library, hence the structural types.
  interface El { textContent: string | null }
  interface Doc { title: string; body: { dataset: Record<string, string | undefined> }; querySelectorAll(s: string): ArrayLike<El> }
  return body.evaluate((b: unknown): Probe => {
    const d = (b as { ownerDocument: Doc }).ownerDocument;
    return {
      xss: d.body.dataset.xss,
      title: d.title,
      imgs: d.querySelectorAll('img[src="x"], svg[onload]').length,
      scripts: Array.from(d.querySelectorAll('script')).filter(s => /dataset\.xss|document\.title=1/.test(s.textContent || '')).length,
    };
  });
}

/**
 * The workspace holds the tools' raw result files; `perf-lens ingest` stores them in its history
 * as a CLI run in CI would, so the editor finds them when it opens.
 */
function ingestWithCli(ws: string): void {
  const cli = path.join(process.env.PERF_LENS_EXT_DIR ?? process.cwd(), 'dist', 'cli.js');
  const files = fs.readdirSync(path.join(ws, '.perf', 'results')).map(f => path.join('.perf', 'results', f));
  execFileSync(process.execPath, [cli, 'ingest', '--cwd', ws, '--no-progress', ...files], { stdio: 'pipe' });
}

function assertClean(p: Probe, where: string): void {
  assert.strictEqual(p.xss, undefined, `${where}: a payload ran (dataset.xss = ${p.xss})`);
  assert.notStrictEqual(p.title, '1', `${where}: a payload set the title`);
  assert.strictEqual(p.imgs, 0, `${where}: a payload element was created`);
  assert.strictEqual(p.scripts, 0, `${where}: a payload script element was created`);
}

describe('workbench: hostile result names stay text (hostile workspace)', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const ws = freshWorkspace('hostile');
    ingestWithCli(ws);
    await openWorkbench(page, ws, 'tests/test_hostile.py');
  });

  after(async () => {
    if (page) await screenshot(page, 'hostile-last-state').catch(() => undefined);
    await browser?.close();
  });

  it('lenses on the benchmark show the results; nothing executes in the workbench', async function () {
    this.timeout(120_000);
    const lens = page.locator('.codelens-decoration a').first();
    await lens.waitFor({ timeout: 90_000 });
    const texts = await page.locator('.codelens-decoration').allTextContents();
    assert.ok(texts.some(t => t.trim().length > 0), `lenses: ${texts.join(' | ')}`);
    assertClean(await probe(page.locator('body')), 'workbench after lenses');
    await screenshot(page, 'hostile-1-lenses');
  });

  it('the hover over the benchmark shows payload names as text', async function () {
    this.timeout(60_000);
    const name = page.locator('.view-lines .view-line span', { hasText: 'test_render' }).last();
    await name.hover();
    const hover = page.locator('.monaco-hover-content').first();
    const shown = await hover.waitFor({ timeout: 15_000 }).then(() => true, () => false);
    if (shown) {
      assert.strictEqual(await hover.locator('img[src="x"], svg').count(), 0, 'no element from a payload in the hover');
      const text = (await hover.textContent()) ?? '';
      if (text.includes('onerror')) assert.ok(text.includes('<img src=x'), `the payload is shown literally: ${text.slice(0, 300)}`);
    }
    assertClean(await probe(page.locator('body')), 'workbench after the hover');
    await screenshot(page, 'hostile-2-hover');
  });

  it('every panel view lists the payload names as text and nothing runs in the webview', async function () {
    this.timeout(180_000);
    await page.keyboard.press('Escape');
    await runFromPalette(page, 'Perf Lens: Show Panel');
    const frame = webviewFrame(page);
    await frame.locator('.view-host[data-state="drawn"]').waitFor({ timeout: 60_000 });
    const options = await frame.locator('#run-picker option').evaluateAll(os => os.map(o => (o as unknown as { value: string }).value).filter(Boolean));
    assert.ok(options.length >= 3, `three runs stored: ${options.join(', ')}`);
    let sawLoadPayload = false;
    let before = (await frame.locator('#app').textContent()) ?? '';
    for (const id of options) {
      await frame.locator('#run-picker').selectOption(id);
      // The old view stays "drawn" until the new one replaces it: wait for the text to change.
      let text = before;
      for (let waited = 0; waited < 30_000 && (text === before || (await frame.locator('.view-host[data-state="drawn"]').count()) === 0); waited += 250) {
        await page.waitForTimeout(250);
        text = (await frame.locator('#app').textContent()) ?? '';
      }
      before = text;
      // The load view names requests by method and route; its suite name is markup.
      if (text.includes('Load test') && text.includes('<i>load</i>')) sawLoadPayload = true;
      assert.strictEqual(await frame.locator('#app img, #app svg[onload], #app script').count(), 0, `run ${id}: payload markup became elements`);
      assertClean(await probe(frame.locator('body')), `webview (${id})`);
    }
    assert.ok(sawLoadPayload, 'the load run shows its suite name <i>load</i> as text');
    const all = (await frame.locator('#app').textContent()) ?? '';
    assert.ok(all.length > 0);
    assertClean(await probe(page.locator('body')), 'workbench after the panel');
    await screenshot(page, 'hostile-3-panel');
  });

  it('a payload name is literal text in the benchmarks table too', async function () {
    this.timeout(60_000);
    const frame = webviewFrame(page);
    const options = await frame.locator('#run-picker option').allTextContents();
    const bench = options.findIndex(o => /pytest/i.test(o));
    if (bench >= 0) {
      const value = await frame.locator('#run-picker option').nth(bench).getAttribute('value');
      await frame.locator('#run-picker').selectOption(value ?? '');
      await frame.locator('.view-host[data-state="drawn"]').waitFor({ timeout: 30_000 });
    }
    const cells = await frame.locator('#app').textContent();
    assert.ok((cells ?? '').includes(PAYLOAD_IMG) || (cells ?? '').includes('onerror'), 'the payload is visible as text');
  });
});
