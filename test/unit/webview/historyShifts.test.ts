// The history chart in the real webview bundle (dist/webview.js, headless Chromium): a level
// shift found by the host is listed under the title and marked on the chart (legend entry
// "level shift"). Needs `npm run build` first; skipped with a message when the bundle is missing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunListSource, type StoredRun } from '../../../src/features/panelData';
import { createRng } from '../../../src/core/stats/random';
import { repoRoot } from '../helpers';
import { makeRun } from '../store/runs';
import { openHistoryPage, type HarnessPage } from './historyPage';

const bundle = path.join(repoRoot, 'dist', 'webview.js');

describe('webview: level shifts on the history chart', function () {
  this.timeout(20_000);
  const rng = createRng(5);
  const runs: StoredRun[] = Array.from({ length: 24 }, (_, i) => {
    const r = makeRun({ ids: ['bench'], value: 0.002 * (i >= 14 ? 1.2 : 1) * Math.exp(0.01 * rng.normal()), samples: 9, id: `run${i}`, startedAt: new Date(Date.UTC(2026, 10, 1, i)).toISOString() });
    r.git = { commit: `${String(i).padStart(2, '0')}feed${'0'.repeat(34)}` };
    return r as StoredRun;
  });
  const source = new RunListSource(runs);
  let h: HarnessPage;

  before(async function () {
    if (!fs.existsSync(bundle)) {
      console.warn(`    (skipped: ${bundle} is missing; run \`npm run build\`)`);
      this.skip();
    }
    h = await openHistoryPage(bundle, source);
  });

  after(async () => {
    await h?.browser.close();
  });

  it('lists the shift with its commit and marks it on the chart', async () => {
    await h.showHistory('bench');
    const page = h.page;
    const items = await page.locator('.view-history li.shift').allTextContents();
    assert.strictEqual(items.length, 1, items.join('\n'));
    assert.match(items[0], /^Level shift: shifted at commit 14feed0 \(\+(1[89]|2[01])\.?\d*%\) · confidence \d+%$/);
    assert.match((await page.locator('.view-history .u-legend').textContent()) ?? '', /level shift/);
    fs.mkdirSync(path.join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'history-level-shift.png') });
  });
});
