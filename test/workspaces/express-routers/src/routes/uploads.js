'use strict';
const { Router } = require('express');

// A router factory: the app hands it its dependencies and mounts what it returns.
module.exports = function uploadsRouter(store) {
  const router = Router();
  router.post('/uploads', (req, res) => res.status(201).json(store.save(req.body)));
  router.get('/uploads/:uploadId', (req, res) => res.json(store.get(req.params.uploadId)));
  return router;
};
