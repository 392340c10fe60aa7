// The contract every tool parser fulfils. Parsers are pure: a path (and its
// first bytes for detection) in, a Run or an IngestError out.
import { LocatedError } from '../errors';
import type { Run, ToolId } from '../model';

/** A clear, located error for bad input. Never thrown as anything else by a parser. */
export class IngestError extends LocatedError {
  constructor(file: string, detail: string, where?: { line?: number; field?: string }) {
    super(file, detail, where);
    this.name = 'IngestError';
  }
}

export interface ParseOptions {
  /** Refuse files larger than this many bytes unless the parser streams (default 256 MiB). */
  maxBytes?: number;
}

export interface Parser {
  tool: ToolId;
  /** Human name of the format, e.g. "pytest-benchmark --benchmark-json". */
  format: string;
  /**
   * Decide from content (the first 64 KiB, decoded as UTF-8) and the file name.
   * Content wins: names are only a tie-breaker.
   */
  detect(head: string, fileName: string): boolean;
  /** Parse one result file. May read sibling files (Locust's CSV family). */
  parse(file: string, options?: ParseOptions): Promise<Run>;
}
