// extensionTestsPath entry, the same for both launchers (code-server and
// @vscode/test-electron): runs the mocha suites of the opened fixture workspace,
// i.e. out/test/integration/suites/<workspace folder name>/*.test.js.
// Console output of the extension host is lost on exit, so the spec report goes
// to process.stdout and, with its counts, to a JSON file the launcher prints.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface SuiteReport {
  suite: string;
  passes: number;
  failures: number;
  pending: number;
  output: string[];
}

export function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return Promise.reject(new Error('integration tests need a fixture workspace folder open'));
  const suite = path.basename(folder.uri.fsPath);
  const dir = path.join(__dirname, 'suites', suite);
  if (!fs.existsSync(dir)) return Promise.reject(new Error(`no integration suite for workspace "${suite}" (${dir})`));

  const output: string[] = [];
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    const line = util.format(...args);
    output.push(line);
    process.stdout.write(`${line}\n`);
  };
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));

  const reportDir = process.env.PERF_LENS_TEST_OUT ?? os.tmpdir();
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      const report: SuiteReport = {
        suite,
        passes: runner.stats?.passes ?? 0,
        failures,
        pending: runner.stats?.pending ?? 0,
        output,
      };
      fs.mkdirSync(reportDir, { recursive: true });
      fs.writeFileSync(path.join(reportDir, `integration-${suite}.json`), JSON.stringify(report, null, 2));
      failures > 0 ? reject(new Error(`${failures} integration test(s) failed in ${suite}`)) : resolve();
    });
  });
}
