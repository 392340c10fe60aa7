'use strict';
const Router = require('@koa/router');

// No prefix of its own: app.js nests it under /api/users.
const router = new Router();

router.get('/:userId', ctx => {
  ctx.body = { id: ctx.params.userId };
});
router.post('/', ctx => {
  ctx.status = 201;
});

module.exports = router;
