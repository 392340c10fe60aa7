// The same service as an ES module: a router imported with `import … from`.
import express from 'express';
import reports from './routes/reports.mjs';

const app = express();
app.use('/reports', reports);

export default app;
