// `npm run test:vscode`: the integration suites inside a real VS Code extension host
// and the UI tests on the real workbench, with no download: code-server from the npm
// registry and headless Debian Chromium (see README "How tests run offline").
// Prints each suite's mocha report and ends with one total line.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launchChromium } from '../e2e/browser';
import type { SuiteReport } from '../integration/index';
import { remoteUri, startCodeServer, workbenchUrl, type CodeServer } from './codeServer';
import { runMain, runMocha, type Totals } from './mochaRun';

const repo = process.cwd();
const artifacts = path.resolve(process.env.PERF_LENS_ARTIFACTS ?? path.join(repo, 'test-artifacts'));
const suiteTimeoutMs = Number(process.env.PERF_LENS_SUITE_TIMEOUT_MS ?? 300_000);

function log(message: string): void {
  process.stdout.write(`[test:vscode ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function setUp(): string {
  const out = execFileSync('bash', [path.join(repo, 'test', 'runner', 'setup-offline-vscode.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop() as string;
}

/** Runs one integration suite: opens its workspace with our extension and tests loaded, waits for the exit code. */
async function runIntegrationSuite(server: CodeServer, ws: string, resultsDir: string): Promise<SuiteReport> {
  const suite = path.basename(ws);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    let exitCode: (code: number) => void = () => {};
    const exited = new Promise<number>(resolve => (exitCode = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => exitCode(code));
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', remoteUri(server.url, repo)],
      ['extensionTestsPath', remoteUri(server.url, path.join(repo, 'out', 'test', 'integration', 'index.js'))],
      ['skipWelcome', 'true'],
    ];
    await page.goto(workbenchUrl(server.url, ws, payload));
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<number>(r => (timer = setTimeout(() => r(124), suiteTimeoutMs)))]);
    clearTimeout(timer);
    const reportFile = path.join(resultsDir, `integration-${suite}.json`);
    if (fs.existsSync(reportFile)) {
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as SuiteReport;
      // Trust the exit code the workbench reports over anything else (see TESTING.md).
      if (code !== 0 && report.failures === 0) report.failures = 1;
      return report;
    }
    const reason = code === 124 ? `timed out after ${suiteTimeoutMs} ms` : `exit code ${code} and no report`;
    return { suite, passes: 0, failures: 1, pending: 0, output: [`integration suite ${suite}: ${reason} (server log: ${server.logFile})`] };
  } finally {
    await browser.close();
  }
}

function runE2e(): Promise<Totals> {
  const dir = path.join(repo, 'out', 'test', 'e2e');
  const only = process.env.PERF_LENS_E2E; // e.g. "basic,results": run only these UI test files
  const files = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.e2e.test.js') && (!only || only.split(',').some(o => f.startsWith(`${o}.`))))
    .sort()
    .map(f => path.join(dir, f));
  return runMocha(files, 180_000);
}

/** Integration suites in the extension host, then UI tests; returns the counts of both. */
export async function runVscodeTests(): Promise<Totals> {
  if (!fs.existsSync(path.join(repo, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const cache = setUp();
  fs.mkdirSync(artifacts, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-vscode-'));
  const wsRoot = path.join(runDir, 'ws');
  const resultsDir = path.join(runDir, 'results');
  // Tests run on copies: a test that writes baselines or settings never dirties the checkout.
  fs.cpSync(path.join(repo, 'test', 'workspaces'), wsRoot, { recursive: true });
  // The example projects double as fixtures (a suite folder of the same name tests them).
  const examples = path.join(repo, 'examples');
  if (fs.existsSync(examples)) {
    for (const e of fs.readdirSync(examples, { withFileTypes: true }).filter(d => d.isDirectory())) {
      fs.cpSync(path.join(examples, e.name), path.join(wsRoot, e.name), { recursive: true, filter: src => !src.includes(`${path.sep}node_modules`) });
    }
  }
  const onlySuites = process.env.PERF_LENS_SUITES; // e.g. "results": run only these integration suites ("" for none)
  const suites = fs
    .readdirSync(path.join(repo, 'out', 'test', 'integration', 'suites'))
    .filter(s => onlySuites === undefined || onlySuites.split(',').includes(s))
    .sort();

  const started = Date.now();
  const server = await startCodeServer({ cache, runDir, env: { PERF_LENS_TEST_OUT: resultsDir } });
  log(`code-server ready at ${server.url} in ${((Date.now() - started) / 1000).toFixed(1)} s (state in ${runDir})`);
  const totals: Totals = { passes: 0, failures: 0, pending: 0 };
  try {
    for (const suite of suites) {
      const t0 = Date.now();
      log(`integration suite "${suite}" in the extension host`);
      const report = await runIntegrationSuite(server, path.join(wsRoot, suite), resultsDir);
      process.stdout.write(report.output.join('\n') + '\n');
      log(`integration suite "${suite}": ${report.passes} passed, ${report.failures} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      totals.passes += report.passes;
      totals.failures += report.failures;
      totals.pending += report.pending;
    }
    Object.assign(process.env, {
      PERF_LENS_CS_URL: server.url,
      PERF_LENS_EXT_DIR: repo,
      PERF_LENS_WS_ROOT: wsRoot,
      PERF_LENS_ARTIFACTS: artifacts,
    });
    log('UI tests on the workbench');
    const e2e = await runE2e();
    totals.passes += e2e.passes;
    totals.failures += e2e.failures;
    totals.pending += e2e.pending;
  } finally {
    await server.stop();
    fs.copyFileSync(server.logFile, path.join(artifacts, 'code-server.log'));
  }
  log(`screenshots and logs in ${path.relative(repo, artifacts) || artifacts}`);
  return totals;
}

if (require.main === module) runMain(runVscodeTests);
