// The load engine against targets that misbehave, each a real local server: one that dies mid-test,
// one that answers garbage, one that stalls, one that resets. The engine must record errors by
// kind, stop on its bound, and write what it has, marked partial when the run was cut short.
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { Run } from '../../../src/core/model';
import { validateRun } from '../../../src/core/ingest/perfLens';
import { readJsonNode } from '../../../src/core/ingest/json';
import { runLoad } from '../../../src/engines/load/runner';
import { parseScenario } from '../../../src/engines/load/scenario';
import { loadRun } from '../../../src/engines/load/toRun';
import { writeRunFile } from '../../../src/engines/output';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-faults-'));

interface RawServer { url: string; close(): Promise<void>; sockets: Set<net.Socket> }

/** A TCP server whose every connection is handed to `onConn` (no HTTP library in the way). */
async function rawServer(onConn: (s: net.Socket) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onConn(s);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    close: () => new Promise<void>(r => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok';

/** Answers every request on the connection with 200 ok (requests are tiny GETs: one per chunk is enough). */
function answerOk(s: net.Socket): void {
  s.on('data', d => {
    const n = d.toString('latin1').split('\r\n\r\n').length - 1;
    for (let i = 0; i < n; i++) s.write(OK);
  });
}

/** What loadMain does, in-process (a spawned engine costs seconds of start-up on a busy machine): run, convert, write, read back. */
async function runEngine(target: string, scenario: object, dir: string, graceSec?: number): Promise<{ run: Run; ms: number }> {
  const sc = parseScenario(JSON.stringify({ target, requests: [{ path: '/' }], ...scenario }), 's.json');
  const out = path.join(dir, 'r.json');
  const t0 = Date.now();
  const result = await runLoad(sc, { graceSec });
  const ms = Date.now() - t0;
  await writeRunFile(out, loadRun(result, 'faults'));
  return { run: validateRun(await readJsonNode(out)), ms };
}

const agg = (run: Run) => run.series.find(s => s.id === 'Aggregated')!;
const errorsOf = (run: Run) => new Map((agg(run).endpoint!.errors ?? []).map(e => [e.message, e.count]));

describe('engines/load under faults (real local servers)', function () {
  this.timeout(30000);

  it('target dies mid-test: connection errors by kind, the run stops early and is written marked partial', async () => {
    let dying: RawServer | undefined;
    let timer: NodeJS.Timeout | undefined;
    // Dies 800 ms after its first request (not the first connection: the target probe connects
    // before the generator's warm-up): closes the listener and drops every connection.
    const srv = await rawServer(s => {
      s.once('data', () => (timer ??= setTimeout(() => void dying?.close(), 800)));
      answerOk(s);
    });
    dying = srv;
    const dir = tmp();
    try {
      const r = await runEngine(srv.url, { connections: 4, durationSec: 20 }, dir);
      const run = r.run;
      assert.match(run.notes?.[0] ?? '', /^partial: target went down at \d+(\.\d)? s/, JSON.stringify(run.notes));
      assert.ok(r.ms < 10000, `stopped on the target going down, not after 20 s (${r.ms} ms)`);
      const errs = errorsOf(run);
      assert.ok((errs.get('ECONNREFUSED') ?? 0) > 0, JSON.stringify([...errs]));
      assert.ok(agg(run).endpoint!.requests > agg(run).endpoint!.failures, 'requests before the death succeeded');
    } finally {
      dying = undefined;
      clearTimeout(timer);
      await srv.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('garbage instead of HTTP: every request fails as invalid HTTP, the run ends on its bound', async () => {
    const srv = await rawServer(s => s.on('data', () => s.write('SSH-2.0-OpenSSH_9.2 <script>x</script>\r\n\r\n')));
    const dir = tmp();
    try {
      const r = await runEngine(srv.url, { connections: 2, durationSec: 1.5 }, dir);
      const a = agg(r.run).endpoint!;
      assert.ok(a.requests > 0 && a.failures === a.requests, JSON.stringify(a));
      assert.deepStrictEqual([...errorsOf(r.run).keys()], ['invalid HTTP response']);
      assert.ok(r.ms < 8000, `${r.ms} ms`);
    } finally {
      await srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stalled connections: the run ends on its duration plus grace, not the 30 s request timeout, and says what it cut off', async () => {
    const srv = await rawServer(() => undefined); // accepts, reads, never answers
    const dir = tmp();
    try {
      const r = await runEngine(srv.url, { connections: 3, durationSec: 1.5, timeoutSec: 30 }, dir, 0.5);
      // warm-up (≤ 2 s against a stalled target) + 1.5 s + 0.5 s grace; 30 s if the bound did not hold.
      assert.ok(r.ms < 8000, `bounded by duration + grace (${r.ms} ms)`);
      const run = r.run;
      assert.match(run.notes?.join(' ') ?? '', /partial: .*3 requests? still in flight/, JSON.stringify(run.notes));
    } finally {
      await srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stalls then timeouts: requests past timeoutSec count as timeouts', async () => {
    const srv = await rawServer(() => undefined);
    const dir = tmp();
    try {
      const r = await runEngine(srv.url, { connections: 2, durationSec: 1.6, timeoutSec: 0.5 }, dir);
      const errs = errorsOf(r.run);
      assert.ok((errs.get('timeout') ?? 0) >= 2, JSON.stringify([...errs]));
    } finally {
      await srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connections reset by the target: counted as ECONNRESET, the run goes on to its bound', async () => {
    let n = 0;
    // Every third connection answers; the others are reset (RST) when the request arrives.
    const srv = await rawServer(s => {
      if (++n % 3 === 0) answerOk(s);
      else s.once('data', () => s.resetAndDestroy());
    });
    const dir = tmp();
    try {
      const r = await runEngine(srv.url, { connections: 3, durationSec: 1.5 }, dir);
      const errs = errorsOf(r.run);
      assert.ok((errs.get('ECONNRESET') ?? 0) > 0, JSON.stringify([...errs]));
      assert.ok(agg(r.run).endpoint!.failures < agg(r.run).endpoint!.requests, 'some requests got through');
      assert.ok(!(r.run.notes ?? []).some(n => n.startsWith('partial')), JSON.stringify(r.run.notes));
    } finally {
      await srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
