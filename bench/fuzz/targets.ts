// The formats the parser fuzzer attacks, each with the real fixtures it mutates (all produced
// by the real tools, see test/fixtures/<tool>/generate.sh). Locust is a family of files: one
// member is mutated while its siblings are copied beside it, as the parser reads them by prefix.
import * as path from 'path';

export interface FuzzTarget {
  /** Format name used in reports and seeds. */
  name: string;
  /** Fixture files (paths under test/fixtures/) the mutants are made from. */
  fixtures: string[];
  /** Sibling files copied unchanged beside each mutant (Locust). */
  siblings?: string[];
  /** Whether the format is JSON (structural mutators apply) or line/CSV text. */
  shape: 'json' | 'jsonl' | 'text' | 'csv';
  /** The parser's input is streamed (no size limit): the huge-input case parses 1 GB of it. */
  streams: boolean;
}

const locust = ['run_stats.csv', 'run_stats_history.csv', 'run_failures.csv', 'run_exceptions.csv'].map(f => `locust/${f}`);
// A Lighthouse manifest names its reports by path; the parser also finds them by file name beside it.
const lhSuite = ['manifest.json', ...[1, 2, 3].flatMap(r => [`01-index-run${r}`, `02-dashboard-html-run${r}`].map(p => `${p}.report.json`))].map(f => `lighthouse/suite/${f}`);

export const TARGETS: FuzzTarget[] = [
  { name: 'perf-lens', fixtures: ['perf-lens/run.json'], shape: 'json', streams: false },
  { name: 'pytest-benchmark', fixtures: ['pytest-benchmark/stats.json', 'pytest-benchmark/no-git.json'], shape: 'json', streams: false },
  { name: 'hyperfine', fixtures: ['hyperfine/basic.json', 'hyperfine/params.json'], shape: 'json', streams: false },
  { name: 'google-benchmark', fixtures: ['google-benchmark/repetitions.json', 'google-benchmark/single.json'], shape: 'json', streams: false },
  { name: 'go-json', fixtures: ['go/test2json.jsonl'], shape: 'jsonl', streams: true },
  { name: 'go-text', fixtures: ['go/bench.txt', 'go/bench-cpu.txt'], shape: 'text', streams: true },
  { name: 'locust', fixtures: locust, siblings: locust, shape: 'csv', streams: true },
  { name: 'autocannon', fixtures: ['autocannon/result.json'], shape: 'json', streams: false },
  { name: 'mocha', fixtures: ['mocha/report.json'], shape: 'json', streams: false },
  { name: 'vitest-bench', fixtures: ['vitest/result.json'], shape: 'json', streams: false },
  { name: 'k6', fixtures: ['k6/summary-export.json', 'k6/summary-export-v1.json'], shape: 'json', streams: false },
  { name: 'lighthouse', fixtures: ['lighthouse/single.report.json', 'lighthouse/lhci/lhr-1795747361187.json'], shape: 'json', streams: false },
  { name: 'lighthouse-manifest', fixtures: ['lighthouse/suite/manifest.json'], siblings: lhSuite, shape: 'json', streams: false },
  {
    name: 'pg-stat-statements',
    fixtures: ['pg-stat-statements/snapshot.json', 'pg-stat-statements/delta.json', 'pg-stat-statements/delta-reset.json'],
    shape: 'json',
    streams: false,
  },
];

export function fixturePath(repoRoot: string, rel: string): string {
  return path.join(repoRoot, 'test', 'fixtures', rel);
}

export function targetByName(name: string): FuzzTarget {
  const t = TARGETS.find(x => x.name === name);
  if (!t) throw new Error(`unknown fuzz target ${name}; known: ${TARGETS.map(x => x.name).join(', ')}`);
  return t;
}
