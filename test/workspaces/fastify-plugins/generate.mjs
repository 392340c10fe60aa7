// Regenerate routes.txt: the routes Fastify itself registers for src/app.js's build() (method and
// full path, from its onRoute hook; the HEAD routes it adds to every GET left out), which
// test/unit/locate/crossFile.test.ts compares with the located endpoints. Installs fastify into a
// temp folder (not a project dependency). Run: node test/workspaces/fastify-plugins/generate.mjs
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import Module, { createRequire } from 'module';
import { tmpdir } from 'os';
import { join } from 'path';

const dir = mkdtempSync(join(tmpdir(), 'fastify-routes-'));
try {
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefix', dir, 'fastify'], { stdio: 'inherit' });
  process.env.NODE_PATH = join(dir, 'node_modules');
  Module._initPaths();
  const app = createRequire(import.meta.url)('./src/app.js').build();
  const rows = [];
  app.addHook('onRoute', r => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') rows.push(`${m} ${r.url}`);
  });
  await app.ready();
  await app.close();
  writeFileSync(new URL('./routes.txt', import.meta.url), rows.sort().join('\n') + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
