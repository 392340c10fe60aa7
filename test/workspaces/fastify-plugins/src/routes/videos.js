'use strict';

module.exports = async function (fastify) {
  fastify.get('/:videoId', async request => ({ id: request.params.videoId }));
  fastify.register(require('./uploads'), { prefix: '/uploads' });
};
