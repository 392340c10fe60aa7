// The foundation's UI checks on the real workbench: a Perf Lens lens is rendered on a
// test file, the palette opens the panel, and clicking the lens focuses the panel on that file.
import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { openWorkbench, runFromPalette, screenshot, webviewFrame } from './workbench';

describe('workbench: lens and panel (basic workspace)', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, 'basic', 'tests/test_api.py');
  });

  after(async () => {
    if (page) await screenshot(page, 'basic-last-state').catch(() => undefined);
    await browser?.close();
  });

  it('renders the Perf Lens lens above the pytest file', async () => {
    const lens = page.locator('.codelens-decoration a', { hasText: 'Perf Lens' });
    await lens.first().waitFor({ timeout: 60_000 });
    assert.strictEqual(await lens.count(), 1);
    assert.match(((await lens.first().textContent()) ?? '').trim(), /^Perf Lens · no results yet$/);
    await screenshot(page, 'basic-1-lens');
  });

  it('opens the panel from the command palette', async () => {
    await runFromPalette(page, 'Perf Lens: Show Panel');
    await page.locator('.tabs-container .tab', { hasText: 'Perf Lens' }).first().waitFor({ timeout: 30_000 });
    const app = webviewFrame(page).locator('#app[data-state="rendered"]');
    await app.waitFor({ timeout: 30_000 });
    assert.match((await app.textContent()) ?? '', /No runs stored yet/);
    await screenshot(page, 'basic-2-panel-from-palette');
  });

  it('focuses the panel on the file when its lens is clicked', async () => {
    await page.locator('.codelens-decoration a', { hasText: 'Perf Lens' }).first().click();
    const focus = webviewFrame(page).locator('.focus a', { hasText: 'tests/test_api.py' });
    await focus.waitFor({ timeout: 30_000 });
    await screenshot(page, 'basic-3-panel-from-lens');
  });
});
