// The same service as an ES module: a router imported with `import … from`.
import express from 'express';
import reports from './routes/reports.mjs';
import { makeAdminRouter, makeMetricsRouter } from './routes/admin.mjs';

const app = express();
app.use('/reports', reports);
app.use('/admin', makeAdminRouter(new Map()));
app.use(makeMetricsRouter());

export default app;
