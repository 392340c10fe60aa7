import * as assert from 'assert';
import { lighthouseManifestParser } from '../../../src/core/ingest/lighthouse';
import { buildView, RunListSource, type StoredRun } from '../../../src/features/panelData';
import type { FrontendView } from '../../../src/shared/protocol';
import { fixture } from '../helpers';

describe('panel: frontend view of a Lighthouse run', () => {
  it('opens a lighthouse run as pages with each metric per run, verdicts against the previous run and budgets', async () => {
    const parsed = await lighthouseManifestParser.parse(fixture('lighthouse', 'suite', 'manifest.json'));
    const current: StoredRun = { ...parsed, id: 'run-2' };
    // The previous run: the same reports 1.6× slower, an hour earlier.
    const earlier = new Date(Date.parse(parsed.startedAt) - 3600_000).toISOString();
    const previous: StoredRun = { ...parsed, id: 'run-1', startedAt: earlier, series: parsed.series.map(s => ({ ...s, samples: s.samples?.map(x => x / 1.6) })) };
    const source = Object.assign(new RunListSource([previous, current]), {
      budgets: async () => [{ match: 'page:**#fcp', median: 0.3 }, { match: 'page:**#js-heap', maxRss: 50 * 1024 * 1024 }],
    });
    const v = (await buildView(source, { view: 'run', runId: 'run-2' })) as FrontendView;
    assert.strictEqual(v.view, 'frontend');
    assert.deepStrictEqual(v.pages.map(p => [p.path, p.metrics.length]), [['/', 7], ['/dashboard.html', 7]]);
    const dash = v.pages[1];
    const lcp = dash.metrics.find(m => m.key === 'lcp');
    assert.deepStrictEqual(lcp?.samples, parsed.series.find(s => s.id === 'page:/dashboard.html#lcp')?.samples);
    assert.strictEqual(v.comparedWith, 'baselines, else the previous run');
    // 3 runs a side cannot be significant at α = 0.01: an honest "inconclusive", not a pass.
    assert.strictEqual(lcp?.verdict, 'inconclusive', lcp?.reason);
    const fcp = dash.metrics.find(m => m.key === 'fcp');
    assert.strictEqual(fcp?.budgets.length, 1);
    assert.strictEqual(fcp?.budgets[0].ok, (fcp?.median as number) <= 0.3);
    assert.strictEqual(dash.metrics.find(m => m.key === 'js-heap')?.budgets[0].ok, true);
    assert.deepStrictEqual(dash.metrics.find(m => m.key === 'tti')?.budgets, []);
  });
});
