'use strict';
const Router = require('@koa/router');

// Its own prefix, mounted as it is.
const items = new Router({ prefix: '/items' });

items.get('/:itemId', ctx => {
  ctx.body = { id: ctx.params.itemId };
});
items.delete('/:itemId', ctx => {
  ctx.status = 204;
});

module.exports = items;
