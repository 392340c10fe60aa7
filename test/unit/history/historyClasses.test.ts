// The history chart in the real webview bundle (headless Chromium) with runs of two machine
// classes: by default only this machine's runs and shifts are shown; the switch adds the other
// class as separate markers and its shift. The host side is simulated here: the points carry their
// run's machine class and the shifts are searched per class (chartShifts), as the protocol asks.
// Needs `npm run build` first (or PERF_LENS_WEBVIEW_BUNDLE=<a built webview.js>); skipped when missing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { chartShifts } from '../../../src/core/history/shifts';
import { createRng } from '../../../src/core/stats/random';
import { RunListSource, type StoredRun } from '../../../src/features/panelData';
import type { HistoryView } from '../../../src/shared/protocol';
import { repoRoot } from '../helpers';
import { makeRun } from '../store/runs';
import { openHistoryPage, type HarnessPage } from '../webview/historyPage';

const bundle = process.env.PERF_LENS_WEBVIEW_BUNDLE ?? path.join(repoRoot, 'dist', 'webview.js');

describe('webview: history chart per machine class', function () {
  this.timeout(20_000);
  const rng = createRng(8);
  // 20 runs here (a +20% shift at run 12) and, interleaved from run 6, 10 runs of a machine twice as slow.
  const cls = new Map<string, string>();
  const runs: StoredRun[] = [];
  for (let i = 0; i < 20; i++) {
    const r = makeRun({ ids: ['bench'], value: 0.002 * (i >= 12 ? 1.2 : 1) * Math.exp(0.01 * rng.normal()), samples: 9, id: `here${i}`, startedAt: new Date(Date.UTC(2026, 10, 1, i)).toISOString() });
    r.git = { commit: `${String(i).padStart(2, '0')}feed${'0'.repeat(34)}` };
    runs.push(r as StoredRun);
    cls.set(r.id as string, 'this-box');
    if (i >= 6 && i < 16) {
      const o = makeRun({ ids: ['bench'], value: 0.004 * Math.exp(0.01 * rng.normal()), samples: 9, id: `other${i}`, startedAt: new Date(Date.UTC(2026, 10, 1, i, 30)).toISOString() });
      runs.push(o as StoredRun);
      cls.set(o.id as string, 'ci-runner');
    }
  }
  const source = new RunListSource(runs);
  const withClasses = (v: HistoryView): HistoryView => {
    const points = v.points.map(p => ({ ...p, machineClass: cls.get(p.runId) }));
    return { ...v, points, machineClass: 'this-box', shifts: chartShifts(points, { seed: v.seriesId }) };
  };
  let h: HarnessPage;

  before(async function () {
    if (!fs.existsSync(bundle)) {
      console.warn(`    (skipped: ${bundle} is missing; run \`npm run build\`)`);
      this.skip();
    }
    h = await openHistoryPage(bundle, source, data => (data.view === 'history' ? withClasses(data) : data));
  });

  after(async () => {
    await h?.browser.close();
  });

  it("shows this machine's runs and shift by default; the switch adds the other class apart", async () => {
    await h.showHistory('bench');
    const { page, until } = h;
    const summary = async () => (await page.locator('.view-history p.muted').first().textContent()) ?? '';
    assert.match(await summary(), /^20 run\(s\) on this machine class \(this-box\);/);
    const shifts = async () => page.locator('.view-history li.shift').allTextContents();
    assert.deepStrictEqual((await shifts()).map(s => s.replace(/\(.*\)/, '()')), ['Level shift: shifted at commit 12feed0 () · confidence 100%']);
    const legend = async () => (await page.locator('.view-history .u-legend').textContent()) ?? '';
    assert.doesNotMatch(await legend(), /other machine class/);
    await page.locator('.view-history label.history-classes input').check();
    await until(`document.querySelectorAll('.view-history .u-legend').length === 1 && /other machine class/.test(document.querySelector('.view-history .u-legend').textContent)`);
    assert.match(await summary(), /^30 run\(s\): 20 on this machine class \(this-box\), 10 of other machines in purple;/);
    // The other class is flat: it adds markers, not a shift (mixed into one series it would read as two).
    assert.strictEqual((await shifts()).length, 1);
    fs.mkdirSync(path.join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'history-machine-classes.png') });
  });
});
