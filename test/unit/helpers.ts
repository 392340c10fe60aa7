// Shared helpers for unit tests. Paths resolve from the repository root (mocha runs there),
// so tests work whatever folder tsc compiled them into.
import * as path from 'path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Absolute path of a file under test/fixtures/. */
export function fixture(...parts: string[]): string {
  return path.join(repoRoot, 'test', 'fixtures', ...parts);
}
