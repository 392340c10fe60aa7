// Shared assertion for bad-input tests: the parser rejects with an IngestError that
// names the file and, when given, the line or field.
import * as assert from 'assert';
import { IngestError, type Parser } from '../../../src/core/ingest/types';

export async function assertIngestError(
  parser: Parser,
  file: string,
  pattern: RegExp,
  where: { line?: number; field?: string } = {},
): Promise<void> {
  await assert.rejects(parser.parse(file), (e: unknown) => {
    assert.ok(e instanceof IngestError, `expected IngestError, got ${String(e)}`);
    assert.strictEqual(e.file, file);
    assert.ok(e.message.startsWith(file), e.message);
    assert.match(e.message, pattern);
    if (where.line !== undefined) assert.strictEqual(e.where?.line, where.line, e.message);
    if (where.field !== undefined) assert.strictEqual(e.where?.field, where.field, e.message);
    assert.ok(e.where?.line !== undefined || e.where?.field !== undefined, `no line or field in: ${e.message}`);
    return true;
  });
}
