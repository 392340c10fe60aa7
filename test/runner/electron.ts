// `npm run test:electron`: the same integration suites as `npm run test:vscode`, launched
// by @vscode/test-electron in a desktop VS Code. Uses VSCODE_EXECUTABLE_PATH when set;
// otherwise test-electron downloads VS Code (needs network, so not on the offline machine).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const repo = process.cwd();
  const suites = fs.readdirSync(path.join(repo, 'out', 'test', 'integration', 'suites')).sort();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-electron-'));
  fs.cpSync(path.join(repo, 'test', 'workspaces'), path.join(work, 'ws'), { recursive: true });
  let failed = 0;
  for (const suite of suites) {
    try {
      await runTests({
        vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
        extensionDevelopmentPath: repo,
        extensionTestsPath: path.join(repo, 'out', 'test', 'integration', 'index.js'),
        launchArgs: [path.join(work, 'ws', suite), '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${path.join(work, 'user')}`],
        extensionTestsEnv: { PERF_LENS_TEST_OUT: path.join(work, 'results') },
      });
    } catch (e) {
      failed++;
      process.stderr.write(`integration suite ${suite} failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  return failed ? 1 : 0;
}

main().then(code => process.exit(code), e => { process.stderr.write(`${e}\n`); process.exit(2); });
