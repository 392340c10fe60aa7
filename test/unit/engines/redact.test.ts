// Secrets of a scenario (Authorization, Cookie, X-Api-Key, a token in a URL) and of a tool's
// command line never reach a written file: a real load run and a real hyperfine run go through
// the engine's writer, the results store (history) and every report format, then every file
// written is grepped for the secrets.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { evaluateLatest } from '../../../src/cli/evaluate';
import { htmlReport } from '../../../src/cli/render/html';
import { jsonReport } from '../../../src/cli/render/json';
import { junitReport } from '../../../src/cli/render/junit';
import { markdownReport } from '../../../src/cli/render/markdown';
import { emptyBaselines } from '../../../src/core/store/baselines';
import { isSecretHeader, redactHeaders, redactText, REDACTED, secretHeaderValues } from '../../../src/core/redact';
import { runLoad } from '../../../src/engines/load/runner';
import { parseScenario } from '../../../src/engines/load/scenario';
import { loadRun } from '../../../src/engines/load/toRun';
import { writeRunFile } from '../../../src/engines/output';
import { ResultsStore } from '../../../src/workspace/resultsStore';
import { startServer } from './serverHelpers';

const SECRETS = ['s3cr3t-bearer-TOKEN-42', 'cookie-value-777abc', 'xapikey-ZZZ999', 'query-token-QQQ111', 'hunter2-password-cli', 'basic-userpass-555'];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile())
    .map(e => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('engines/redaction of secrets', function () {
  this.timeout(20000);

  it('recognises credential headers and shapes in text', () => {
    for (const h of ['Authorization', 'cookie', 'X-Api-Key', 'X-Auth-Token', 'X-Session-Id', 'Proxy-Authorization', 'client-secret']) assert.ok(isSecretHeader(h), h);
    for (const h of ['Accept', 'Content-Type', 'User-Agent', 'X-Request-Id']) assert.ok(!isSecretHeader(h), h);
    assert.deepStrictEqual(redactHeaders({ Authorization: 'Bearer x', Accept: 'text/html' }), { Authorization: REDACTED, Accept: 'text/html' });
    assert.deepStrictEqual(secretHeaderValues({ Authorization: 'Bearer abcdefgh', Cookie: 'a=12345678; b=abcdefghij' }).sort(),
      ['12345678', 'Bearer abcdefgh', 'a=12345678; b=abcdefghij', 'abcdefgh', 'abcdefghij'].sort());
    const cases: Array<[string, string]> = [
      ['GET /api?token=abc123&limit=10', `GET /api?token=${REDACTED}&limit=10`],
      ['curl -H "Authorization: Bearer eyJhbGciOi.x.y" http://u', `curl -H "Authorization: ${REDACTED}" http://u`],
      ['http://admin:pa55word@127.0.0.1:8000/x', `http://${REDACTED}@127.0.0.1:8000/x`],
      ['server --password=hunter2 --port 80', `server --password=${REDACTED} --port 80`],
      ['{"x-api-key":"k-1234"}', `{"x-api-key":"${REDACTED}"}`],
      ['non-session cookie jar', 'non-session cookie jar'],
      ['p99 over 200 ms on GET /users/{id}', 'p99 over 200 ms on GET /users/{id}'],
      ['Basic arithmetic / Bearer token parsing', 'Basic arithmetic / Bearer token parsing'],
      ['sent Bearer abc.def-123456 upstream', `sent Bearer ${REDACTED} upstream`],
    ];
    for (const [input, want] of cases) assert.strictEqual(redactText(input), want, input);
    assert.strictEqual(redactText('echo hello-SECRET-value', ['hello-SECRET-value']), `echo ${REDACTED}`);
  });

  it('a real load run and a real hyperfine run: no secret in the result files, the history or any report', async () => {
    const seen: string[] = [];
    const srv = await startServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.statusCode = req.url?.includes('fail') ? 500 : 200;
      res.end(`echo ${req.headers.authorization} ${req.headers.cookie}`); // a body echoing secrets is not recorded either
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-redact-'));
    try {
      // 1. Our load engine with credentials in headers, a token in a literal query string and in a request name.
      const sc = parseScenario(JSON.stringify({
        target: srv.url, connections: 2, maxRequests: 60,
        headers: { Authorization: `Bearer ${SECRETS[0]}`, Cookie: `session=${SECRETS[1]}` },
        requests: [
          { path: `/items?token=${SECRETS[3]}&limit=5`, headers: { 'X-Api-Key': SECRETS[2] } },
          { name: `fail with key ${SECRETS[2]}`, path: '/fail' },
        ],
      }), 'scenario.json');
      const result = await runLoad(sc);
      assert.ok(seen.includes(`Bearer ${SECRETS[0]}`), 'the credentials were really sent');
      const loadFile = path.join(dir, '.perf/results/load.json');
      await writeRunFile(loadFile, loadRun(result, 'api'));

      // 2. A third-party tool whose output carries its command line (hyperfine), secrets included.
      const hyperFile = path.join(dir, '.perf/results/hyperfine.json');
      execFileSync('hyperfine', ['--runs', '2', '--export-json', hyperFile,
        `sh -c true --password=${SECRETS[4]} 'Authorization: Basic ${SECRETS[5]}' http://me:${SECRETS[5]}@127.0.0.1/`], { stdio: 'ignore' });
      assert.ok(fs.readFileSync(hyperFile, 'utf8').includes(SECRETS[4]), 'the tool output holds the secret (else this test proves nothing)');

      // 3. Into the store (history), then every report format.
      const store = new ResultsStore(dir);
      await store.reload();
      await store.ingest(loadFile, { suite: 'api' });
      await store.ingest(hyperFile, { suite: 'cli' });
      await store.reload();
      const ev = await evaluateLatest(store, { doc: emptyBaselines(), source: 'none' });
      assert.ok(ev.rows.length >= 3, `${ev.rows.length} rows`);
      const reports = path.join(dir, 'reports');
      fs.mkdirSync(reports);
      fs.writeFileSync(path.join(reports, 'r.md'), markdownReport(ev));
      fs.writeFileSync(path.join(reports, 'r.html'), htmlReport(ev));
      fs.writeFileSync(path.join(reports, 'r.xml'), junitReport(ev));
      fs.writeFileSync(path.join(reports, 'r.json'), jsonReport(ev));

      const written = filesUnder(dir).filter(f => f !== hyperFile); // the tool's own file is the input
      assert.ok(written.some(f => f.includes(`${path.sep}history${path.sep}`)), written.join('\n'));
      for (const f of written) {
        const text = fs.readFileSync(f, 'utf8');
        for (const s of SECRETS) assert.ok(!text.includes(s), `${path.relative(dir, f)} holds the secret ${s}`);
      }
      // Redacted, not dropped: the series are still there under redacted names.
      const history = filesUnder(path.join(dir, '.perf/history')).filter(f => f.endsWith('.jsonl')).map(f => fs.readFileSync(f, 'utf8')).join('');
      assert.ok(history.includes(`fail with key ${REDACTED}`), 'the request name keeps its shape');
      assert.ok(history.includes(`--password=${REDACTED}`));
    } finally {
      await srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
