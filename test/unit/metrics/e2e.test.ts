// End to end: a real service instrumented with prom-client (test/fixtures/metrics-service), our
// load engine driving it with --metrics, and what comes out: live metrics and alert events, the
// stored server run, and its per-route series matching an Express handler's route template.
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { perfLensParser } from '../../../src/core/ingest/perfLens';
import { matchRoute } from '../../../src/core/match/route';
import { SERVER_NOTE } from '../../../src/core/metrics/session';
import { buildView, RunListSource } from '../../../src/features/panelData';
import { fixture } from '../helpers';
import { runCli } from '../engines/serverHelpers';

interface Service { port: number; child: ChildProcess }

function startService(args: string[]): Promise<Service> {
  const child = spawn(process.execPath, [fixture('metrics-service', 'server.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', code => reject(new Error(`metrics-service exited ${code}`)));
    readline.createInterface({ input: child.stdout! }).once('line', line => resolve({ port: JSON.parse(line).port, child }));
  });
}

describe('metrics end to end: load engine scraping a real prom-client service', function () {
  this.timeout(30000);
  let svc: Service;
  let dir: string;
  let events: { type: string; [k: string]: unknown }[] = [];
  let stderr = '';
  let code: number | null;

  before(async () => {
    svc = await startService(['--slow-ms', '150', '--fail-every', '3']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-metrics-'));
    fs.mkdirSync(path.join(dir, 'runs'));
    fs.writeFileSync(path.join(dir, 's.json'), JSON.stringify({
      target: `http://127.0.0.1:${svc.port}`, mode: 'closed', connections: 4, durationSec: 20, maxRequests: 80,
      requests: [
        { weight: 2, path: '/api/items' },
        { weight: 1, path: '/api/slow/{i}', params: { i: { range: [1, 50] } } },
        { weight: 1, method: 'POST', path: '/api/orders', expectStatus: [201] },
      ],
    }));
    const r = await runCli('loadMain', [
      '--scenario', path.join(dir, 's.json'), '--out', path.join(dir, 'runs', 'load.json'), '--suite', 'api', '--progress-json',
      '--metrics', `http://127.0.0.1:${svc.port}/metrics`, '--metrics-interval', '250', '--metrics-alerts', '{"responseTimeSec":0.1}',
    ], { timeoutMs: 25000 });
    code = r.code;
    stderr = r.stderr;
    events = r.stdout.split('\n').filter(Boolean).map(l => JSON.parse(l));
  });

  after(async () => {
    svc?.child.kill('SIGTERM');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('streams metrics events with server rates, memory and CPU while the load runs', () => {
    assert.strictEqual(code, 0, stderr);
    const metrics = events.filter(e => e.type === 'metrics');
    assert.ok(metrics.length >= 3, `${metrics.length} metrics events`);
    assert.ok(metrics.some(m => (m.rps as number) > 0));
    assert.ok(metrics.every(m => (m.rssBytes as number) > 1e6 && (m.cpuPercent as number) >= 0));
  });

  it('fires the response-time alert on the injected slow route only, and prints it as a finding', () => {
    const fired = events.filter(e => e.type === 'alert' && e.state === 'firing' && e.rule === 'responseTime');
    assert.ok(fired.length >= 1, JSON.stringify(events.filter(e => e.type === 'alert')));
    assert.deepStrictEqual([...new Set(fired.map(e => e.route))], ['GET /api/slow/{id}']);
    assert.match(stderr, /server metrics: alert responseTime: GET \/api\/slow\/\{id\}: server p95 .* > 100 ms/);
  });

  it('stores a prometheus run whose counts agree with the client side, and whose route series fit the handler', async () => {
    const file = path.join(dir, 'runs', 'load.server.json');
    const run = await perfLensParser.parse(file);
    assert.deepStrictEqual([run.tool, run.suite, run.kind], ['prometheus', 'api', 'load']);
    assert.ok(run.notes?.some(n => n.startsWith('alert responseTime: GET /api/slow/{id}')), run.notes?.join('\n'));
    const client = await perfLensParser.parse(path.join(dir, 'runs', 'load.json'));
    const orders = run.series.find(s => s.id === 'POST /api/orders (server)')!;
    const clientOrders = client.series.find(s => s.id === 'POST /api/orders')!;
    // maxRequests: every request finished and was counted on both sides; the service's 500s are the client's failures.
    assert.strictEqual(orders.endpoint!.requests, clientOrders.endpoint!.requests);
    assert.strictEqual(orders.endpoint!.failures, clientOrders.endpoint!.failures);
    assert.ok(orders.endpoint!.failures > 0);
    const slow = run.series.find(s => s.id === 'GET /api/slow/{id} (server)')!;
    assert.ok(slow.notes?.includes(SERVER_NOTE));
    // 150 ms handler delay: within the 0.1–0.25 s bucket, so the interpolated p50 is too.
    const p50 = slow.summary.percentiles!.p50;
    assert.ok(p50 > 0.1 && p50 <= 0.25, String(p50));
    assert.ok(slow.summary.mean! >= 0.15, String(slow.summary.mean));
    const m = matchRoute({ method: slow.endpoint!.method, route: slow.endpoint!.route }, [{ method: 'GET', route: '/api/slow/:id' }, { method: 'GET', route: '/api/items' }]);
    assert.deepStrictEqual(m, { status: 'matched', target: { method: 'GET', route: '/api/slow/:id' } });
    assert.ok(run.series.some(s => s.id === 'server:api memory' && s.memory!.length >= 3));
  });

  it('the panel load view carries the server columns beside the client timeline, on its time axis', async () => {
    const view = await buildView(RunListSource.fromFolder(path.join(dir, 'runs')), { view: 'load', runId: 'load' });
    assert.strictEqual(view.view, 'load');
    if (view.view !== 'load') return;
    const server = view.server!;
    assert.strictEqual(server.run.tool, 'prometheus');
    assert.ok(server.x.length >= 3 && server.x.every(x => x > -5 && x < 30), server.x.join(','));
    assert.ok(server.routes.some(r => r.id === 'GET /api/slow/{id}' && r.p95.some(v => v !== null && v > 0.1)));
    assert.ok(server.rps.some(v => v !== null && v > 0) && server.rss.every(v => v === null || v > 1e6));
    assert.ok(server.findings.some(f => f.includes('GET /api/slow/{id}')));
    for (const col of [server.rps, server.errorRate, server.cpu, server.rss]) assert.strictEqual(col.length, server.x.length);
  });
});
