// Fastify API: shorthand routes, the full route() declaration, and a plugin registered with a prefix.
import Fastify, { FastifyInstance } from 'fastify';

const fastify = Fastify({ logger: false });

fastify.get('/health', async () => ({ ok: true }));

fastify.route({
  method: ['GET', 'HEAD'],
  url: '/api/dashboard/stats',
  handler: async () => ({ projects: 3 }),
});

async function videoRoutes(fastify: FastifyInstance): Promise<void> {
  fastify.get('/videos/:videoId/detections', async request => {
    const { videoId } = request.params as { videoId: string };
    return { videoId, detections: [] };
  });

  fastify.post('/videos/upload', { bodyLimit: 10_000_000 }, async (_request, reply) => {
    reply.code(201);
    return { id: 'v-1' };
  });
}

fastify.register(videoRoutes, { prefix: '/api' });

fastify.register(
  async admin => {
    admin.delete('/cache', async () => ({ cleared: true }));
  },
  { prefix: '/admin' },
);

export default fastify;
