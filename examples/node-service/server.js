// A small Express API shaped like the seed's video platform: projects, videos, detections and
// dashboard stats. LEAK=1 turns on the dashboard bug (every request's stats kept forever);
// SLOW=1 makes the videos page slower (see lib/catalog.js). PORT defaults to 3000.
'use strict';
const path = require('path');
const express = require('express');
const { videosPage, detections, dashboardStats } = require('./lib/catalog');

const app = express();
app.use(express.json());
const statsHistory = []; // the seed's dashboard "history" list
const leak = process.env.LEAK === '1';

app.get('/health', (req, res) => res.send('ok'));

app.get('/api/projects/:projectId/videos', (req, res) => {
  const offset = Number(req.query.offset ?? 0);
  const limit = Math.min(Number(req.query.limit ?? 25), 100);
  res.json(videosPage(req.params.projectId, offset, limit));
});

app.post('/api/videos/upload', (req, res) => {
  res.status(202).json({ id: `video-${Date.now()}`, status: 'queued' });
});

app.get('/api/videos/:videoId/detections', (req, res) => {
  res.json({ videoId: req.params.videoId, detections: detections(req.params.videoId, Number(req.query.limit ?? 50)) });
});

app.get('/api/dashboard/stats', (req, res) => {
  const stats = dashboardStats(statsHistory);
  // The bug: a snapshot per request is kept forever when LEAK=1 (bounded to 100 otherwise).
  statsHistory.push({ at: Date.now(), stats, padding: new Array(2048).fill(stats.totalDetections) });
  if (!leak && statsHistory.length > 100) statsHistory.shift();
  res.json(stats);
});

// The pages the frontend suite measures with Lighthouse; after the API so API requests never stat files.
app.use(express.static(path.join(__dirname, 'public')));

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, '127.0.0.1', () => process.stdout.write(`node-service listening on http://127.0.0.1:${port}${leak ? ' (LEAK=1)' : ''}${process.env.SLOW === '1' ? ' (SLOW=1)' : ''}\n`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
