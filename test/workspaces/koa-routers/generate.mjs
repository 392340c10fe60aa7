// Regenerate routes.txt: the routes @koa/router itself holds for src/app.js (method and full path,
// from the stack of each router the app mounts; HEAD, which the router adds to every GET route,
// left out), which test/unit/locate/crossFile.test.ts compares with the located endpoints.
// Installs koa and @koa/router into a temp folder (not project dependencies).
// Run: node test/workspaces/koa-routers/generate.mjs
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import Module, { createRequire } from 'module';
import { tmpdir } from 'os';
import { join } from 'path';

const dir = mkdtempSync(join(tmpdir(), 'koa-routes-'));
try {
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefix', dir, 'koa', '@koa/router'], { stdio: 'inherit' });
  // The fixture's require('koa') resolves from the temp folder.
  process.env.NODE_PATH = join(dir, 'node_modules');
  Module._initPaths();
  const { app } = createRequire(import.meta.url)('./src/app.js');
  const rows = [];
  for (const mw of app.middleware) {
    for (const layer of mw.router?.stack ?? []) for (const m of layer.methods) if (m !== 'HEAD') rows.push(`${m} ${layer.path}`);
  }
  writeFileSync(new URL('./routes.txt', import.meta.url), rows.sort().join('\n') + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
