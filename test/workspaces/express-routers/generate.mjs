// Regenerate routes.txt: the routes Express itself holds for src/app.js and src/server.mjs
// (method and full path, walking the router stack of mounted routers), which
// test/unit/locate/crossFile.test.ts compares with the located endpoints. Uses the project's
// express (node_modules). Run: node test/workspaces/express-routers/generate.mjs
import { createRequire } from 'module';
import { writeFileSync } from 'fs';

const require = createRequire(import.meta.url);
const { app } = require('./src/app.js');
const { default: server } = await import('./src/server.mjs');

/** A mounted router's path from its layer regexp (Express 4 keeps no string): ^\/api\/?(?=\/|$) → /api. */
function mountPath(layer) {
  return layer.regexp.source.replace(/\\\/\?\(\?=\\\/\|\$\)$/, '').replace(/^\^/, '').replace(/\\\//g, '/');
}

function walk(stack, prefix, out) {
  for (const layer of stack) {
    if (layer.route) for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${prefix}${layer.route.path}`);
    else if (layer.name === 'router') walk(layer.handle.stack, prefix + mountPath(layer), out);
  }
  return out;
}

const rows = [...walk(app._router.stack, '', []), ...walk(server._router.stack, '', [])].sort();
writeFileSync(new URL('./routes.txt', import.meta.url), rows.join('\n') + '\n');
