// The load engine's own HTTP/1.1 framing against real servers: Node's http server (length,
// chunked, HEAD, 204/304, early hints, keep-alive) and raw sockets for what Node never sends
// (read-to-close bodies, bytes one at a time, Connection: close behind pipelined requests,
// garbage, silence).
import * as assert from 'assert';
import * as http from 'http';
import * as net from 'net';
import { RawClient, serializeRequest, type RawRequest } from '../../../src/engines/load/rawClient';
import { errorKind } from '../../../src/engines/load/recorder';

interface Answer {
  status?: number;
  error?: Error;
  /** onConnect came before the answer (the closed loop's clock starts there). */
  connected: boolean;
}

function send(c: RawClient, req: RawRequest): Promise<Answer> {
  return new Promise(resolve => {
    const a: Answer = { connected: false };
    c.dispatch(req, {
      onConnect: () => void (a.connected = true),
      onHeaders: status => ((a.status = status), true),
      onComplete: () => resolve(a),
      onError: error => resolve({ ...a, error }),
    });
  });
}

async function listen(server: net.Server): Promise<URL> {
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return new URL(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
}

const close = (server: net.Server) => new Promise<void>(r => {
  (server as http.Server).closeAllConnections?.();
  server.close(() => r());
});

/** A raw TCP server: `reply(request text, socket, connection index)` on every complete request head. */
async function rawServer(reply: (head: string, sock: net.Socket, conn: number) => void): Promise<{ url: URL; server: net.Server; connections: () => number }> {
  let conns = 0;
  const server = net.createServer(sock => {
    const conn = conns++;
    let buf = '';
    sock.on('data', d => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        const head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        reply(head, sock, conn);
      }
    });
    sock.on('error', () => undefined);
  });
  return { url: await listen(server), server, connections: () => conns };
}

describe('engines/load rawClient (real servers)', function () {
  this.timeout(20000);

  it('frames Node http answers: content-length, chunked, HEAD, 204, 304, early hints; the request arrives as sent', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', d => (body += d));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers.host} ${req.headers['x-k'] ?? ''} ${body}`);
        if (req.url === '/chunked') {
          res.write('a'.repeat(3000));
          setTimeout(() => res.end('tail'), 5);
        } else if (req.url === '/204') (res.statusCode = 204), res.end();
        else if (req.url === '/304') (res.statusCode = 304), res.end();
        else if (req.url === '/hints') {
          res.writeEarlyHints({ link: '</style.css>; rel=preload' });
          res.end('after hints');
        } else if (req.url === '/big') res.end(Buffer.alloc(1 << 20, 120));
        else (res.statusCode = req.url === '/404' ? 404 : 200), res.end('hello');
      });
    });
    const url = await listen(server);
    const c = new RawClient(url, { pipelining: 1, timeoutMs: 5000 });
    try {
      for (const [path, status] of [['/', 200], ['/chunked', 200], ['/204', 204], ['/304', 304], ['/hints', 200], ['/404', 404], ['/big', 200], ['/', 200]] as const) {
        const a = await send(c, { method: 'GET', path });
        assert.deepStrictEqual(a, { connected: true, status }, path);
      }
      assert.strictEqual((await send(c, { method: 'HEAD', path: '/big' })).status, 200);
      assert.strictEqual((await send(c, { method: 'POST', path: '/p?q=1', headers: { 'x-k': 'v', 'content-type': 'application/json' }, body: '{"é":1}' })).status, 200);
      assert.strictEqual((await send(c, { method: 'GET', path: '/' })).status, 200, 'the connection is still in step after HEAD');
      assert.strictEqual(seen.at(-2), `POST /p?q=1 ${url.host} v {"é":1}`);
      assert.strictEqual(seen.length, 11);
    } finally {
      await c.destroy();
      await close(server);
    }
  });

  it('pipelines: three requests on the wire at once, answered in one write, each completes in order', async () => {
    let outstanding = 0;
    let max = 0;
    const { url, server } = await rawServer((_head, sock) => {
      max = Math.max(max, ++outstanding);
      if (outstanding === 3) {
        const one = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
        // Header names in any case, values with spaces around them.
        sock.write(one + 'HTTP/1.1 201 Created\r\nTRANSFER-ENCODING:  gzip, Chunked \r\n\r\n2\r\nok\r\n0\r\n\r\n' + one.replace('200 OK', '202 Accepted').replace('content-length: 2', 'Content-Length:\t2 '));
        outstanding = 0;
      }
    });
    const c = new RawClient(url, { pipelining: 3, timeoutMs: 5000 });
    try {
      const answers = await Promise.all([send(c, { method: 'GET', path: '/1' }), send(c, { method: 'GET', path: '/2' }), send(c, { method: 'GET', path: '/3' })]);
      assert.deepStrictEqual(answers.map(a => a.status), [200, 201, 202]);
      assert.strictEqual(max, 3);
    } finally {
      await c.destroy();
      await close(server);
    }
  });

  it('a response trickling in one byte at a time (head, chunk sizes, trailers) is framed the same', async () => {
    const { url, server } = await rawServer((_head, sock) => {
      const bytes = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nx-trailer: 1\r\n\r\n');
      let i = 0;
      const next = () => (i < bytes.length ? (sock.write(bytes.subarray(i, ++i)), setImmediate(next)) : undefined);
      next();
    });
    const c = new RawClient(url, { pipelining: 1, timeoutMs: 5000 });
    try {
      for (let k = 0; k < 2; k++) assert.deepStrictEqual(await send(c, { method: 'GET', path: '/' }), { connected: true, status: 200 });
    } finally {
      await c.destroy();
      await close(server);
    }
  });

  it('read-to-close bodies (HTTP/1.0, HTTP/1.1 without a length) and Connection: close: each request answered once, later ones on a new connection', async () => {
    const got: string[] = [];
    const { url, server, connections } = await rawServer((head, sock, conn) => {
      got.push(`${conn} ${head.split(' ')[1]}`);
      // Answers the first request on the connection, then closes (the pipelined rest unanswered).
      if (got.filter(g => g.startsWith(`${conn} `)).length > 1) return;
      if (head.includes('/old')) sock.end('HTTP/1.0 200 OK\r\n\r\nbody until close');
      else if (head.includes('/plain')) sock.end('HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 without a length: body until close');
      else sock.end('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok');
    });
    const c = new RawClient(url, { pipelining: 2, timeoutMs: 5000 });
    try {
      assert.deepStrictEqual((await send(c, { method: 'GET', path: '/old' })).status, 200);
      const answers = await Promise.all(['/a', '/b', '/c', '/plain', '/d'].map(path => send(c, { method: 'GET', path })));
      assert.deepStrictEqual(answers.map(a => [a.status, a.error?.message]), [[200, undefined], [200, undefined], [200, undefined], [200, undefined], [200, undefined]]);
      // Every request got its own answer; a request the server did not answer went out again
      // (also one pipelined behind a body read to the close).
      const answered = new Set(got.filter((g, i) => got.findIndex(h => h.split(' ')[0] === g.split(' ')[0]) === i).map(g => g.split(' ')[1]));
      assert.deepStrictEqual([...answered].sort(), ['/a', '/b', '/c', '/d', '/old', '/plain']);
      assert.strictEqual(connections(), 6);
    } finally {
      await c.destroy();
      await close(server);
    }
  });

  it('failures get the kinds the engine groups: refused, reset before an answer, not HTTP, no answer in time', async () => {
    const port = await (async () => {
      const s = net.createServer();
      const u = await listen(s);
      await close(s);
      return u.port;
    })();
    const refused = new RawClient(new URL(`http://127.0.0.1:${port}`), { pipelining: 1, timeoutMs: 5000 });
    const a = await send(refused, { method: 'GET', path: '/' });
    assert.strictEqual(errorKind(a.error), 'ECONNREFUSED');
    assert.strictEqual(a.connected, false);
    await refused.destroy();

    const { url, server } = await rawServer((head, sock) => {
      if (head.includes('/reset')) sock.destroy();
      else if (head.includes('/garbage')) sock.write('SSH-2.0-OpenSSH\r\n\r\n');
      else if (head.includes('/badlength')) sock.write('HTTP/1.1 200 OK\r\ncontent-length: lots\r\n\r\n');
      // /silent: nothing
    });
    const c = new RawClient(url, { pipelining: 1, timeoutMs: 300 });
    try {
      assert.strictEqual(errorKind((await send(c, { method: 'GET', path: '/reset' })).error), 'ECONNRESET');
      assert.strictEqual(errorKind((await send(c, { method: 'GET', path: '/garbage' })).error), 'invalid HTTP response');
      assert.strictEqual(errorKind((await send(c, { method: 'GET', path: '/badlength' })).error), 'invalid HTTP response');
      const t = Date.now();
      assert.strictEqual(errorKind((await send(c, { method: 'GET', path: '/silent' })).error), 'timeout');
      assert.ok(Date.now() - t >= 300, 'not before the timeout');
    } finally {
      await c.destroy();
      await close(server);
    }
  });

  it('writes no request that could split into two: line breaks in a header or path are refused', () => {
    assert.throws(() => serializeRequest('h', { method: 'GET', path: '/', headers: { 'x-a': 'v\r\nx-injected: 1' } }), /invalid header/);
    assert.throws(() => serializeRequest('h', { method: 'GET', path: '/ HTTP/1.1\r\nx: y' }), /invalid request path/);
    assert.strictEqual(serializeRequest('h:1', { method: 'GET', path: '/', headers: { Host: 'other' } }).toString(), 'GET / HTTP/1.1\r\nHost: other\r\n\r\n');
    assert.strictEqual(serializeRequest('h:1', { method: 'PUT', path: '/x', body: 'é' }).toString(), 'PUT /x HTTP/1.1\r\nhost: h:1\r\ncontent-length: 2\r\n\r\né');
  });
});
