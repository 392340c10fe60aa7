'use strict';

async function uploads(fastify) {
  fastify.post('/new', async () => ({}));
  fastify.get('/:uploadId', async request => ({ id: request.params.uploadId }));
}

module.exports = uploads;
