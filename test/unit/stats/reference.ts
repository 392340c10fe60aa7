// Loads reference.json (numpy/scipy values written by reference.py beside it) for the stats tests.
import * as fs from 'fs';
import * as path from 'path';
import * as assert from 'assert';
import { repoRoot } from '../helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shape checked per test by use
export type Json = any;

let cached: Json | undefined;

export function reference(): Json {
  cached ??= JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'unit', 'stats', 'reference.json'), 'utf8'));
  return cached;
}

/** |actual − expected| ≤ rel·|expected| + abs. */
export function close(actual: number, expected: number, rel = 1e-12, abs = 0, what = ''): void {
  const ok = Math.abs(actual - expected) <= rel * Math.abs(expected) + abs;
  assert.ok(ok, `${what} expected ${expected}, got ${actual} (rel ${rel}, abs ${abs})`);
}
