// Router factories as named ES exports.
import express from 'express';

export function makeAdminRouter(cache) {
  const admin = express.Router();
  admin.delete('/cache', (req, res) => res.json(cache.clear()));
  return admin;
}

export const makeMetricsRouter = () => {
  const metrics = express.Router();
  metrics.get('/metrics', (req, res) => res.type('text/plain').send(''));
  return metrics;
};
