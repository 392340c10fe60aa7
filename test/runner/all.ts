// `npm test` after compile and build: unit tests (plain mocha), then the integration and
// UI tests in a real VS Code (see offline.ts), then one closing total.
import * as fs from 'fs';
import * as path from 'path';
import { runVscodeTests } from './offline';
import { add, runMain, runMocha } from './mochaRun';

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.js') ? [p] : [];
  }).sort();
}

runMain(async () => {
  process.stdout.write('== unit tests (mocha, no VS Code)\n');
  const unit = await runMocha(testFiles(path.join(process.cwd(), 'out', 'test', 'unit')), 20_000);
  process.stdout.write(`\nunit: ${unit.passes} passed, ${unit.failures} failed\n`);
  if (process.env.PERF_LENS_SKIP_VSCODE === '1') return unit;
  process.stdout.write('\n== integration and UI tests in a real VS Code (code-server + Chromium)\n');
  const vscode = await runVscodeTests();
  process.stdout.write(`\nvscode: ${vscode.passes} passed, ${vscode.failures} failed\n`);
  return add(unit, vscode);
});
