// The history chart in the real webview bundle (dist/webview.js, headless Chromium): a level
// shift found by the host is listed under the title and marked on the chart (legend entry
// "level shift"). Needs `npm run build` first; skipped with a message when the bundle is missing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/browser';
import { buildView, RunListSource, type StoredRun } from '../../../src/features/panelData';
import { createRng } from '../../../src/core/stats/random';
import type { HostMessage, WebviewMessage } from '../../../src/shared/protocol';
import { repoRoot } from '../helpers';
import { makeRun } from '../store/runs';

const bundle = path.join(repoRoot, 'dist', 'webview.js');

describe('webview: level shifts on the history chart', function () {
  this.timeout(20_000);
  let browser: Browser;
  let page: Page;
  const rng = createRng(5);
  const runs: StoredRun[] = Array.from({ length: 24 }, (_, i) => {
    const r = makeRun({ ids: ['bench'], value: 0.002 * (i >= 14 ? 1.2 : 1) * Math.exp(0.01 * rng.normal()), samples: 9, id: `run${i}`, startedAt: new Date(Date.UTC(2026, 10, 1, i)).toISOString() });
    r.git = { commit: `${String(i).padStart(2, '0')}feed${'0'.repeat(34)}` };
    return r as StoredRun;
  });
  const source = new RunListSource(runs);
  const toPage = (m: HostMessage) => page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
  async function until(expr: string, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await page.evaluate(expr))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expr}`);
      await new Promise(r => setTimeout(r, 25));
    }
  }

  before(async function () {
    if (!fs.existsSync(bundle)) {
      console.warn(`    (skipped: ${bundle} is missing; run \`npm run build\`)`);
      this.skip();
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.route('http://panel.test/**', async route => {
      const rel = new URL(route.request().url()).pathname.slice(1);
      const file = rel === 'index.html' ? path.join(repoRoot, 'test', 'unit', 'webview', 'harness.html') : path.join(repoRoot, rel);
      await route.fulfill({ body: fs.readFileSync(file), contentType: rel.endsWith('.css') ? 'text/css' : rel.endsWith('.js') ? 'text/javascript' : 'text/html' });
    });
    await page.exposeFunction('__toHost', async (m: WebviewMessage) => {
      if (m.type !== 'request' || m.request.kind !== 'view') return;
      await toPage({ type: 'reply', requestSeq: m.seq, ok: true, result: { kind: 'view', data: await buildView(source, m.request.query) } });
    });
    await page.goto('http://panel.test/index.html');
  });

  after(async () => {
    await browser?.close();
  });

  it('lists the shift with its commit and marks it on the chart', async () => {
    const metas = await source.listRuns();
    await toPage({ type: 'show', content: { workspaces: ['w'], runCount: metas.length, headline: '', runs: metas, initialView: { view: 'history', seriesId: 'bench' } } });
    await until(`document.querySelector('.view-host')?.dataset.view === 'history' && document.querySelector('.view-host')?.dataset.state === 'drawn'`);
    const items = await page.locator('.view-history li.shift').allTextContents();
    assert.strictEqual(items.length, 1, items.join('\n'));
    assert.match(items[0], /^Level shift: shifted at commit 14feed0 \(\+(1[89]|2[01])\.?\d*%\) · confidence \d+%$/);
    assert.match((await page.locator('.view-history .u-legend').textContent()) ?? '', /level shift/);
    fs.mkdirSync(path.join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'history-level-shift.png') });
  });
});
