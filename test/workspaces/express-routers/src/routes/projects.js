'use strict';
const express = require('express');

const router = express.Router();

router
  .route('/:projectId/videos')
  .get((req, res) => res.json([]))
  .post((req, res) => res.status(201).json({}));

module.exports = router;
