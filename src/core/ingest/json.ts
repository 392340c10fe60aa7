// Shared, small helpers for parsers: read a file with a size limit, parse JSON with a
// line/column on failure, and walk the parsed value with typed, path-named checks so
// every error says *which* field was wrong (`benchmarks[3].stats.mean`).
import { promises as fs } from 'fs';
import type { Summary } from '../model';
import { IngestError, type ParseOptions } from './types';

/** Non-streaming parsers refuse files above this (256 MiB) so a bad pick cannot exhaust memory. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** Bytes read for content detection. */
export const HEAD_BYTES = 64 * 1024;

/** True when the bytes look like binary rather than text (NUL bytes or many control chars). */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  return n > 0 && control / n > 0.1;
}

/** The first `bytes` of a file as UTF-8 (for detection). */
export async function readHead(file: string, bytes = HEAD_BYTES): Promise<Buffer> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    throw new IngestError(file, `cannot open: ${(e as Error).message}`);
  }
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } catch (e) {
    throw new IngestError(file, `cannot read: ${(e as Error).message}`); // e.g. a directory
  } finally {
    await fh.close();
  }
}

/**
 * Whole file as UTF-8 text, refusing (before reading) files above `maxBytes`,
 * empty files and binary content, each with a clear IngestError.
 */
export async function readText(file: string, options?: ParseOptions): Promise<string> {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  let size: number;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new IngestError(file, 'not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof IngestError) throw e;
    throw new IngestError(file, `cannot read: ${(e as Error).message}`);
  }
  if (size > maxBytes) {
    throw new IngestError(file, `file is ${formatBytes(size)}, above the ${formatBytes(maxBytes)} limit for this format (raise maxBytes to read it)`);
  }
  if (size === 0) throw new IngestError(file, 'file is empty');
  const buf = await fs.readFile(file);
  if (looksBinary(buf)) throw new IngestError(file, 'file is binary, not a text result file');
  const text = buf.toString('utf8');
  // Strip a UTF-8 BOM (PowerShell redirects write one) so JSON.parse accepts the file.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Parse JSON text; on failure an IngestError with the line and column of the fault. */
export function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const offset = jsonErrorOffset(text, message);
    const { line, column } = lineColumnAt(text, offset);
    const truncated = offset >= text.trimEnd().length;
    const reason = message
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
      .replace(/ (?:in JSON )?at position \d+.*$/s, '')
      .replace(/\n/g, '\\n');
    const what = truncated ? 'truncated JSON (ends before the value is complete)' : `invalid JSON: ${reason}`;
    return fail(file, `${what} at line ${line}, column ${column}`, line);
  }
}

function fail(file: string, detail: string, line: number): never {
  throw new IngestError(file, detail, { line });
}

/** Read and parse a JSON file with the size limit. */
export async function readJson(file: string, options?: ParseOptions): Promise<unknown> {
  return parseJson(file, await readText(file, options));
}

// V8 names a position for most faults but not for "Unexpected token 'x'" or end of input;
// a tiny scanner finds it then (only on the failure path, so speed does not matter).
function jsonErrorOffset(text: string, message: string): number {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  if (/end of JSON input/.test(message)) return text.length;
  try {
    return scanForError(text);
  } catch {
    return 0; // absurd nesting: no position rather than a crash
  }
}

function scanForError(s: string): number {
  let i = 0;
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i])) i++;
  };
  const value = (): boolean => {
    ws();
    const c = s[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (s[i] === close) return ++i > 0;
      for (;;) {
        if (c === '{') {
          ws();
          if (s[i] !== '"' || !str()) return false;
          ws();
          if (s[i] !== ':') return false;
          i++;
        }
        if (!value()) return false;
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === close) return ++i > 0;
        else return false;
      }
    }
    if (c === '"') return str();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(s.slice(i, i + 400));
    if (!lit) return false;
    i += lit[0].length;
    return true;
  };
  const str = (): boolean => {
    i++;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '"') return ++i > 0;
      if (ch === '\\') i++;
      else if (ch < ' ') return false;
      i++;
    }
    return false;
  };
  if (value()) ws();
  return i;
}

/** `string`, `number`, `array`, `null`, `object` … for error messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * A value inside a parsed JSON document, with its path. Accessors check the type and
 * throw an IngestError naming the file and the exact field path when it is wrong:
 * `expected number, got string (field benchmarks[3].stats.mean)`.
 */
export class JsonNode {
  constructor(
    readonly file: string,
    readonly value: unknown,
    readonly path = '',
  ) {}

  static root(file: string, value: unknown): JsonNode {
    return new JsonNode(file, value);
  }

  get missing(): boolean {
    return this.value === undefined;
  }

  /** Child by key (the child may be missing; its accessors then say so). */
  get(key: string): JsonNode {
    const obj = this.object();
    const childPath = this.path ? `${this.path}.${key}` : key;
    return new JsonNode(this.file, Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined, childPath);
  }

  /** True when the value is an object with this key. */
  has(key: string): boolean {
    return typeof this.value === 'object' && this.value !== null && !Array.isArray(this.value) && key in this.value;
  }

  fail(detail: string): never {
    throw new IngestError(this.file, detail, this.path ? { field: this.path } : undefined);
  }

  private expected(what: string): never {
    return this.fail(this.missing ? `missing (expected ${what})` : `expected ${what}, got ${typeName(this.value)}`);
  }

  object(): Record<string, unknown> {
    const v = this.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.expected('object');
    return v as Record<string, unknown>;
  }

  array(): JsonNode[] {
    if (!Array.isArray(this.value)) return this.expected('array');
    return this.value.map((v, i) => new JsonNode(this.file, v, `${this.path}[${i}]`));
  }

  number(): number {
    const v = this.value;
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.expected('number');
    return v;
  }

  string(): string {
    if (typeof this.value !== 'string') return this.expected('string');
    return this.value;
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') return this.expected('boolean');
    return this.value;
  }

  /** Optional variants: missing or null → undefined; present with a wrong type → error. */
  optNumber(): number | undefined {
    return this.value == null ? undefined : this.number();
  }

  optString(): string | undefined {
    return this.value == null ? undefined : this.string();
  }

  optBoolean(): boolean | undefined {
    return this.value == null ? undefined : this.boolean();
  }

  optArray(): JsonNode[] | undefined {
    return this.value == null ? undefined : this.array();
  }

  optObject(): JsonNode | undefined {
    if (this.value == null) return undefined;
    this.object();
    return this;
  }

  numbers(): number[] {
    return this.array().map(n => n.number());
  }
}

/** Read a JSON file and return its root node. */
export async function readJsonNode(file: string, options?: ParseOptions): Promise<JsonNode> {
  return JsonNode.root(file, await readJson(file, options));
}

/**
 * Summary of raw samples for tools that give samples but no statistics (Go -count,
 * Google Benchmark repetitions without aggregates). stddev is the sample (n-1) one,
 * as pytest-benchmark, hyperfine and Google Benchmark report it.
 */
export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  if (n === 0) return { n: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((s, x) => s + x, 0) / n;
  const mid = n >> 1;
  const median = n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  // One sample has no spread to report: leave stddev out rather than claim 0.
  const stddev = n > 1 ? Math.sqrt(samples.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : undefined;
  return compact({ n, mean, median, stddev, min: sorted[0], max: sorted[n - 1] });
}

/** Drop undefined values so summaries and extras stay small and deepEqual-friendly. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Node-style arch names so fingerprints from different tools compare equal (Go amd64, Python x86_64 → x64). */
export function normalizeArch(arch: string): string {
  const a = arch.toLowerCase();
  if (a === 'x86_64' || a === 'amd64') return 'x64';
  if (a === 'aarch64' || a === 'arm64') return 'arm64';
  if (a === 'i386' || a === 'i686' || a === '386') return 'ia32';
  return a;
}

/** ISO timestamp; tools that write a naive UTC time (pytest-benchmark) get a Z. */
export function isoUtc(node: JsonNode): string {
  const s = node.string();
  const withZone = /(?:Z|[+-]\d\d:?\d\d)$/.test(s) ? s : `${s}Z`;
  const t = Date.parse(withZone);
  if (Number.isNaN(t)) node.fail(`expected an ISO date, got "${s}"`);
  return new Date(t).toISOString();
}

/** Lines longer than this are refused by readLines (a line-oriented file never has them). */
export const MAX_LINE_CHARS = 1024 * 1024;

/**
 * Stream a text file line by line (1-based line numbers) without holding it in memory,
 * for line-oriented formats that need no size limit. Refuses binary content and absurd lines.
 */
export async function readLines(file: string, onLine: (line: string, lineNo: number) => void): Promise<void> {
  const { createReadStream } = await import('fs');
  const { StringDecoder } = await import('string_decoder');
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let lineNo = 0;
  let first = true;
  try {
    for await (const chunk of createReadStream(file)) {
      const buf = chunk as Buffer;
      if (first && looksBinary(buf)) throw new IngestError(file, 'file is binary, not a text result file');
      first = false;
      pending += decoder.write(buf);
      let start = 0;
      let nl: number;
      while ((nl = pending.indexOf('\n', start)) >= 0) {
        onLine(pending.slice(start, nl).replace(/\r$/, ''), ++lineNo);
        start = nl + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE_CHARS) throw new IngestError(file, `line longer than ${MAX_LINE_CHARS} characters`, { line: lineNo + 1 });
    }
  } catch (e) {
    if (e instanceof IngestError) throw e;
    throw new IngestError(file, `cannot read: ${(e as Error).message}`);
  }
  pending += decoder.end();
  if (pending) onLine(pending, ++lineNo);
  if (first) throw new IngestError(file, 'file is empty');
}
