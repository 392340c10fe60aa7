// The load engine's plain-HTTP/1.1 connection: requests written straight to a socket, responses
// framed by a small parser of our own (status line, Content-Length, chunked, read-to-close). Only
// framing is parsed: the engine needs a status and the end of each response, never the body.
// Why not undici here: on an idle keep-alive connection undici spends ~60 µs of CPU per request
// (its idle-socket check, ref/unref and timers, the llhttp wasm parser) against ~35 µs for a
// socket of our own, and at a moderate paced load that showed as latency wrk does not see
// (bench/load-engine's paced section). autocannon and wrk frame responses themselves too.
// https targets, and scenarios with "client": "undici", keep undici's Client (runner.ts).
import * as net from 'net';

/** What the runner's exchanges implement (a subset of undici's DispatchHandler, called the same way). */
export interface RawHandler {
  /** Called just before the request is written: latency counts from here in the closed loop. */
  onConnect(abort: () => void): void;
  onHeaders(statusCode: number): boolean;
  onComplete(trailers: null): void;
  onError(err: Error): void;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string> | null;
  body?: string | null;
}

export interface RawClientOptions {
  pipelining: number;
  /** No byte of progress on a connection with requests out for this long fails them (timeout). */
  timeoutMs: number;
  /** Name resolution for the connect (the engine's loopback check). */
  lookup?: net.LookupFunction;
}

/** Errors carry the codes errorKind (recorder.ts) groups: ETIMEDOUT, ECONNRESET, HPE_* … */
function failure(code: string, message: string, name = 'Error'): Error {
  const e = new Error(message) as Error & { code: string };
  e.code = code;
  e.name = name;
  return e;
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
/** A response head larger than this is not HTTP we can frame. */
const MAX_HEAD = 64 * 1024;
/** Every connection's reads land here, one at a time (see connect). */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
/** RFC 9110 token: what a method or header name may be. */
export const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What would end a header line early (a header value may hold none of it). */
export const LINE_BREAK = /[\r\n\0]/;
/** What a request target may not hold (it ends at the first space). */
export const NOT_IN_PATH = /[\s\0]/;

/** The request's bytes. Header values and the path may not break a line (no request smuggling). */
export function serializeRequest(host: string, r: RawRequest): Buffer {
  if (!HTTP_TOKEN.test(r.method)) throw failure('ERR_INVALID_METHOD', `invalid method "${r.method}"`);
  if (NOT_IN_PATH.test(r.path)) throw failure('ERR_INVALID_PATH', `invalid request path ${JSON.stringify(r.path)}`);
  let head = `${r.method} ${r.path} HTTP/1.1\r\n`;
  const headers = r.headers ?? {};
  let hasHost = false;
  let hasLength = false;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (!HTTP_TOKEN.test(name) || LINE_BREAK.test(value)) throw failure('ERR_INVALID_HEADER', `invalid header ${JSON.stringify(name)}`);
    const lower = name.toLowerCase();
    if (lower === 'host') hasHost = true;
    else if (lower === 'content-length' || lower === 'transfer-encoding') hasLength = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost) head = head.replace('\r\n', `\r\nhost: ${host}\r\n`);
  const body = r.body == null ? undefined : Buffer.from(r.body, 'utf8');
  if (body && !hasLength) head += `content-length: ${body.length}\r\n`;
  head += '\r\n';
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}

/** A request object's bytes, kept on it: the runner sends fixed requests again and again. */
const BYTES = Symbol('perf-lens.rawBytes');
type Cached = RawRequest & { [BYTES]?: Buffer };

interface Sent {
  handler: RawHandler;
  bytes: Buffer;
  /** HEAD: the response has no body whatever its headers say. */
  head: boolean;
}

/** Where the parser is in the response at the front of the in-flight queue. */
const enum Phase {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
}

/** One connection to `origin`, reconnected as needed; pipelines up to `pipelining` requests. */
export class RawClient {
  readonly stats = { connected: false };
  private socket: net.Socket | undefined;
  /** Not yet written (no connection yet, or the pipeline is full). */
  private queue: Sent[] = [];
  /** Written, answered in this order. */
  private inFlight: Sent[] = [];
  private phase = Phase.Head;
  private remaining = 0;
  private rest: Buffer | undefined;
  /** The response being read ends the connection (Connection: close, HTTP/1.0). */
  private closeAfter = false;
  /** Server's keep-alive hint: an idle connection is not reused past this (Date.now ms). */
  private idleUntil = 0;
  private keepAliveMs = 0;
  private destroyed = false;
  /** Progress counter for the watchdog: bumped on every write and read. */
  private progress = 0;
  private seen = -1;
  private stalledMs = 0;
  private readonly watchdog: NodeJS.Timeout;
  private readonly host: string;
  private readonly port: number;
  private readonly hostname: string;

  constructor(origin: URL, private readonly opts: RawClientOptions) {
    this.host = origin.host;
    this.port = Number(origin.port) || 80;
    this.hostname = origin.hostname.replace(/^\[|\]$/g, '');
    // A coarse watchdog instead of a timer per request (a timer set and cleared per request is
    // the kind of cost this client exists to avoid).
    const every = Math.max(10, Math.min(250, opts.timeoutMs / 4));
    this.watchdog = setInterval(() => this.watch(every), every);
    this.watchdog.unref();
  }

  /** Sends `req` (its bytes are built once per request object: the runner reuses fixed ones). */
  dispatch(req: RawRequest, handler: RawHandler): boolean {
    if (this.destroyed) {
      handler.onError(failure('UND_ERR_DESTROYED', 'the client is closed'));
      return false;
    }
    let bytes = (req as Cached)[BYTES];
    if (!bytes) {
      try {
        bytes = serializeRequest(this.host, req);
      } catch (e) {
        handler.onError(e as Error);
        return false;
      }
      (req as Cached)[BYTES] = bytes;
    }
    this.queue.push({ handler, bytes, head: req.method === 'HEAD' });
    this.pump();
    return true;
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.watchdog);
    const socket = this.socket;
    this.socket = undefined;
    this.stats.connected = false;
    socket?.destroy();
    const gone = [...this.inFlight, ...this.queue];
    this.inFlight = [];
    this.queue = [];
    for (const s of gone) s.handler.onError(failure('UND_ERR_ABORTED', 'the run ended'));
  }

  /** Writes what the pipeline has room for; connects first when there is no connection. */
  private pump(): void {
    if (!this.queue.length) return;
    const socket = this.socket;
    if (!socket) return this.connect();
    if (!this.stats.connected) return; // connecting: 'connect' pumps
    if (this.inFlight.length === 0 && this.idleUntil && Date.now() >= this.idleUntil) {
      // Past the server's keep-alive timeout: it may close just as we write. A fresh connection.
      this.drop(socket);
      return this.connect();
    }
    const room = this.opts.pipelining - this.inFlight.length;
    if (room <= 0 || this.closeAfter) return;
    const n = Math.min(room, this.queue.length);
    if (n > 1) socket.cork();
    for (let k = 0; k < n; k++) {
      const s = this.queue.shift()!;
      this.inFlight.push(s);
      s.handler.onConnect(noAbort);
      socket.write(s.bytes);
    }
    if (n > 1) socket.uncork();
    this.progress++;
  }

  private connect(): void {
    this.idleUntil = 0;
    this.keepAliveMs = 0;
    this.phase = Phase.Head;
    this.rest = undefined;
    this.closeAfter = false;
    let error: Error | undefined;
    // Reads land in one buffer shared by every connection (onread): a read is framed before the
    // next one starts, and a fresh 64 KiB buffer per read (Node's default) cost a scavenge every
    // ~1,400 requests here.
    const socket = net.connect({
      host: this.hostname, port: this.port, lookup: this.opts.lookup, noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: n => {
          if (this.socket === socket) this.read(socket, READ_BUFFER.subarray(0, n));
          return true;
        },
      },
    });
    this.socket = socket;
    this.progress++;
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.stats.connected = true;
      this.pump();
    });
    socket.on('error', e => (error = e));
    socket.on('close', () => this.socket === socket && this.closed(socket, error));
  }

  /** Stops using `socket` without failing anything (the caller decides what happens to requests). */
  private drop(socket: net.Socket): void {
    if (this.socket === socket) {
      this.socket = undefined;
      this.stats.connected = false;
    }
    socket.destroy();
  }

  /**
   * The connection is gone. A response read to the close ends there; else the request at the
   * front fails. The ones pipelined behind go out again on a new connection (the server answered
   * none of them), as undici does. A failed connect fails everything waiting for it.
   */
  private closed(socket: net.Socket, error: Error | undefined): void {
    const wasConnected = this.stats.connected;
    this.drop(socket);
    // A body read to the close is complete now; nothing else was being answered.
    const answered = this.phase === Phase.UntilClose && this.inFlight.length > 0 && !error;
    if (answered) {
      this.phase = Phase.Head;
      this.complete();
    }
    const front = answered ? undefined : this.inFlight.shift();
    const again = this.inFlight;
    this.inFlight = [];
    this.queue = again.concat(this.queue);
    this.phase = Phase.Head;
    this.rest = undefined;
    if (!wasConnected) {
      // Nothing was written: the connect failed (refused, unreachable). Fail all that waited.
      const waiting = this.queue;
      this.queue = [];
      const err = error ?? failure('ECONNRESET', 'the connection closed before it was established');
      for (const s of waiting) s.handler.onError(err);
      return;
    }
    front?.handler.onError(error ?? failure('ECONNRESET', 'the server closed the connection before answering'));
    if (!this.destroyed) this.pump();
  }

  private read(socket: net.Socket, chunk: Buffer): void {
    this.progress++;
    let data = chunk;
    if (this.rest) {
      data = Buffer.concat([this.rest, chunk]);
      this.rest = undefined;
    }
    let i = 0;
    while (i < data.length) {
      if (this.socket !== socket) return; // dropped while a completion ran (the run ended)
      if (!this.inFlight.length) return this.broken(socket, 'HPE_UNEXPECTED', 'response bytes with no request waiting');
      switch (this.phase) {
        case Phase.Head: {
          const end = data.indexOf(HEAD_END, i);
          if (end < 0) {
            if (data.length - i > MAX_HEAD) return this.broken(socket, 'HPE_HEADER_OVERFLOW', 'response head over 64 KiB');
            this.rest = Buffer.from(data.subarray(i)); // a copy: the read buffer is reused
            return;
          }
          const ok = this.head(data, i, end);
          i = end + 4;
          if (!ok) return this.broken(socket, 'HPE_INVALID_CONSTANT', 'not an HTTP/1.x response');
          if (this.phase === Phase.Head && this.remaining < 0) {
            this.remaining = 0;
            continue; // 1xx: the real response follows
          }
          if (this.phase === Phase.Head && !this.complete()) return; // no body
          break;
        }
        case Phase.Length: {
          i = this.skip(data, i);
          if (this.remaining === 0) {
            this.phase = Phase.Head;
            if (!this.complete()) return;
          }
          break;
        }
        case Phase.ChunkSize: {
          const eol = data.indexOf(CRLF, i);
          if (eol < 0) {
            if (data.length - i > 1024) return this.broken(socket, 'HPE_INVALID_CHUNK_SIZE', 'chunk size line too long');
            this.rest = Buffer.from(data.subarray(i));
            return;
          }
          const size = parseInt(data.toString('latin1', i, eol), 16);
          if (!Number.isFinite(size) || size < 0) return this.broken(socket, 'HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
          i = eol + 2;
          if (size === 0) this.phase = Phase.Trailers;
          else {
            this.phase = Phase.ChunkData;
            this.remaining = size;
          }
          break;
        }
        case Phase.ChunkData: {
          i = this.skip(data, i);
          if (this.remaining === 0) {
            this.phase = Phase.ChunkEnd;
            this.remaining = 2; // the CRLF after the data
          }
          break;
        }
        case Phase.ChunkEnd: {
          i = this.skip(data, i);
          if (this.remaining === 0) this.phase = Phase.ChunkSize;
          break;
        }
        case Phase.Trailers: {
          // Trailer lines until an empty one.
          const eol = data.indexOf(CRLF, i);
          if (eol < 0) {
            if (data.length - i > MAX_HEAD) return this.broken(socket, 'HPE_HEADER_OVERFLOW', 'trailers over 64 KiB');
            this.rest = Buffer.from(data.subarray(i));
            return;
          }
          const empty = eol === i;
          i = eol + 2;
          if (empty) {
            this.phase = Phase.Head;
            if (!this.complete()) return;
          }
          break;
        }
        case Phase.UntilClose:
          return; // everything up to the close is body
      }
    }
  }

  /** Passes over up to `remaining` bytes of body from `i`; returns where reading goes on. */
  private skip(data: Buffer, i: number): number {
    const take = Math.min(this.remaining, data.length - i);
    this.remaining -= take;
    return i + take;
  }

  /**
   * Reads the response head in data[start, end) — bytes, not a string: nothing is allocated for
   * the headers framing does not need. Sets the phase for its body (Head again: no body, and
   * `remaining` -1 for an interim 1xx). False when it is not an HTTP/1.x response we can frame.
   */
  private head(data: Buffer, start: number, end: number): boolean {
    if (end - start < 12 || !startsWith(data, start, HTTP1) || data[start + 8] !== 0x20) return false;
    const status = digit(data[start + 9]) * 100 + digit(data[start + 10]) * 10 + digit(data[start + 11]);
    if (!(status >= 100)) return false; // NaN: not three digits
    const sent = this.inFlight[0];
    if (status < 200 && status !== 101) {
      this.phase = Phase.Head;
      this.remaining = -1;
      return true;
    }
    let length = -1; // none
    let chunked = false;
    let close = data[start + 7] === 0x30; // HTTP/1.0: close unless it says keep-alive
    for (let p = data.indexOf(CRLF, start); p >= 0 && p < end; ) {
      const line = p + 2;
      let eol = data.indexOf(CRLF, line);
      if (eol < 0 || eol > end) eol = end;
      p = eol < end ? eol : -1;
      const c = data[line] | 0x20; // c(ontent-length, onnection) t(ransfer-encoding) k(eep-alive)
      if (c === 0x63 && isName(data, line, eol, CONTENT_LENGTH)) length = decimal(data, line + CONTENT_LENGTH.length + 1, eol);
      else if (c === 0x63 && isName(data, line, eol, CONNECTION)) {
        const v = data.toString('latin1', line + CONNECTION.length + 1, eol).toLowerCase();
        close = v.includes('close') || (close && !v.includes('keep-alive'));
      } else if (c === 0x74 && isName(data, line, eol, TRANSFER_ENCODING)) {
        chunked = data.toString('latin1', line + TRANSFER_ENCODING.length + 1, eol).trim().toLowerCase().endsWith('chunked');
      } else if (c === 0x6b && !this.keepAliveMs && isName(data, line, eol, KEEP_ALIVE)) {
        // Read once per connection: servers repeat the same hint on every response.
        const timeout = Number(/timeout=(\d+)/i.exec(data.toString('latin1', line, eol))?.[1] ?? 0);
        if (timeout > 0) this.keepAliveMs = timeout * 1000;
      }
    }
    if (!chunked && !(length >= -1)) return false; // a Content-Length that is no number
    this.closeAfter = close || status === 101;
    this.remaining = 0;
    if (sent.head || status === 101 || status === 204 || status === 304) this.phase = Phase.Head;
    else if (chunked) this.phase = Phase.ChunkSize;
    else if (length >= 0) {
      this.remaining = length;
      this.phase = length > 0 ? Phase.Length : Phase.Head;
    } else this.phase = Phase.UntilClose;
    sent.handler.onHeaders(status);
    return true;
  }

  /** The front response is complete. False when the connection ends with it (stop reading). */
  private complete(): boolean {
    const sent = this.inFlight.shift()!;
    const closing = this.closeAfter;
    if (closing) {
      // The server answers nothing more on this connection: the rest go out on a new one.
      const socket = this.socket;
      this.queue = this.inFlight.concat(this.queue);
      this.inFlight = [];
      this.closeAfter = false;
      this.rest = undefined;
      if (socket) this.drop(socket);
    } else if (this.keepAliveMs && !this.inFlight.length) {
      // A second's margin before the server's idle timeout, as undici keeps.
      this.idleUntil = Date.now() + Math.max(0, this.keepAliveMs - 1000);
    }
    sent.handler.onComplete(null); // may dispatch the next request right away
    if (closing && !this.destroyed) this.pump();
    return !closing;
  }

  /** The peer spoke something we cannot frame: the connection is dropped, its requests fail. */
  private broken(socket: net.Socket, code: string, message: string): void {
    const err = failure(code, message, 'HTTPParserError');
    const failed = this.inFlight;
    this.inFlight = [];
    this.phase = Phase.Head;
    this.rest = undefined;
    this.drop(socket);
    for (const s of failed) s.handler.onError(err);
    if (!this.destroyed) this.pump();
  }

  /** Fails the requests of a connection that made no progress for the timeout. */
  private watch(every: number): void {
    const waiting = this.inFlight.length > 0 || (this.socket !== undefined && !this.stats.connected);
    if (!waiting || this.progress !== this.seen) {
      this.seen = this.progress;
      this.stalledMs = 0;
      return;
    }
    this.stalledMs += every;
    if (this.stalledMs < this.opts.timeoutMs || !this.socket) return;
    this.stalledMs = 0;
    const socket = this.socket;
    const err = failure('ETIMEDOUT', `no answer in ${this.opts.timeoutMs / 1000} s`);
    const failed = this.stats.connected ? this.inFlight : this.queue;
    if (this.stats.connected) this.inFlight = [];
    else this.queue = [];
    this.phase = Phase.Head;
    this.rest = undefined;
    this.drop(socket);
    for (const s of failed) s.handler.onError(err);
    if (!this.destroyed) this.pump();
  }
}

const noAbort = (): void => undefined;

const HTTP1 = Buffer.from('HTTP/1.');
const CONTENT_LENGTH = Buffer.from('content-length');
const CONNECTION = Buffer.from('connection');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding');
const KEEP_ALIVE = Buffer.from('keep-alive');

function startsWith(data: Buffer, at: number, prefix: Buffer): boolean {
  for (let k = 0; k < prefix.length; k++) if (data[at + k] !== prefix[k]) return false;
  return true;
}

/** Whether the header line at data[line, eol) is `name:` (any case); `name` is lower case. */
function isName(data: Buffer, line: number, eol: number, name: Buffer): boolean {
  if (eol - line <= name.length || data[line + name.length] !== 0x3a) return false;
  for (let k = 0; k < name.length; k++) if ((data[line + k] | 0x20) !== name[k]) return false;
  return true;
}

/** 0–9 for an ASCII digit, NaN otherwise. */
function digit(b: number | undefined): number {
  return b !== undefined && b >= 0x30 && b <= 0x39 ? b - 0x30 : NaN;
}

/** The decimal number in data[from, to) between optional spaces or tabs; NaN when there is none or more. */
function decimal(data: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && (data[i] === 0x20 || data[i] === 0x09)) i++;
  let n = 0;
  const first = i;
  for (; i < to && data[i] >= 0x30 && data[i] <= 0x39; i++) n = n * 10 + data[i] - 0x30;
  while (i < to && (data[i] === 0x20 || data[i] === 0x09)) i++;
  return i === to && i > first && Number.isSafeInteger(n) ? n : NaN;
}
