// The shell command a suite runs, whole or narrowed to one benchmark. Narrowing follows
// each tool's own filter (pytest -k, go test -bench, mocha --grep, hyperfine has none) or
// the suite's `runOne` template; pure so the CLI and the editor build the same command.
import type { RegressionSuite } from './projectConfig';

export interface Target {
  /** Series id as stored (e.g. `tests/perf/test_x.py::test_sort[10]`, `BenchmarkParse/small`). */
  id: string;
  /** Function or test name as located in source (e.g. `test_sort`, `BenchmarkParse`). */
  name: string;
  /** Workspace-relative file of the definition. */
  file: string;
}

/** Quote for a POSIX shell: one word, no expansion. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The command running only `target`, or undefined when the suite's tool cannot be narrowed
 * (then the whole suite runs). Placeholders in `runOne` are shell-quoted on substitution.
 */
export function narrowCommand(suite: RegressionSuite, target: Target): string | undefined {
  if (suite.runOne) {
    return suite.runOne.replace(/\{(id|name|file)\}/g, (_, key: keyof Target) => shellQuote(target[key]));
  }
  const cmd = suite.command;
  if (/\bpytest\b/.test(cmd)) return `${cmd} -k ${shellQuote(target.name)}`;
  if (/\bgo\s+test\b/.test(cmd)) {
    // Go matches -bench per slash-separated level: anchor the top-level name only.
    return `${cmd} -run '^$' -bench ${shellQuote(`^${escapeRegExp(target.name)}$`)}`;
  }
  if (/\b(mocha|vitest|jest)\b/.test(cmd)) {
    const flag = /\bmocha\b/.test(cmd) ? '--grep' : '-t';
    return `${cmd} ${flag} ${shellQuote(escapeRegExp(target.id))}`;
  }
  return undefined;
}
