// Locust engine: a master and 2 local workers (Debian python3-locust) against a loopback server for
// a few seconds, its CSVs read by the Locust parser; workers that never connect; a stop mid-run;
// the run killed outright.
// Every case checks that no Locust process outlives the run. About 25 s in all.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { engineInvocation, defaultResultFile } from '../../../src/core/config/suiteCommand';
import { parseProjectConfig } from '../../../src/core/config/projectConfig';
import { locustParser } from '../../../src/core/ingest/locust';
import { locustCommand, masterArgs, workerArgs, type LocustPlan } from '../../../src/engines/locust/distributed';
import { fixture } from '../helpers';
import { processesMentioning, runCli, startServer, type TestServer } from './serverHelpers';

const PYTHON = '/usr/bin/python3';
const hasLocust = fs.existsSync('/usr/lib/python3/dist-packages/locust');

describe('locust engine: command lines', () => {
  const plan: LocustPlan = { locustfile: 'lf.py', csvPrefix: 'out/run', host: 'http://127.0.0.1:9', durationSec: 5, workers: 2, users: 4, spawnRate: 2, workersWaitSec: 30, masterPort: 5999 };

  it('master: headless, expects N workers, bounded wait, full-history CSVs, loopback bind', () => {
    const a = masterArgs(plan).join(' ');
    for (const part of ['--headless', '--master', '--expect-workers 2', '--expect-workers-max-wait 30', '--csv out/run', '--csv-full-history', '--run-time 5s', '--master-bind-host 127.0.0.1', '--master-bind-port 5999', '--users 4', '--spawn-rate 2', '--host http://127.0.0.1:9']) {
      assert.ok(a.includes(part), `${part} in ${a}`);
    }
    assert.ok(!masterArgs({ ...plan, workers: 0 }).includes('--master'));
    assert.deepStrictEqual(workerArgs(plan), ['-f', 'lf.py', '--worker', '--master-host', '127.0.0.1', '--master-port', '5999']);
  });

  it('runs Locust through the version shim when the Python is known', () => {
    const viaModule = locustCommand({ PERF_LENS_LOCUST: `${PYTHON} -m locust` });
    assert.deepStrictEqual(viaModule.slice(0, 2), [PYTHON, '-c']);
    assert.match(viaModule[2], /r\.__version__ = '0\+unknown'/);
    assert.deepStrictEqual(locustCommand({ PERF_LENS_LOCUST: '/opt/x/locust-wrapper --flag' }), ['/opt/x/locust-wrapper', '--flag']);
    if (fs.existsSync('/usr/bin/locust')) assert.deepStrictEqual(locustCommand({ PATH: '/usr/bin' }).slice(0, 2), [PYTHON, '-c']);
  });

  it('a locust suite with workers becomes a loadMain --locust invocation writing PREFIX_stats.csv', () => {
    const config = parseProjectConfig('/w/perf-lens.config.json', {
      suites: { dist: { kind: 'load', engine: 'locust', scenario: 'locustfile.py', workers: 2, users: 10, spawnRate: 5, target: 'http://127.0.0.1:8000', durationSec: 20 } },
    });
    const suite = config.suites[0];
    assert.strictEqual(defaultResultFile(suite), '.perf/results/dist_stats.csv');
    const inv = engineInvocation(suite, config, { progressJson: true });
    assert.ok(inv);
    assert.strictEqual(inv.script, 'loadMain.js');
    assert.deepStrictEqual(inv.args, ['--locust', 'locustfile.py', '--out', '.perf/results/dist_stats.csv', '--suite', 'dist', '--progress-json',
      '--workers', '2', '--users', '10', '--spawn-rate', '5', '--target', 'http://127.0.0.1:8000', '--duration', '20']);
    assert.throws(() => parseProjectConfig('/w/perf-lens.config.json', { suites: { d: { kind: 'load', engine: 'locust', scenario: 'l.py', workers: 1.5 } } }), /whole number of workers.*suites\.d\.workers/);
    assert.throws(() => parseProjectConfig('/w/perf-lens.config.json', { suites: { d: { kind: 'load', engine: 'builtin', scenario: 's.json', users: 3 } } }), /only the locust engine.*suites\.d\.users/);
  });
});

(hasLocust ? describe : describe.skip)('locust engine: distributed runs (2 local workers)', function () {
  this.timeout(90_000);
  let server: TestServer;
  let dir: string;
  const saved = process.env.PERF_LENS_LOCUST;

  before(async () => {
    process.env.PERF_LENS_LOCUST = `${PYTHON} -m locust`;
    server = await startServer((req, res) => res.end(req.url === '/items/7' ? '{"id":7}' : 'hello'));
  });
  after(async () => {
    if (saved === undefined) delete process.env.PERF_LENS_LOCUST;
    else process.env.PERF_LENS_LOCUST = saved;
    await server.close();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-locust-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The fixture locustfile copied into the temp folder: its path marks our processes in /proc. */
  const locustfile = (name: string) => {
    const f = path.join(dir, name);
    fs.copyFileSync(fixture('services', name), f);
    return f;
  };

  it('master + 2 workers run, CSVs are written and parse, nothing is left running', async () => {
    const out = path.join(dir, 'run_stats.csv');
    const r = await runCli('loadMain', ['--locust', locustfile('locustfile.py'), '--out', out, '--workers', '2', '--users', '4', '--spawn-rate', '4',
      '--duration', '3', '--target', server.url, '--progress-json'], { timeoutMs: 60_000 });
    assert.strictEqual(r.code, 0, r.stderr.slice(-2000));
    const events = r.stdout.trim().split('\n').map(l => JSON.parse(l) as { type: string; connected?: number; requests?: number });
    assert.deepStrictEqual(events.map(e => e.type), ['start', 'workers', 'done']);
    assert.strictEqual(events[1].connected, 2);
    const run = await locustParser.parse(out);
    const names = run.series.map(s => s.id);
    for (const n of ['GET /hello', 'GET /items/[id]', 'Aggregated']) assert.ok(names.some(id => id.endsWith(n) || id === n), `${n} in ${names.join(', ')}`);
    const agg = run.series.find(s => s.id === 'Aggregated');
    assert.ok((agg?.endpoint?.requests ?? 0) > 20, `requests ${agg?.endpoint?.requests}`);
    assert.strictEqual(events[2].requests, agg?.endpoint?.requests);
    assert.ok(server.hits >= (agg?.endpoint?.requests ?? 0));
    assert.deepStrictEqual(processesMentioning(dir), []);
  });

  it('workers that never connect: a clear error naming the count and port, exit 3, nothing left', async () => {
    const r = await runCli('loadMain', ['--locust', locustfile('locustfile-worker-fails.py'), '--out', path.join(dir, 'x_stats.csv'), '--workers', '2',
      '--workers-wait', '2', '--duration', '3', '--target', server.url], { timeoutMs: 60_000 });
    assert.strictEqual(r.code, 3, r.stderr.slice(-2000));
    assert.match(r.stderr, /perf-lens load: 0 of 2 Locust workers connected to the master on 127\.0\.0\.1:\d+ within 2 s/);
    assert.deepStrictEqual(processesMentioning(dir), []);
  });

  it('SIGTERM mid-run stops master and workers, keeps the CSVs, exits 130', async () => {
    const out = path.join(dir, 'stop_stats.csv');
    let sent = false;
    const r = await runCli('loadMain', ['--locust', locustfile('locustfile.py'), '--out', out, '--workers', '2', '--users', '2', '--spawn-rate', '2',
      '--duration', '60', '--target', server.url, '--progress-json'], {
      timeoutMs: 60_000,
      onStdout: (text, kill) => {
        if (!sent && text.includes('"type":"workers"')) {
          sent = true;
          setTimeout(() => kill('SIGTERM'), 1500);
        }
      },
    });
    assert.ok(sent, r.stderr.slice(-2000));
    assert.strictEqual(r.code, 130, r.stderr.slice(-2000));
    assert.ok(fs.existsSync(out));
    assert.deepStrictEqual(processesMentioning(dir), []);
  });

  it('SIGKILL of the run (no exit handler runs) still leaves no master or worker running', async () => {
    let sent = false;
    let running = 0;
    const r = await runCli('loadMain', ['--locust', locustfile('locustfile.py'), '--out', path.join(dir, 'kill_stats.csv'), '--workers', '2', '--users', '2',
      '--spawn-rate', '2', '--duration', '60', '--target', server.url, '--progress-json'], {
      timeoutMs: 60_000,
      onStdout: (text, kill) => {
        if (!sent && text.includes('"type":"workers"')) {
          sent = true;
          running = processesMentioning(dir).length;
          kill('SIGKILL');
        }
      },
    });
    assert.ok(sent, r.stderr.slice(-2000));
    assert.strictEqual(r.signal, 'SIGKILL');
    assert.ok(running >= 4, `the run, its master and 2 workers ran when it was killed (${running})`);
    const end = Date.now() + 10_000; // the watchdog's SIGTERM, then SIGKILL after 2 s
    while (processesMentioning(dir).length > 0 && Date.now() < end) await new Promise(res => setTimeout(res, 200));
    assert.deepStrictEqual(processesMentioning(dir), []);
  });
});
