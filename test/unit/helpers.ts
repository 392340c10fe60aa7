// Shared helpers for unit tests. Paths resolve from the repository root, which is
// where mocha runs (npm scripts) — so tests work whatever folder tsc compiled them into.
import * as path from 'path';

export const repoRoot = path.resolve(process.env.PERF_LENS_REPO ?? process.cwd());

/** Absolute path of a file under test/fixtures/. */
export function fixture(...parts: string[]): string {
  return path.join(repoRoot, 'test', 'fixtures', ...parts);
}
