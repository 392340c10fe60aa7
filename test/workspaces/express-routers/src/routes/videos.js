'use strict';
const express = require('express');

const router = express.Router();

router.get('/:videoId', (req, res) => {
  res.json({ id: req.params.videoId });
});

router.post('/upload', (req, res) => {
  res.status(201).json({ ok: true });
});

module.exports = router;
