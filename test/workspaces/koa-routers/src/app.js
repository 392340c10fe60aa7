// A Koa API assembled from @koa/router routers: one with its own prefix, one nested under another
// router's prefix from another module.
'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const users = require('./routes/users');
const items = require('./routes/items');

const app = new Koa();
const api = new Router({ prefix: '/api' });

api.get('/health', ctx => {
  ctx.body = 'ok';
});
api.use('/users', users.routes(), users.allowedMethods());

app.use(api.routes()).use(api.allowedMethods());
app.use(items.routes());

module.exports = { app };
