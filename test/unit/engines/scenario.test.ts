import * as assert from 'assert';
import { fillPath, makePicker, parseScenario, ScenarioError } from '../../../src/engines/load/scenario';
import { usesRawClient } from '../../../src/engines/load/runner';
import { createRng } from '../../../src/core/stats/random';

const base = { target: 'http://127.0.0.1:8000', durationSec: 5, requests: [{ path: '/' }] };
const parse = (o: object) => parseScenario(JSON.stringify(o), 's.json');
const fails = (o: object, re: RegExp) => assert.throws(() => parse(o), (e: unknown) => e instanceof ScenarioError && re.test(e.message));

describe('engines/load scenario', () => {
  it('parses the locustfile-like shape with defaults', () => {
    const sc = parse({
      target: 'http://localhost:8000/base/',
      mode: 'closed',
      connections: 4,
      durationSec: 10,
      rampUpSec: 2,
      thinkTimeSec: [1, 3],
      headers: { Authorization: 'Bearer x' },
      params: { projectId: 'test-project-123' },
      requests: [
        { name: 'list videos', weight: 3, path: '/api/projects/{projectId}/videos?offset={offset}&limit={limit}',
          params: { offset: { range: [0, 100] }, limit: { choice: [10, 25, 50, 100] } }, maxResponseTimeSec: 0.5 },
        { method: 'post', path: '/api/videos/{id}/process', params: { id: 'v1' }, json: { confidence_threshold: 0.5 }, expectStatus: [200, 202] },
      ],
    });
    assert.strictEqual(sc.connections, 4);
    assert.strictEqual(sc.pipelining, 1);
    assert.deepStrictEqual(sc.thinkTimeSec, [1, 3]);
    assert.strictEqual(sc.requests[0].key, 'list videos');
    assert.strictEqual(sc.requests[0].route, '/api/projects/{projectId}/videos');
    assert.strictEqual(sc.requests[0].headers.authorization, 'Bearer x');
    assert.strictEqual(sc.requests[1].key, 'POST /api/videos/{id}/process');
    assert.strictEqual(sc.requests[1].body, '{"confidence_threshold":0.5}');
    assert.strictEqual(sc.requests[1].headers['content-type'], 'application/json');
    assert.deepStrictEqual(sc.requests[1].expectStatus, [200, 202]);
  });

  it('fills placeholders from choices and inclusive integer ranges', () => {
    const sc = parse({ ...base, requests: [{ path: '/p/{a}?o={o}', params: { a: { choice: ['x y', 'z'] }, o: { range: [3, 5] } } }] });
    const rng = createRng(1);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(fillPath(sc.requests[0], () => rng.next()));
    assert.deepStrictEqual([...seen].sort(), ['/p/x%20y?o=3', '/p/x%20y?o=4', '/p/x%20y?o=5', '/p/z?o=3', '/p/z?o=4', '/p/z?o=5']);
  });

  it('picks requests in proportion to their weights', () => {
    const sc = parse({ ...base, requests: [{ path: '/a', weight: 3 }, { path: '/b', weight: 1 }] });
    const rng = createRng(7);
    const pick = makePicker(sc.requests, () => rng.next());
    let a = 0;
    for (let i = 0; i < 20000; i++) if (pick().path === '/a') a++;
    assert.ok(Math.abs(a / 20000 - 0.75) < 0.02, `share of /a ${a / 20000}`);
  });

  it('names the field in every error', () => {
    assert.throws(() => parseScenario('{"target": ', 'bad.json'), /bad\.json: not valid JSON/);
    fails({ ...base, target: 'ftp://x' }, /expected http or https.*\(field target\)/);
    fails({ ...base, target: 42 }, /expected a non-empty string, got number \(field target\)/);
    fails({ target: base.target, requests: base.requests }, /bounded \(field durationSec\)/);
    fails({ ...base, mode: 'open' }, /needs "rate" .*\(field rate\)/);
    fails({ ...base, rate: 10 }, /mode "open" only \(field rate\)/);
    fails({ ...base, connections: 0 }, />= 1, got 0 \(field connections\)/);
    fails({ ...base, rampUpSec: 5 }, /shorter than durationSec .*\(field rampUpSec\)/);
    fails({ ...base, requests: [] }, /at least one request \(field requests\)/);
    fails({ ...base, requests: [{ path: '/', weight: -1 }] }, /positive number, got -1 \(field requests\[0\]\.weight\)/);
    fails({ ...base, requests: [{ path: 'x' }] }, /starting with "\/".*\(field requests\[0\]\.path\)/);
    fails({ ...base, requests: [{ path: '/{id}' }] }, /\{id\} has no entry in "params" \(field requests\[0\]\.path\)/);
    fails({ ...base, requests: [{ path: '/', method: 'FETCH' }] }, /field requests\[0\]\.method/);
    fails({ ...base, requests: [{ path: '/', expectStatus: [700] }] }, /field requests\[0\]\.expectStatus\[0\]/);
    fails({ ...base, requests: [{ path: '/a/{x}', params: { x: { range: [5, 1] } } }] }, /field requests\[0\]\.params\.x\.range\[1\]/);
    fails({ ...base, requests: [{ path: '/', colour: 1 }] }, /unknown field "colour".*\(field requests\[0\]\.colour\)/);
    fails({ ...base, requests: [{ path: '/a' }, { path: '/a?x=1' }] }, /same series id "GET \/a" .*\(field requests\[1\]\)/);
    fails({ ...base, mode: 'open', rate: 5, thinkTimeSec: 1 }, /field thinkTimeSec/);
    // Nothing that would split a request on the wire: the own HTTP client writes these as they are.
    fails({ ...base, headers: { 'x-a': 'v\r\nx-injected: 1' } }, /may not contain line breaks \(field headers\.x-a\)/);
    fails({ ...base, requests: [{ path: '/', headers: { 'bad name': 'v' } }] }, /not a valid header name \(field requests\[0\]\.headers\.bad name\)/);
    fails({ ...base, requests: [{ path: '/a b' }] }, /may not contain spaces .*%20.*\(field requests\[0\]\.path\)/);
    fails({ ...base, client: 'curl' }, /expected "auto" or "undici", got "curl" \(field client\)/);
  });

  it('sends plain http through its own HTTP/1.1 client, https and "client": "undici" through undici', () => {
    assert.strictEqual(parse(base).client, 'auto');
    assert.ok(usesRawClient(parse(base)));
    assert.ok(!usesRawClient(parse({ ...base, client: 'undici' })));
    assert.ok(!usesRawClient(parse({ ...base, target: 'https://localhost:8443' })));
  });

  it('the suite\'s target and duration (--target, --duration) win over the file, which may leave them out', () => {
    const bare = { requests: base.requests };
    const sc = parseScenario(JSON.stringify(bare), 's.json', { target: 'http://127.0.0.1:3000/api', durationSec: 2 });
    assert.strictEqual(sc.target.href, 'http://127.0.0.1:3000/api');
    assert.strictEqual(sc.durationSec, 2);
    const over = parseScenario(JSON.stringify({ ...base, rampUpSec: 1 }), 's.json', { target: 'http://127.0.0.1:1/', durationSec: 3 });
    assert.deepStrictEqual([over.target.href, over.durationSec], ['http://127.0.0.1:1/', 3]);
    assert.throws(() => parseScenario(JSON.stringify(bare), 's.json'), /s\.json: expected a non-empty string, got nothing \(field target\)/);
    assert.throws(() => parseScenario(JSON.stringify({ ...base, rampUpSec: 2 }), 's.json', { durationSec: 1 }), /ramp-up \(2 s\) must be shorter than durationSec \(1 s\)/);
  });
});
