// A Fastify app assembled from plugins in other modules, each registered with a prefix; one
// plugin registers another under its own prefix.
'use strict';
const Fastify = require('fastify');
const videos = require('./routes/videos');

function build() {
  const app = Fastify();
  app.register(videos, { prefix: '/api/videos' });
  app.register(require('./routes/admin'), { prefix: '/admin' });
  return app;
}

module.exports = { build };
