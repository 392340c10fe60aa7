// A located error for a store file that cannot be read as what it claims to be.
import { LocatedError } from '../errors';
import { parseJson } from '../ingest/json';
import { IngestError } from '../ingest/types';

export class StoreFormatError extends LocatedError {
  constructor(file: string, detail: string, where?: { line?: number; field?: string }) {
    super(file, detail, where);
    this.name = 'StoreFormatError';
  }
}

/**
 * A store write that failed (disk full, read-only, permissions). Names the file and says the
 * previous content is intact, which the atomic write and the history append guarantee.
 * `code` keeps the errno code (ENOSPC, EACCES …) for callers that branch on it.
 */
export class StoreWriteError extends LocatedError {
  readonly code?: string;
  constructor(file: string, cause: unknown, what = 'cannot write') {
    const code = (cause as NodeJS.ErrnoException)?.code;
    const reason = code === 'ENOSPC' ? 'no space left on device (ENOSPC)' : code === 'EDQUOT' ? 'disk quota exceeded (EDQUOT)' : String((cause as Error)?.message ?? cause);
    super(file, `${what}: ${reason}; the previous content is intact`);
    this.name = 'StoreWriteError';
    this.code = code;
  }
}

/** JSON.parse with an error naming the file, line and column (the ingest parser's locator). */
export function parseJsonLocated(text: string, file: string): unknown {
  try {
    return parseJson(file, text);
  } catch (e) {
    if (e instanceof IngestError) throw new StoreFormatError(file, e.detail, e.where);
    throw e;
  }
}
