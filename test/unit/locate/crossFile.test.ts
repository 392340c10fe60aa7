import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CrossFileRoutes } from '../../../src/core/locate/crossFile';
import { locateSourceWithFacts } from '../../../src/core/locate/locate';
import type { ModuleFacts } from '../../../src/core/locate/crossFile';
import { scanWorkspace } from '../../../src/core/locate/scan';
import type { Finding } from '../../../src/core/locate/types';
import type { Series } from '../../../src/core/model';
import { matchSeries } from '../../../src/core/match/series';
import { DocumentItems } from '../../../src/workspace/documentItems';
import { WorkspaceIndex } from '../../../src/workspace/workspaceIndex';
import { summary, workspace, writeFile } from './workspace';

/** Endpoint ids of a scan, sorted like routes.txt. */
function endpointIds(files: ReadonlyMap<string, Finding[]>): string[] {
  return [...files.values()].flat().filter(f => f.kind === 'endpoint').map(f => f.id).sort();
}

/** What the framework itself registers (generate.sh beside the fixture). */
function realRoutes(project: string): string[] {
  return fs.readFileSync(workspace(project, 'routes.txt'), 'utf8').split('\n').filter(Boolean);
}

function locustSeries(method: string, route: string): Series {
  return { id: `${method} ${route}`, metric: 'duration', unit: 's', summary: {}, endpoint: { method, route, requests: 10, failures: 0 } };
}

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: src => !src.endsWith('routes.txt') && !src.endsWith('.sh') });
}

describe('locate: router prefixes across files (FastAPI, Flask, Express)', () => {
  it('FastAPI: APIRouter prefixes + include_router in another module, and mounted sub-applications, give the routes FastAPI registers', async () => {
    const r = await scanWorkspace(workspace('fastapi-routers'));
    assert.deepStrictEqual(endpointIds(r.files), realRoutes('fastapi-routers'));
    assert.deepStrictEqual(summary(r.files.get('app/routers/videos.py') ?? []), [
      'endpoint 6/5 GET /api/videos/{video_id}',
      'endpoint 11/10 POST /api/videos/upload',
      'endpoint 16/15 GET /api/videos/{video_id}/thumbnail',
      'endpoint 16/15 HEAD /api/videos/{video_id}/thumbnail',
    ]);
    // Relative import with an alias: from .routers.health import router as health_router.
    assert.deepStrictEqual(summary(r.files.get('app/routers/health.py') ?? []), ['endpoint 6/5 GET /health']);
    // A sub-application mounted from main.py (app.mount("/admin", admin_app)), its own router inside.
    assert.deepStrictEqual(summary(r.files.get('app/admin.py') ?? []), ['endpoint 8/7 GET /admin/reports/daily', 'endpoint 16/15 GET /admin/stats']);
  });

  it('a router mounted twice gets one finding per route on the same handler, and each name finds it', async () => {
    const r = await scanWorkspace(workspace('fastapi-routers'));
    assert.deepStrictEqual(summary(r.files.get('app/routers/legacy.py') ?? []), ['endpoint 6/5 GET /v1/status', 'endpoint 6/5 GET /legacy/status']);
    const located = [...r.files].flatMap(([file, fs]) => fs.map(finding => ({ file, finding })));
    for (const name of ['/v1/status', '/legacy/status']) {
      const m = matchSeries(locustSeries('GET', name), located);
      assert.ok(m.status === 'matched' && m.target.file === 'app/routers/legacy.py' && m.target.finding.name === 'legacy_status', name);
    }
  });

  it('a Locust name (/api/videos/[id]) and a concrete URL find the handler in the router module', async () => {
    const r = await scanWorkspace(workspace('fastapi-routers'));
    const located = [...r.files].flatMap(([file, fs]) => fs.map(finding => ({ file, finding })));
    for (const [method, route, handler] of [
      ['GET', '/api/videos/[id]', 'get_video'],
      ['GET', 'http://127.0.0.1:8000/api/projects/p-1/videos', 'project_videos'],
      ['HEAD', '/api/videos/7/thumbnail', 'thumbnail'],
    ]) {
      const m = matchSeries(locustSeries(method, route), located);
      assert.ok(m.status === 'matched', `${route}: ${m.status}`);
      assert.strictEqual(m.target.finding.name, handler);
      assert.strictEqual(m.target.finding.nameRange.start.line, handler === 'thumbnail' ? 16 : 6);
    }
    // Without the cross-file pass, the in-file route would not match: prove the test can fail.
    const alone = (await locateSourceWithFacts(fs.readFileSync(workspace('fastapi-routers', 'app/routers/videos.py'), 'utf8'), 'app/routers/videos.py')).findings;
    assert.strictEqual(matchSeries(locustSeries('GET', '/api/videos/[id]'), alone.map(finding => ({ file: 'app/routers/videos.py', finding }))).status, 'none');
  });

  it('ignores include_router lookalikes in comments and strings', async () => {
    const r = await scanWorkspace(workspace('fastapi-routers'));
    const ids = endpointIds(r.files);
    assert.ok(!ids.some(id => id.includes('commented-out') || id.includes('in-a-string')), ids.join(', '));
    const facts = r.facts?.get('app/main.py');
    assert.deepStrictEqual(facts?.mounts.map(m => `${m.parent} <- ${m.child} ${m.prefix ?? ''}`), [
      'api <- videos.router ',
      'api <- projects.router ',
      'app <- api ',
      'app <- health_router ',
      'app <- legacy.router /v1',
      'app <- legacy.router /legacy',
      'app <- admin_app /admin',
      'app <- internal /internal',
    ]);
  });

  it('Flask: blueprints registered in an app factory, url_prefix replacing the own one, nested blueprints', async () => {
    const r = await scanWorkspace(workspace('flask-blueprints'));
    assert.deepStrictEqual(endpointIds(r.files), realRoutes('flask-blueprints'));
    assert.deepStrictEqual(summary(r.files.get('shop/catalog.py') ?? []), ['endpoint 6/5 GET /shop/catalog/items/<item_id>']);
    assert.deepStrictEqual(summary(r.files.get('shop/api/reports.py') ?? []), ['endpoint 6/5 POST /api/v1/reports/daily']);
    const located = [...r.files].flatMap(([file, fs]) => fs.map(finding => ({ file, finding })));
    const m = matchSeries(locustSeries('GET', '/shop/catalog/items/[id]'), located);
    assert.ok(m.status === 'matched' && m.target.finding.name === 'get_item');
  });

  it('Django: include() of URLconfs by dotted string, module object and (urlconf, app) tuple, nested, regex and inline prefixes give the routes Django resolves', async () => {
    const r = await scanWorkspace(workspace('django-includes'));
    assert.deepStrictEqual(endpointIds(r.files), realRoutes('django-includes'));
    // The app's URLconf has no prefix of its own: it is served under both of the project's mounts.
    assert.deepStrictEqual(summary(r.files.get('videos/urls.py') ?? []).slice(0, 4), [
      'endpoint 6/6 * /api/',
      'endpoint 6/6 * /api/v2/',
      'endpoint 7/7 * /api/videos/<int:video_id>/',
      'endpoint 7/7 * /api/v2/videos/<int:video_id>/',
    ]);
    const located = [...r.files].flatMap(([file, fs]) => fs.map(finding => ({ file, finding })));
    const m = matchSeries(locustSeries('GET', '/legacy/[id]/videos/'), located);
    assert.ok(m.status === 'matched' && m.target.file === 'projects/urls.py' && m.target.finding.name === 'views.project_videos', JSON.stringify(m));
  });

  it('Express: routers exported by modules (plain or from factories) and mounted with app.use(prefix, require(…) | import) give the routes Express holds', async () => {
    const r = await scanWorkspace(workspace('express-routers'));
    assert.deepStrictEqual(endpointIds(r.files), realRoutes('express-routers'));
    assert.deepStrictEqual(summary(r.files.get('src/routes/videos.js') ?? []), ['endpoint 5/5 GET /api/videos/:videoId', 'endpoint 9/9 POST /api/videos/upload']);
    assert.deepStrictEqual(summary(r.files.get('src/routes/projects.js') ?? []), ['endpoint 7/5 GET /api/projects/:projectId/videos', 'endpoint 8/5 POST /api/projects/:projectId/videos']);
    assert.deepStrictEqual(summary(r.files.get('src/routes/reports.mjs') ?? []), ['endpoint 4/4 GET /reports/daily']);
    const located = [...r.files].flatMap(([file, fs]) => fs.map(finding => ({ file, finding })));
    const m = matchSeries(locustSeries('GET', '/api/videos/[id]'), located);
    assert.ok(m.status === 'matched' && m.target.file === 'src/routes/videos.js' && m.target.finding.nameRange.start.line === 5);
    assert.deepStrictEqual(r.facts?.get('src/app.js')?.mounts.map(x => `${x.parent} <- ${x.child} ${x.prefix ?? ''}`), [
      'api <- require#0 /videos',
      'api <- projects /projects',
      'api <- require#1 ',
      'app <- api /api',
      'app <- health ',
    ]);
  });

  it('Express router factories: a function returning the router it made stands for it where its call is mounted', async () => {
    const r = await scanWorkspace(workspace('express-routers'));
    // module.exports = function uploadsRouter(store) {…}, mounted as require('./routes/uploads')(store) under /api.
    assert.deepStrictEqual(summary(r.files.get('src/routes/uploads.js') ?? []), ['endpoint 6/6 POST /api/uploads', 'endpoint 7/7 GET /api/uploads/:uploadId']);
    // export function makeAdminRouter / export const makeMetricsRouter = () => …, imported by name and called in app.use.
    assert.deepStrictEqual(summary(r.files.get('src/routes/admin.mjs') ?? []), ['endpoint 5/5 DELETE /admin/cache', 'endpoint 11/11 GET /metrics']);
    assert.deepStrictEqual(r.facts?.get('src/routes/admin.mjs')?.exports, { makeAdminRouter: 'admin', makeMetricsRouter: 'metrics' });
    // Middleware from packages (express.json()) is not taken for a factory of ours.
    assert.ok(!r.facts?.get('src/app.js')?.mounts.some(x => x.child.startsWith('express')));
  });

  it('Koa: @koa/router prefixes of their own and routers nested with use(prefix, router.routes()) from another module give the routes koa-router holds', async () => {
    const r = await scanWorkspace(workspace('koa-routers'));
    assert.deepStrictEqual(endpointIds(r.files), realRoutes('koa-routers'));
    assert.deepStrictEqual(summary(r.files.get('src/routes/users.js') ?? []), ['endpoint 6/6 GET /api/users/:userId', 'endpoint 9/9 POST /api/users']);
    assert.deepStrictEqual(summary(r.files.get('src/routes/items.js') ?? []), ['endpoint 6/6 GET /items/:itemId', 'endpoint 9/9 DELETE /items/:itemId']);
    assert.deepStrictEqual(r.facts?.get('src/app.js')?.mounts.map(x => `${x.parent} <- ${x.child} ${x.prefix ?? ''}`), ['api <- users /users', 'app <- api ', 'app <- items ']);
  });

  it('Fastify: plugins in other modules registered with a prefix, and a plugin registering another, give the routes Fastify registers', async () => {
    const r = await scanWorkspace(workspace('fastify-plugins'));
    assert.deepStrictEqual(endpointIds(r.files), realRoutes('fastify-plugins'));
    // module.exports = async function (fastify) {…}, registered under /api/videos; it registers uploads under /uploads.
    assert.deepStrictEqual(summary(r.files.get('src/routes/uploads.js') ?? []), ['endpoint 3/3 POST /api/videos/uploads/new', 'endpoint 4/4 GET /api/videos/uploads/:uploadId']);
    assert.deepStrictEqual(r.facts?.get('src/routes/videos.js')?.mounts.map(x => `${x.parent} <- ${x.child} ${x.prefix ?? ''}`), ['exports#default <- require#0 /uploads']);
  });

  it('Go (gin): groups handed to registration functions in this package\'s other files and in other packages give the routes gin registers', async () => {
    const r = await scanWorkspace(workspace('gin-groups'));
    assert.deepStrictEqual(endpointIds(r.files), realRoutes('gin-groups'));
    // One registration function served under two groups (api, api.Group("/v2")), a group made inside it.
    assert.deepStrictEqual(summary(r.files.get('videos/routes.go') ?? []), [
      'endpoint 6/6 GET /api/videos/:id',
      'endpoint 6/6 GET /api/v2/videos/:id',
      'endpoint 8/8 POST /api/uploads/new',
      'endpoint 8/8 POST /api/v2/uploads/new',
      'endpoint 9/9 GET /api/uploads/:uploadId',
      'endpoint 9/9 GET /api/v2/uploads/:uploadId',
    ]);
    // Same package, another file; a group made in the call (adm.Routes(r.Group("/admin"))), an aliased import.
    assert.deepStrictEqual(summary(r.files.get('server/health.go') ?? []), ['endpoint 5/5 GET /health']);
    assert.deepStrictEqual(summary(r.files.get('internal/admin/admin.go') ?? []), ['endpoint 6/6 DELETE /admin/cache']);
    const located = [...r.files].flatMap(([file, fs]) => fs.map(finding => ({ file, finding })));
    const m = matchSeries(locustSeries('GET', '/api/v2/videos/42'), located);
    assert.ok(m.status === 'matched' && m.target.file === 'videos/routes.go', JSON.stringify(m));
  });

  describe('import forms', () => {
    let root: string;
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-imports-'));
      const files: [string, string][] = [
        // Python under backend/ (the package root is not the workspace root), a re-export through
        // a package __init__.py, and `import a.b.c` followed attribute by attribute.
        ['backend/app/__init__.py', ''],
        ['backend/app/routers/__init__.py', 'from .items import router as items_router\n'],
        ['backend/app/routers/items.py', 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/items")\n\n@router.get("/{item_id}")\ndef get_item(item_id: int):\n    return {}\n'],
        ['backend/app/routers/users.py', 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/users")\n\n@router.get("/me")\ndef me():\n    return {}\n'],
        ['backend/app/main.py', 'import app.routers.users\nfrom fastapi import FastAPI\nfrom app.routers import items_router\nservice = FastAPI()\nservice.include_router(items_router, prefix="/v1")\nservice.include_router(app.routers.users.router, prefix="/v1")\n'],
        // TypeScript ESM naming the emitted .js file, and a destructured require of a named export.
        ['web/src/routes/videos.ts', "import { Router } from 'express';\nconst router = Router();\nrouter.get('/:id', (req, res) => res.json({}));\nexport default router;\n"],
        ['web/src/routes/admin.js', "const express = require('express');\nconst adminRouter = express.Router();\nadminRouter.delete('/cache', (req, res) => res.end());\nmodule.exports.adminRouter = adminRouter;\n"],
        // One file mounting its router twice.
        ['single/app.py', 'from fastapi import APIRouter, FastAPI\napp = FastAPI()\nr = APIRouter(prefix="/x")\n\n@r.get("/y")\ndef y():\n    return {}\n\napp.include_router(r, prefix="/v1")\napp.include_router(r, prefix="/v2")\n'],
        ['web/src/server.ts', "import express from 'express';\nimport videos from './routes/videos.js';\nconst { adminRouter } = require('./routes/admin');\nconst app = express();\napp.use('/videos', videos);\napp.use('/admin', adminRouter);\n"],
      ];
      for (const [rel, text] of files) writeFile(root, rel, text);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('follows package roots below the workspace, re-exports, dotted imports, .js specifiers, named CommonJS exports; a double mount in one file gives both routes', async () => {
      const r = await scanWorkspace(root);
      assert.deepStrictEqual(endpointIds(r.files), ['DELETE /admin/cache', 'GET /v1/items/{item_id}', 'GET /v1/users/me', 'GET /v1/x/y', 'GET /v2/x/y', 'GET /videos/:id']);
    });
  });

  it('apply is idempotent and falls back to the in-file route when the mount goes away', () => {
    const facts = new Map<string, ModuleFacts>([
      ['m.py', { routers: { app: { flask: false } }, mounts: [{ parent: 'app', child: 'r.router', prefix: '/api', flask: false }], imports: { r: { module: 'r' } } }],
      ['r.py', { routers: { router: { flask: false, prefix: '/r' } }, mounts: [], imports: {} }],
    ]);
    const range = { start: { line: 3, character: 4 }, end: { line: 3, character: 5 } };
    const f: Finding = { kind: 'endpoint', id: 'GET /r/x', name: 'x', language: 'python', nameRange: range, range, method: 'GET', route: '/r/x', router: { object: 'router', path: '/x', fileRoute: '/r/x', prefix: '/r' } };
    const once = new CrossFileRoutes(facts).apply('r.py', [f]);
    assert.deepStrictEqual(once.map(x => x.id), ['GET /api/r/x']);
    assert.deepStrictEqual(new CrossFileRoutes(facts).apply('r.py', once), once);
    facts.delete('m.py');
    assert.deepStrictEqual(new CrossFileRoutes(facts).apply('r.py', once).map(x => x.id), ['GET /r/x']);
  });

  it('stays bounded on hostile mount graphs: cycles, and mounts doubling at every level', () => {
    // r0 is mounted twice into r1, r1 twice into r2, … (2^30 routes if unbounded); r30 mounts r0 (a cycle).
    const routers: ModuleFacts['routers'] = {};
    const mounts: ModuleFacts['mounts'] = [];
    for (let i = 0; i <= 30; i++) routers[`r${i}`] = { flask: false, prefix: `/p${i}` };
    for (let i = 0; i < 30; i++) mounts.push({ parent: `r${i + 1}`, child: `x.r${i}`, prefix: '/a', flask: false }, { parent: `r${i + 1}`, child: `x.r${i}`, prefix: '/b', flask: false });
    mounts.push({ parent: 'r0', child: 'x.r30', flask: false });
    const facts = new Map<string, ModuleFacts>([
      ['x.py', { routers, mounts: [], imports: {} }],
      ['m.py', { routers: {}, mounts, imports: { x: { module: 'x' } } }],
    ]);
    const r = new CrossFileRoutes(facts).prefixes('x.py', 'r0');
    assert.ok(r.crossFile);
    assert.ok(r.prefixes.length >= 1 && r.prefixes.length <= 16, String(r.prefixes.length));
  });

  describe('kept current', () => {
    let root: string;
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-routers-'));
      copyDir(workspace('fastapi-routers'), root);
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('workspace index: editing the mount in main.py changes the routes of videos.py', async () => {
      const index = new WorkspaceIndex(root);
      await index.scan();
      assert.strictEqual(index.findings('app/routers/videos.py')[0].id, 'GET /api/videos/{video_id}');
      const fired: string[][] = [];
      index.onDidChange(paths => fired.push([...paths]));
      const main = path.join(root, 'app/main.py');
      fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('APIRouter(prefix="/api")', 'APIRouter(prefix="/api/v2")'));
      await index.fileChanged('app/main.py');
      assert.strictEqual(index.findings('app/routers/videos.py')[0].id, 'GET /api/v2/videos/{video_id}');
      assert.ok(fired.some(p => p.includes('app/routers/videos.py')), JSON.stringify(fired));
      fs.rmSync(main);
      await index.fileDeleted('app/main.py');
      assert.strictEqual(index.findings('app/routers/videos.py')[0].id, 'GET /videos/{video_id}');
      index.dispose();
    });

    it('open documents: DocumentItems shows the full route when given the workspace routes', async () => {
      const index = new WorkspaceIndex(root);
      await index.scan();
      const items = new DocumentItems();
      const rel = 'app/routers/videos.py';
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      const doc = { key: `file://${root}/${rel}`, version: 1, relPath: rel, text: () => text };
      assert.strictEqual((await items.items(doc, undefined))[0].finding.id, 'GET /videos/{video_id}');
      items.useCrossFileRoutes(() => index.crossFileRoutes);
      assert.strictEqual((await items.items(doc, undefined))[0].finding.id, 'GET /api/videos/{video_id}');
      // An unsaved edit of the router's own prefix shows at once, before the workspace index sees it.
      const edited = text.replace('prefix="/videos"', 'prefix="/clips"');
      const ids = (await items.items({ ...doc, version: 2, text: () => edited }, undefined)).map(i => i.finding.id);
      assert.deepStrictEqual(ids.slice(0, 2), ['GET /api/clips/{video_id}', 'POST /api/clips/upload']);
      items.dispose();
      index.dispose();
    });
  });
});
