// Express API assembled from routers in src/routes/, mounted here under /api.
'use strict';
const express = require('express');
const projects = require('./routes/projects');
const { health } = require('./routes/health');

const app = express();
const api = express.Router();

app.use(express.json());
api.use('/videos', require('./routes/videos'));
api.use('/projects', projects);
// A router factory called where it is mounted.
api.use(require('./routes/uploads')(new Map()));
app.use('/api', api);
app.use(health);

// Lookalikes the locator must ignore:
// app.use('/commented-out', projects);
const note = "app.use('/in-a-string', projects)";

module.exports = { app, note };
