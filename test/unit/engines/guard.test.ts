// Load targets outside loopback are refused unless the scenario names the host: by address, by
// URL spelling, by what a name resolves to (at every connect), and at the CLI.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkTargetAllowed, isLoopback, loopbackLookup, TargetError } from '../../../src/engines/load/guard';
import { runLoad } from '../../../src/engines/load/runner';
import { parseScenario } from '../../../src/engines/load/scenario';
import { runCli, startServer } from './serverHelpers';

const lookup = (host: string, allow: string[] = []) =>
  new Promise<{ err: NodeJS.ErrnoException | null; address: string }>(res => loopbackLookup(allow)(host, {}, (err, address) => res({ err, address: String(address) })));

describe('engines/load guard: loopback only', function () {
  this.timeout(20000);

  it('judges the URL as parsed: odd spellings of 127.0.0.1 are loopback; look-alike names and mapped forms are not', () => {
    for (const u of ['http://0x7f.1:80/', 'http://2130706433/', 'http://127.1/', 'http://[::1]:8000/']) {
      assert.doesNotThrow(() => checkTargetAllowed(new URL(u), []), u);
    }
    for (const u of ['http://127.0.0.1.nip.io/', 'http://localhost.example.com/', 'http://[::ffff:a00:1]/', 'http://169.254.169.254/', 'http://0.0.0.0/']) {
      assert.throws(() => checkTargetAllowed(new URL(u), []), TargetError, u);
    }
    assert.ok(!isLoopback('127.0.0.1.example'));
  });

  it('a name must resolve to loopback addresses only, unless allowed', async () => {
    const local = await lookup('localhost');
    assert.strictEqual(local.err, null);
    assert.ok(isLoopback(local.address), local.address);
    const far = await lookup('10.1.2.3');
    assert.ok(far.err instanceof TargetError && /resolves to 10\.1\.2\.3, not a loopback address/.test(far.err.message), String(far.err));
    assert.strictEqual((await lookup('10.1.2.3', ['10.1.2.3'])).err, null);
  });

  it('a real run by name (localhost) works with the lookup pinned to loopback', async () => {
    const srv = await startServer((_req, res) => res.end('ok'));
    try {
      const sc = parseScenario(JSON.stringify({ target: `http://localhost:${srv.port}`, connections: 1, maxRequests: 5, requests: [{ path: '/' }] }));
      const r = await runLoad(sc);
      assert.strictEqual(r.overall.requests, 5);
      assert.strictEqual(r.overall.failures, 0);
    } finally {
      await srv.close();
    }
  });

  it('CLI: --target outside loopback exits 3 naming allowHosts, and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-guard-'));
    try {
      fs.writeFileSync(path.join(dir, 's.json'), JSON.stringify({ target: 'http://127.0.0.1:9', durationSec: 1, requests: [{ path: '/' }] }));
      const out = path.join(dir, 'r.json');
      const r = await runCli('loadMain', ['--scenario', path.join(dir, 's.json'), '--out', out, '--target', 'http://198.51.100.7:8080']);
      assert.strictEqual(r.code, 3, r.stderr);
      assert.match(r.stderr, /not a loopback address.*allowHosts/);
      assert.ok(!fs.existsSync(out));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
