// Guards the layering: src/core is pure Node (the CLI and CI run it without VS Code).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './helpers';

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const importsVscode = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

describe('architecture', () => {
  for (const floor of ['core', 'util', 'shared']) {
    it(`src/${floor} never imports vscode`, () => {
      const dir = path.join(repoRoot, 'src', floor);
      if (!fs.existsSync(dir)) return;
      const offenders = tsFiles(dir).filter(f => importsVscode.test(fs.readFileSync(f, 'utf8')));
      assert.deepStrictEqual(offenders.map(f => path.relative(repoRoot, f)), []);
    });
  }

  it('the guard itself recognises every import form', () => {
    for (const s of [`import * as vscode from 'vscode';`, `import { window } from "vscode"`, `const v = require('vscode')`, `await import('vscode')`]) {
      assert.ok(importsVscode.test(s), s);
    }
    assert.ok(!importsVscode.test(`import { x } from './vscode-like'`));
  });
});
