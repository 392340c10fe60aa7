import * as assert from 'assert';
import { locateSource } from '../../../src/core/locate/locate';
import { locateFixture, summary } from './workspace';

describe('locate: JavaScript / TypeScript', () => {
  it('finds Express routes: app.get, Router mounted by app.use, router.route().get().delete()', async () => {
    const found = await locateFixture('express-service', 'src/app.js');
    assert.deepStrictEqual(summary(found), [
      'endpoint 12/12 GET /health',
      'endpoint 16/16 GET /api/projects/:id/videos',
      'endpoint 20/20 POST /api/videos/upload',
      'endpoint 24/22 GET /api/videos/:videoId/detections',
      'endpoint 25/22 DELETE /api/videos/:videoId/detections',
    ]);
    assert.deepStrictEqual(found[1].nameRange, { start: { line: 16, character: 11 }, end: { line: 16, character: 33 } });
    assert.ok(!found.some(f => /commented|in-a-string/.test(f.id)));
  });

  it('finds mocha tests with fullTitle ids, skipping commented and string look-alikes', async () => {
    const found = await locateFixture('express-service', 'test/api.test.js');
    assert.deepStrictEqual(summary(found), [
      'test 10/10 videos API slug lower-cases titles',
      'test 14/14 videos API slug keeps unicode',
      'test 19/19 videos API handles template titles',
      'test 26/26 videos API is fast enough',
    ]);
  });

  it('finds jest/vitest tests with .each/.skip/.only/.todo and vitest bench', async () => {
    const found = await locateFixture('jest-tests', 'videos.test.ts');
    assert.deepStrictEqual(summary(found), [
      'test 6/6 math adds',
      'test 13/10 math add(%i, %i) = %i',
      'test 18/18 math skipped block still located',
      'test 23/23 math write more tests',
      'benchmark 27/27 perf add 1e3 times',
    ]);
  });

  it('finds Fastify shorthand routes, route({ method: [...], url }) and register(plugin | inline plugin, { prefix })', async () => {
    const found = await locateFixture('fastify-service', 'src/server.ts');
    assert.deepStrictEqual(summary(found), [
      'endpoint 5/5 GET /health',
      'endpoint 9/7 GET /api/dashboard/stats',
      'endpoint 9/7 HEAD /api/dashboard/stats',
      'endpoint 14/14 GET /api/videos/:videoId/detections',
      'endpoint 19/19 POST /api/videos/upload',
      'endpoint 29/29 DELETE /admin/cache',
    ]);
  });

  it('finds NestJS controller methods under the @Controller prefix', async () => {
    const found = await locateFixture('nest-service', 'src/videos/videos.controller.ts');
    assert.deepStrictEqual(summary(found), [
      'endpoint 10/9 GET /api/projects/:projectId/videos',
      'endpoint 15/14 GET /api/projects/:projectId/videos/:id',
      'endpoint 20/19 POST /api/projects/:projectId/videos',
      'endpoint 25/24 DELETE /api/projects/:projectId/videos/:id',
    ]);
    assert.strictEqual(found[1].name, 'findOne');
  });

  it('finds Hono and Koa-router routes (routers created with new)', async () => {
    const src = [
      "import { Hono } from 'hono';",
      'const api = new Hono();',
      "api.get('/api/items/:id', c => c.json({}));",
      "import Router from '@koa/router';",
      'const items = new Router();',
      "items.post('/api/items', async ctx => { ctx.body = {}; });",
      '',
    ].join('\n');
    assert.deepStrictEqual(summary(await locateSource(src, 'server.ts')), ['endpoint 2/2 GET /api/items/:id', 'endpoint 5/5 POST /api/items']);
  });

  it('Express routers nested within one file get every prefix of the chain, outermost first', async () => {
    const src = [
      "const express = require('express');",
      'const app = express();',
      'const api = express.Router();',
      'const videos = express.Router();',
      "videos.get('/:id', (req, res) => {});",
      "api.use('/videos', videos);",
      "app.use('/api', api);",
      '',
    ].join('\n');
    assert.deepStrictEqual(summary(await locateSource(src, 'app.js')), ['endpoint 4/4 GET /api/videos/:id']);
  });

  it('Koa-router prefixes of a router\'s own: new Router({ prefix }), router.prefix(), nested with use(prefix, r.routes())', async () => {
    const src = [
      "const Router = require('@koa/router');",
      "const api = new Router({ prefix: '/api' });",
      'const v2 = new Router();',
      "v2.prefix('/v2');",
      "v2.get('/items/:id', ctx => {});",
      "api.use('/admin', v2.routes(), v2.allowedMethods());",
      '',
    ].join('\n');
    assert.deepStrictEqual(summary(await locateSource(src, 'routes.js')), ['endpoint 4/4 GET /api/admin/v2/items/:id']);
  });

  it('does not take HTTP client calls, callback-less calls or suites for routes/tests', async () => {
    const src = [
      "const res = await axios.get('/api/videos', { params: { q: 1 } });",
      "await request(app).get('/api/videos').expect(200);",
      "const client = got.extend({}); client.post('/api/x', () => {});",
      "it('has no callback');",
      "describe('only a suite', () => {});",
      "someObject.get('/not/a/router', 3);",
      '',
    ].join('\n');
    assert.deepStrictEqual(summary(await locateSource(src, 'x.test.ts')), []);
  });
});
