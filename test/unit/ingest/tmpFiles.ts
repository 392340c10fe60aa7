// Temporary copies and corruptions of real fixtures for the ingest tests (parts 1: pytest-benchmark,
// hyperfine, go, google-benchmark, perf-lens). Cleaned up after each suite.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as assert from 'assert';
import { IngestError } from '../../../src/core/ingest/types';

export class TmpDir {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-ingest-'));

  write(name: string, content: string | Buffer): string {
    const p = path.join(this.dir, name);
    fs.writeFileSync(p, content);
    return p;
  }

  /** A copy of a fixture under another (misleading) name. */
  copy(from: string, name: string): string {
    return this.write(name, fs.readFileSync(from));
  }

  /** A fixture's JSON, changed by `edit`, written under `name`. */
  editJson(from: string, name: string, edit: (doc: Record<string, any>) => void): string {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test corruption of arbitrary JSON
    const doc = JSON.parse(fs.readFileSync(from, 'utf8')) as Record<string, any>;
    edit(doc);
    return this.write(name, JSON.stringify(doc, null, 2));
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Awaits a rejection that must be an IngestError whose message contains every part. */
export async function rejectsWith(p: Promise<unknown>, ...parts: (string | RegExp)[]): Promise<IngestError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof IngestError, `expected IngestError, got ${String(e)}`);
    for (const part of parts) {
      if (typeof part === 'string') assert.ok(e.message.includes(part), `"${e.message}" should contain "${part}"`);
      else assert.match(e.message, part);
    }
    return e;
  }
  return assert.fail('expected a rejection');
}

export function readJsonFixture(file: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
}

/** Equal within floating-point rounding of a unit conversion. */
export function close(actual: number | undefined, expected: number, what = ''): void {
  assert.ok(actual !== undefined, `${what}: missing`);
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-12, `${what}: ${actual} != ${expected}`);
}
