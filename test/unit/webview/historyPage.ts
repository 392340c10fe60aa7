// The panel's webview bundle in headless Chromium, served from test/unit/webview/harness.html,
// with the host side answered by `answer` (not a test file itself). Shared by the history-chart tests.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/browser';
import { buildView, type PanelDataSource } from '../../../src/features/panelData';
import type { HostMessage, ViewData, WebviewMessage } from '../../../src/shared/protocol';
import { repoRoot } from '../helpers';

export interface HarnessPage {
  browser: Browser;
  page: Page;
  toPage(m: HostMessage): Promise<unknown>;
  until(expr: string, timeoutMs?: number): Promise<void>;
  /** Shows the history view of `seriesId` over the source's runs and waits until it is drawn. */
  showHistory(seriesId: string): Promise<void>;
}

/** Opens the bundle; view requests are answered from `source`, each view passed through `adapt`. */
export async function openHistoryPage(bundle: string, source: PanelDataSource, adapt: (v: ViewData) => ViewData = v => v): Promise<HarnessPage> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const toPage = (m: HostMessage) => page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
  const until = async (expr: string, timeoutMs = 8000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await page.evaluate(expr))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expr}`);
      await new Promise(r => setTimeout(r, 25));
    }
  };
  await page.route('http://panel.test/**', async route => {
    const rel = new URL(route.request().url()).pathname.slice(1);
    const file = rel === 'index.html' ? path.join(repoRoot, 'test', 'unit', 'webview', 'harness.html') : rel === 'dist/webview.js' ? bundle : path.join(repoRoot, rel);
    await route.fulfill({ body: fs.readFileSync(file), contentType: rel.endsWith('.css') ? 'text/css' : rel.endsWith('.js') ? 'text/javascript' : 'text/html' });
  });
  await page.exposeFunction('__toHost', async (m: WebviewMessage) => {
    if (m.type !== 'request' || m.request.kind !== 'view') return;
    await toPage({ type: 'reply', requestSeq: m.seq, ok: true, result: { kind: 'view', data: adapt(await buildView(source, m.request.query)) } });
  });
  await page.goto('http://panel.test/index.html');
  const showHistory = async (seriesId: string) => {
    const metas = await source.listRuns();
    await toPage({ type: 'show', content: { workspaces: ['w'], runCount: metas.length, headline: '', runs: metas, initialView: { view: 'history', seriesId } } });
    await until(`document.querySelector('.view-host')?.dataset.view === 'history' && document.querySelector('.view-host')?.dataset.state === 'drawn'`);
  };
  return { browser, page, toPage, until, showHistory };
}
