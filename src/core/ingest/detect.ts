// Pick a parser by looking at a file's content (names lie: `results.json` can be anything),
// then parse it. The first parser in registry order whose detect() accepts the head wins.
import * as path from 'path';
import type { Run } from '../model';
import { HEAD_BYTES, looksBinary, readHead } from './json';
import { parsers as registered } from './registry';
import { checkRun } from './sanity';
import { IngestError, type ParseOptions, type Parser } from './types';

export async function detectParser(file: string, candidates: readonly Parser[] = registered): Promise<Parser> {
  const buf = await readHead(file, HEAD_BYTES);
  if (buf.length === 0) throw new IngestError(file, 'file is empty');
  if (looksBinary(buf)) throw new IngestError(file, 'file is binary, not a text result file');
  let head = buf.toString('utf8');
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  const name = path.basename(file);
  const found = candidates.find(p => safeDetect(p, head, name));
  if (found) return found;
  const known = candidates.map(p => p.format).join('; ');
  throw new IngestError(file, `unrecognised result format. Known formats: ${known || '(none registered)'}`);
}

// A detector that throws on odd input must not hide the others.
function safeDetect(p: Parser, head: string, name: string): boolean {
  try {
    return p.detect(head, name);
  } catch {
    return false;
  }
}

/** Detect the format, parse and check the model; the Run's `source` is the file read. */
export async function ingestFile(file: string, options?: ParseOptions): Promise<Run> {
  const parser = await detectParser(file);
  const run = await parser.parse(file, options);
  // Whatever the parser let through must still be a valid model (finite, canonical, non-negative).
  return checkRun(file, { ...run, source: run.source ?? file });
}
