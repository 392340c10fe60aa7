// Express API: routes on the app, on a Router mounted at /api, and a router.route() chain.
'use strict';
const express = require('express');

const app = express();
const router = express.Router();

app.use(express.json());

// app.get('/commented-out', handler) must not be found
const docs = "app.get('/in-a-string', (req, res) => res.end())";

app.get('/health', (req, res) => {
  res.json({ ok: true, docs });
});

router.get('/projects/:id/videos', async (req, res) => {
  res.json({ projectId: req.params.id, videos: [] });
});

router.post('/videos/upload', uploadVideo);

router
  .route('/videos/:videoId/detections')
  .get((req, res) => res.json([]))
  .delete((req, res) => res.status(204).end());

app.use('/api', router);

function uploadVideo(req, res) {
  res.status(201).json({ id: 'v-1' });
}

module.exports = { app, uploadVideo };
