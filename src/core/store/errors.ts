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

/** JSON.parse with an error naming the file, line and column (the ingest parser's locator). */
export function parseJsonLocated(text: string, file: string): unknown {
  try {
    return parseJson(file, text);
  } catch (e) {
    if (e instanceof IngestError) throw new StoreFormatError(file, e.detail, e.where);
    throw e;
  }
}
