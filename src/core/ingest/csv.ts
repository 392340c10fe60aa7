// A small streaming CSV reader (RFC 4180: quoted fields, "" escapes, newlines inside
// quotes, CRLF or LF) that hands each record to a callback with the line it starts on.
// Streaming so a 200 MB Locust history file parses in memory bounded by one record,
// not by the file; callback-based because a per-row async iterator costs ~2x here.
import { createReadStream } from 'fs';
import { IngestError } from './types';

export type CsvRowHandler = (fields: string[], line: number) => void;

export interface CsvOptions {
  /** A single record longer than this (characters) is an error, not an unbounded buffer. */
  maxRecordChars?: number;
}

const DEFAULT_MAX_RECORD = 4 * 1024 * 1024;
const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Incremental parser: push() text chunks in order, then end(). Records are emitted
 * as soon as they are complete; an incomplete tail waits for the next chunk.
 */
export class CsvParser {
  private pending = '';
  private line = 1; // physical line where `pending` starts
  private readonly maxRecord: number;

  constructor(
    private readonly file: string,
    private readonly onRow: CsvRowHandler,
    options?: CsvOptions,
  ) {
    this.maxRecord = options?.maxRecordChars ?? DEFAULT_MAX_RECORD;
  }

  push(chunk: string): void {
    const text = this.pending.length > 0 ? this.pending + chunk : chunk;
    const consumed = this.parse(text, false);
    this.pending = consumed < text.length ? text.slice(consumed) : '';
    if (this.pending.length > this.maxRecord) {
      throw new IngestError(this.file, `a CSV record is longer than ${this.maxRecord} characters (unterminated quote?)`, { line: this.line });
    }
  }

  end(): void {
    if (this.pending.length > 0) {
      this.parse(this.pending, true);
      this.pending = '';
    }
  }

  /** Parse complete records from `s`; returns how many characters were consumed. */
  private parse(s: string, final: boolean): number {
    const n = s.length;
    let pos = 0; // start of the current record
    while (pos < n) {
      const fields: string[] = [];
      let i = pos;
      let lines = 0; // newlines inside quoted fields of this record
      let complete = false;
      for (;;) {
        if (i >= n) {
          // End of text inside a record: complete only at end of input.
          if (!final) return pos;
          fields.push('');
          complete = true;
          break;
        }
        if (s.charCodeAt(i) === QUOTE) {
          // Quoted field: find the closing quote, unescaping "" pairs.
          let value = '';
          let start = i + 1;
          let j = start;
          let closed = false;
          while (j < n) {
            const c = s.charCodeAt(j);
            if (c === QUOTE) {
              if (j + 1 < n && s.charCodeAt(j + 1) === QUOTE) {
                value += s.slice(start, j + 1);
                j += 2;
                start = j;
                continue;
              }
              if (j + 1 >= n && !final) break; // might be the first half of ""
              value += s.slice(start, j);
              closed = true;
              j++;
              break;
            }
            if (c === LF) lines++;
            j++;
          }
          if (!closed) {
            if (!final) return pos;
            throw new IngestError(this.file, 'unterminated quoted field (file truncated?)', { line: this.line });
          }
          fields.push(value);
          i = j;
          if (i >= n) {
            if (!final) return pos;
            complete = true;
            break;
          }
          const c = s.charCodeAt(i);
          if (c === COMMA) {
            i++;
            if (i >= n && final) {
              fields.push('');
              complete = true;
              break;
            }
            continue;
          }
          if (c === LF || c === CR) {
            const after = this.endOfLine(s, i, final);
            if (after < 0) return pos;
            i = after;
            complete = true;
            break;
          }
          throw new IngestError(this.file, `unexpected character ${JSON.stringify(s[i])} after a closing quote`, { line: this.line + lines });
        }
        // Unquoted field: up to the next comma or end of line.
        let j = i;
        let c = 0;
        while (j < n) {
          c = s.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          j++;
        }
        if (j >= n) {
          if (!final) return pos;
          fields.push(s.slice(i));
          i = n;
          complete = true;
          break;
        }
        fields.push(s.slice(i, j));
        if (c === COMMA) {
          i = j + 1;
          if (i >= n && final) {
            fields.push('');
            complete = true;
            break;
          }
          continue;
        }
        const after = this.endOfLine(s, j, final);
        if (after < 0) return pos;
        i = after;
        complete = true;
        break;
      }
      if (!complete) return pos;
      const line = this.line;
      this.line += lines + 1;
      pos = i;
      // Blank lines carry no record (a trailing newline, a stray empty line).
      if (!(fields.length === 1 && fields[0] === '')) this.onRow(fields, line);
    }
    return pos;
  }

  /** Index after the line ending at `i` (LF, CRLF or lone CR); -1 when a CR ends the chunk. */
  private endOfLine(s: string, i: number, final: boolean): number {
    if (s.charCodeAt(i) === CR) {
      if (i + 1 >= s.length) return final ? i + 1 : -1;
      return s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    }
    return i + 1;
  }
}

/** Parse a whole CSV string (small files, tests). */
export function parseCsvText(file: string, text: string, onRow: CsvRowHandler, options?: CsvOptions): void {
  const parser = new CsvParser(file, onRow, options);
  parser.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  parser.end();
}

/** Stream a CSV file record by record; memory stays bounded by the longest record. */
export async function readCsv(file: string, onRow: CsvRowHandler, options?: CsvOptions): Promise<void> {
  const parser = new CsvParser(file, onRow, options);
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      parser.push(first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
      first = false;
    }
  } catch (e) {
    stream.destroy();
    if (e instanceof IngestError) throw e;
    throw new IngestError(file, `cannot read: ${(e as Error).message}`);
  }
  parser.end();
}

/** Column positions by header name, checked once so rows can be read by index. */
export class CsvHeader {
  private readonly index = new Map<string, number>();

  constructor(
    readonly file: string,
    readonly names: string[],
    readonly line = 1,
  ) {
    names.forEach((name, i) => {
      if (!this.index.has(name)) this.index.set(name, i);
    });
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  /** Index of a column the format needs; a clear error when it is missing. */
  require(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) {
      throw new IngestError(this.file, `missing column "${name}" in the CSV header`, { line: this.line, field: name });
    }
    return i;
  }

  optional(name: string): number | undefined {
    return this.index.get(name);
  }
}

/** A numeric CSV cell, or an IngestError naming the line and column. */
export function csvNumber(file: string, cell: string | undefined, line: number, column: string): number {
  if (cell === undefined) {
    throw new IngestError(file, 'row has fewer columns than the header', { line, field: column });
  }
  const t = cell.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) {
    throw new IngestError(file, `expected a number, got ${JSON.stringify(cell.length > 40 ? cell.slice(0, 40) + '…' : cell)}`, { line, field: column });
  }
  return v;
}
