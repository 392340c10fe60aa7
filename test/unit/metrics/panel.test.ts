// The server-metrics charts in the real webview bundle (dist/webview.js, after `npm run build`;
// skipped with a message when it is missing), in headless Chromium with the production CSP, fed
// by the real panelData over a prometheus run built from real prom-client scrapes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/browser';
import { MetricsSession } from '../../../src/core/metrics/session';
import { buildView, RunListSource } from '../../../src/features/panelData';
import type { HostMessage, PanelContent, WebviewMessage } from '../../../src/shared/protocol';
import { repoRoot } from '../helpers';
import { expo } from './fixtures';

describe('server metrics in the panel (webview bundle in Chromium)', function () {
  this.timeout(30_000);
  let browser: Browser | undefined;
  let page: Page;
  const errors: string[] = [];

  before(async function () {
    if (!fs.existsSync(path.join(repoRoot, 'dist', 'webview.js'))) {
      console.log('      (dist/webview.js missing: run `npm run build` first)');
      this.skip();
    }
    const t0 = 1_700_000_000;
    const s = new MetricsSession();
    ['scrape-1.txt', 'scrape-2.txt', 'after-restart.txt'].forEach((f, i) => s.add({ t: t0 + 2 * i, expo: expo('node', f) }));
    const run = { ...s.toRun({ suite: 'api', kind: 'load', startedAt: new Date(t0 * 1000).toISOString() })!, id: 'server-run' };
    run.notes = ['alert responseTime: GET /api/slow/{id}: server p95 2.42 s > 1.00 s (approximate, from histogram buckets)', ...(run.notes ?? [])];
    const source = new RunListSource([run]);
    const runs = await source.listRuns();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    page.on('pageerror', e => errors.push(e.message));
    await page.route('http://panel.test/**', async route => {
      const rel = new URL(route.request().url()).pathname.slice(1);
      const file = rel === 'index.html' ? path.join(repoRoot, 'test', 'unit', 'webview', 'harness.html') : path.join(repoRoot, rel);
      await route.fulfill({ body: fs.readFileSync(file), contentType: rel.endsWith('.css') ? 'text/css' : rel.endsWith('.js') ? 'text/javascript' : 'text/html' });
    });
    const toPage = (m: HostMessage) => page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
    await page.exposeFunction('__toHost', async (m: WebviewMessage) => {
      if (m.type === 'ready') {
        const content: PanelContent = { workspaces: ['w'], runCount: 1, headline: '1 stored run', runs, initialView: { view: 'load', runId: 'server-run' } };
        await toPage({ type: 'show', content });
      }
      if (m.type !== 'request') return;
      if (m.request.kind === 'view') await toPage({ type: 'reply', requestSeq: m.seq, ok: true, result: { kind: 'view', data: await buildView(source, m.request.query) } });
      else await toPage({ type: 'reply', requestSeq: m.seq, ok: false, error: 'not emulated' });
    });
    await page.goto('http://panel.test/index.html');
    const deadline = Date.now() + 10_000;
    while (!(await page.evaluate(`document.querySelector('.view-host')?.dataset.state === 'drawn' && document.querySelectorAll('.server-metrics .chart canvas').length >= 3`))) {
      if (Date.now() > deadline) throw new Error(`server charts not drawn; page errors: ${errors.join('; ')}`);
      await new Promise(r => setTimeout(r, 50));
    }
  });

  after(async () => {
    await browser?.close();
  });

  it('draws throughput/5xx, p95 per route and memory/CPU charts with the findings, no page errors or CSP violations', async () => {
    const titles = (await page.evaluate(`[...document.querySelectorAll('.server-metrics h3')].map(h => h.textContent)`)) as string[];
    assert.deepStrictEqual(titles, ['Server metrics (Prometheus)', 'Server throughput and 5xx share', 'Server p95 by route (approximate, from histogram buckets)', 'Server memory and CPU']);
    const text = (await page.evaluate(`document.querySelector('.server-metrics').textContent`)) as string;
    assert.match(text, /alert responseTime: GET \/api\/slow\/\{id\}/);
    assert.match(text, /approximate/);
    const inked = (await page.evaluate(`[...document.querySelectorAll('.server-metrics .chart canvas')].map(c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })`)) as number[];
    assert.ok(inked.length >= 3 && inked.every(n => n > 500), inked.join(','));
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual(await page.evaluate('window.__violations'), []);
    fs.mkdirSync(path.join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'server-metrics-panel.png'), fullPage: true });
  });
});
