// The result model every parser, engine, store and view shares.
// Canonical units so comparisons never mix scales: durations in seconds,
// memory in bytes, rates per second. Parsers convert on the way in.

/** Version of our own run format (the JSON our engines write, see docs/run-format.md). */
export const RUN_FORMAT_VERSION = 1;

/** Every tool whose results we read; one list so parsers and validators cannot drift apart. */
export const TOOL_IDS = [
  'pytest-benchmark',
  'locust',
  'hyperfine',
  'go-bench',
  'google-benchmark',
  'autocannon',
  'mocha',
  'vitest-bench',
  'k6',
  'perf-lens',
  'lighthouse',
  /** Server metrics scraped from a Prometheus endpoint during a load or memory run. */
  'prometheus',
  'pg-stat-statements',
] as const;
export type ToolId = (typeof TOOL_IDS)[number];

export const SUITE_KINDS = ['regression', 'memory', 'load', 'frontend'] as const;
export type SuiteKind = (typeof SUITE_KINDS)[number];

/** What a series measures; decides units and which direction is better. */
export type Metric = 'duration' | 'throughput' | 'memory' | 'errorRate' | 'count';

export type Unit = 's' | '1/s' | 'bytes' | 'ratio' | 'count';

export interface MachineFingerprint {
  cpuModel: string;
  cores: number;
  os: string; // e.g. "linux 6.1.0 x64"
  arch: string;
  /** Runtime name → version, e.g. { node: "20.20.2", python: "3.11.2", go: "go1.19.8" }. */
  runtimes: Record<string, string>;
}

export interface GitInfo {
  commit?: string;
  branch?: string;
  dirty?: boolean;
}

/** Summary statistics, in the series' unit. Percentile keys are "p50", "p95", "p99", "p99.9" … */
export interface Summary {
  n?: number; // rounds / requests behind the summary
  mean?: number;
  median?: number;
  stddev?: number;
  min?: number;
  max?: number;
  iqr?: number;
  percentiles?: Record<string, number>;
}

/** One second (or interval) of a load test. Times are epoch seconds; latencies in seconds. */
export interface TimelinePoint {
  t: number;
  requests: number; // requests completed in the interval (a rate when interval = 1 s)
  failures: number;
  users?: number; // active users / connections
  percentiles?: Record<string, number>;
  /** Failures in the interval by message or kind (`HTTP 500`, `ECONNREFUSED`, `timeout` …). */
  errors?: Record<string, number>;
}

/** One memory sample. t in epoch seconds; sizes in bytes; cpu in % of one core. */
export interface MemorySample {
  t: number;
  rss: number;
  heapUsed?: number;
  cpu?: number;
}

/** Endpoint facts from a load test (Locust row, autocannon run, k6 group …). */
export interface EndpointStats {
  method?: string; // upper-case; absent when the tool does not say
  route: string; // as the tool names it: a path, a template, or a request name
  requests: number;
  failures: number;
  rps?: number;
  /** Failure messages with counts (Locust _failures.csv, engine errors by kind). */
  errors?: { message: string; count: number }[];
}

export interface Series {
  /** Stable id: `tests/perf/test_api.py::test_video_list`, `BenchmarkParse`, `GET /api/videos/{id}` … */
  id: string;
  /** Human label (defaults to id). */
  name?: string;
  /** Grouping the tool reports: pytest-benchmark group, Go package, Locust "Aggregated" … */
  group?: string;
  metric: Metric;
  unit: Unit;
  /** Per-round values in `unit`, when the tool gives them. */
  samples?: number[];
  summary: Summary;
  endpoint?: EndpointStats;
  timeline?: TimelinePoint[];
  memory?: MemorySample[];
  /** Honest labels for approximations, e.g. "Locust rounds response times before percentiles". */
  notes?: string[];
  /** Tool-specific extras worth keeping (allocs/op, bytes/op, params …). Numbers or strings only. */
  extra?: Record<string, number | string>;
}

export interface Run {
  /** Unique id: ISO start time + short random suffix, set by the store when missing. */
  id?: string;
  tool: ToolId;
  suite?: string;
  kind?: SuiteKind;
  /** ISO 8601. */
  startedAt: string;
  durationSec?: number;
  git?: GitInfo;
  machine?: MachineFingerprint;
  /** The file this run was read from, when it was read from a file. */
  source?: string;
  series: Series[];
  /** Run-level notes (e.g. "partial: target went down at 12.3 s"). */
  notes?: string[];
}

/** Lower is better for durations, memory and error rates; higher for throughput. */
export function lowerIsBetter(metric: Metric): boolean {
  return metric !== 'throughput';
}
