import * as assert from 'assert';
import { parseProjectConfig, type FrontendSuite } from '../../../src/core/config/projectConfig';
import { pagesForFile } from '../../../src/core/ingest/lighthousePages';
import { frontendCommand, frontendSupportFiles, manifestFile, reportFile } from '../../../src/core/ingest/lighthouseRun';

function suiteOf(settings: Record<string, unknown>, name = 'pages'): FrontendSuite {
  const cfg = parseProjectConfig('/ws/perf-lens.config.json', { suites: { [name]: { kind: 'frontend', ...settings } } });
  return cfg.suites[0] as FrontendSuite;
}

describe('frontend suites (Lighthouse)', () => {
  it('reads the config with defaults: 3 runs, Debian chromium headless, npx lighthouse, a manifest result', () => {
    const s = suiteOf({ urls: ['http://127.0.0.1:3000/', 'http://localhost:3000/dashboard'] });
    assert.deepStrictEqual(
      [s.runs, s.chromePath, s.chromeFlags, s.lighthouse, s.formFactor, s.throttling, s.results],
      [3, '/usr/bin/chromium', '--headless=new --no-sandbox', 'npx --no-install lighthouse', 'mobile', 'simulate', ['.perf/results/pages/manifest.json']],
    );
  });

  it('names the field of every mistake', () => {
    const fails = (settings: Record<string, unknown>, re: RegExp) => assert.throws(() => suiteOf(settings), re);
    fails({ urls: ['https://example.com/'] }, /not a local http\(s\) URL .*\(field suites\.pages\.urls\[0\]\)/);
    fails({ urls: [] }, /at least one URL \(field suites\.pages\.urls\)/);
    fails({}, /missing \(expected array\) \(field suites\.pages\.urls\)/);
    fails({ urls: ['http://127.0.0.1/'], runs: 2.5 }, /whole number of runs.*\(field suites\.pages\.runs\)/);
    fails({ urls: ['http://127.0.0.1/'], formFactor: 'tablet' }, /"tablet" is not one of mobile, desktop/);
    fails({ urls: ['http://127.0.0.1/'], pages: { '/': '../outside.html' } }, /must be a path inside the workspace folder \(field suites\.pages\.pages\.\/\)/);
    fails({ urls: ['http://127.0.0.1/'], command: 'lhci autorun' }, /names the result file\(s\) it writes\) \(field suites\.pages\.results\)/);
  });

  it('runs Lighthouse runs × URLs times with the generated config and lists every report in the manifest', () => {
    const s = suiteOf({ urls: ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/dashboard?tab=2'], runs: 2, throttling: 'provided' });
    const cmd = frontendCommand(s);
    assert.ok(cmd.startsWith("sh -c '"), cmd);
    assert.strictEqual(cmd.match(/npx --no-install lighthouse /g)?.length, 4);
    assert.ok(cmd.includes('--config-path=.perf/lighthouse/pages/lighthouse.config.mjs'));
    assert.ok(cmd.includes("--chrome-flags='\\''--headless=new --no-sandbox'\\''"), cmd);
    assert.ok(cmd.includes('export CHROME_PATH=/usr/bin/chromium'));
    assert.strictEqual(reportFile(s, s.urls[1], 1, 2), '.perf/lighthouse/pages/02-dashboard-tab-2-run2.report.json');
    const json = /printf '\\''%s\\n'\\'' '\\''(.*)'\\'' > \.perf\/results\/pages\/manifest\.json/.exec(cmd)?.[1];
    assert.ok(json, cmd);
    const entries = JSON.parse(json) as { url: string; jsonPath: string }[];
    assert.deepStrictEqual(entries.map(e => e.jsonPath), [
      '../../lighthouse/pages/01-index-run1.report.json',
      '../../lighthouse/pages/01-index-run2.report.json',
      '../../lighthouse/pages/02-dashboard-tab-2-run1.report.json',
      '../../lighthouse/pages/02-dashboard-tab-2-run2.report.json',
    ]);
    assert.strictEqual(manifestFile(s), '.perf/results/pages/manifest.json');
    // From a suite cwd, every path is rewritten relative to it.
    const sub = suiteOf({ urls: ['http://127.0.0.1:8080/'], cwd: 'web' });
    assert.ok(frontendCommand(sub).includes('--output-path=../.perf/lighthouse/pages/01-index-run1.report.json'));
  });

  it('generates a config with the JS heap audit, and Lighthouse desktop numbers for formFactor desktop', () => {
    const files = frontendSupportFiles(suiteOf({ urls: ['http://127.0.0.1/'], formFactor: 'desktop', throttling: 'devtools' }));
    assert.deepStrictEqual(files.map(f => f.path), [
      '.perf/lighthouse/perf-lens-js-heap-gatherer.mjs',
      '.perf/lighthouse/perf-lens-js-heap-audit.mjs',
      '.perf/lighthouse/pages/lighthouse.config.mjs',
    ]);
    const config = files[2].content;
    assert.ok(config.includes('"formFactor":"desktop"') && config.includes('"throttlingMethod":"devtools"') && config.includes('"width":1350'), config);
    assert.ok(config.includes('here("../perf-lens-js-heap-gatherer.mjs")'), config);
    assert.ok(files[0].content.includes("sendCommand('Runtime.getHeapUsage')"));
    assert.ok(!frontendSupportFiles(suiteOf({ urls: ['http://127.0.0.1/'] }))[2].content.includes('formFactor'));
  });

  it('maps pages to files: the pages setting first, else conventions', () => {
    const cfg = parseProjectConfig('/ws/perf-lens.config.json', {
      suites: {
        web: { kind: 'frontend', urls: ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000/dashboard', 'http://127.0.0.1:3000/videos.html'], pages: { '/dashboard': 'src/views/Dash.tsx' } },
        bench: { kind: 'regression', command: 'x', results: 'r.json' },
      },
    });
    const at = (file: string) => pagesForFile(file, cfg.suites).map(p => p.path);
    assert.deepStrictEqual(at('src/views/Dash.tsx'), ['/dashboard']);
    assert.deepStrictEqual(at('src/pages/dashboard.tsx'), []); // the explicit mapping wins
    assert.deepStrictEqual(at('public/index.html'), ['/']);
    assert.deepStrictEqual(at('pages/index.vue'), ['/']);
    assert.deepStrictEqual(at('public/videos.html'), ['/videos.html']);
    assert.deepStrictEqual(at('src/lib/videos.ts'), []);
    const conv = parseProjectConfig('/ws/perf-lens.config.json', { suites: { web: { kind: 'frontend', urls: ['http://127.0.0.1:3000/projects/list'] } } });
    assert.deepStrictEqual(pagesForFile('app/pages/projects/list/index.tsx', conv.suites).map(p => p.path), ['/projects/list']);
    assert.deepStrictEqual(pagesForFile('src/pages/projects/list.jsx', conv.suites).map(p => p.path), ['/projects/list']);
  });
});
