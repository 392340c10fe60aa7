// Google Benchmark `--benchmark_format=json` (also --benchmark_out). One series per run_name:
// iteration rows (one per --benchmark_repetitions) become samples, aggregate rows
// (mean/median/stddev/cv) fill the summary. Times are converted from time_unit to seconds;
// real (wall) time is the series value, CPU time goes to extra.
import type { MachineFingerprint, Run, Series, Summary } from '../model';
import { compact, isoUtc, JsonNode, readJsonNode, summarize } from './json';
import type { ParseOptions, Parser } from './types';

const LEGACY_AGGREGATE = /^(.*)_(mean|median|stddev|cv)$/;

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1 };

/** Row fields that are not user counters. */
const KNOWN_FIELDS = new Set([
  'name', 'family_index', 'per_family_instance_index', 'run_name', 'run_type', 'repetitions', 'repetition_index', 'threads',
  'iterations', 'real_time', 'cpu_time', 'time_unit', 'aggregate_name', 'aggregate_unit', 'error_occurred', 'error_message', 'label',
]);

export const googleBenchmarkParser: Parser = {
  tool: 'google-benchmark',
  format: 'Google Benchmark --benchmark_format=json',
  detect(head) {
    return /^\s*\{\s*"context"\s*:/.test(head) && /"(?:num_cpus|mhz_per_cpu|library_build_type|cpu_scaling_enabled)"\s*:/.test(head);
  },
  async parse(file: string, options?: ParseOptions): Promise<Run> {
    const root = await readJsonNode(file, options);
    const context = root.get('context');
    const groups = new Map<string, { iterations: JsonNode[]; aggregates: JsonNode[] }>();
    const notes: string[] = [];
    for (const row of root.get('benchmarks').array()) {
      const name = row.get('name').string();
      if (row.get('error_occurred').optBoolean()) {
        notes.push(`${name} failed: ${row.get('error_message').optString() ?? 'error'}`);
        continue;
      }
      // Releases before 1.5 write neither run_name nor run_type: aggregates are "<name>_mean" rows.
      const legacy = row.get('run_type').missing ? LEGACY_AGGREGATE.exec(name) : null;
      const runName = row.get('run_name').optString() ?? legacy?.[1] ?? name;
      const g = groups.get(runName) ?? { iterations: [], aggregates: [] };
      groups.set(runName, g);
      (row.get('run_type').optString() === 'aggregate' || legacy ? g.aggregates : g.iterations).push(row);
    }
    if (context.get('library_build_type').optString() === 'debug') {
      notes.push('the Google Benchmark library reports a debug build (this concerns the library, not necessarily the code measured)');
    }
    if (context.get('cpu_scaling_enabled').optBoolean()) notes.push('CPU frequency scaling was enabled: timings may be noisy');
    return compact({
      tool: 'google-benchmark',
      startedAt: isoUtc(context.get('date')),
      machine: machine(context),
      source: file,
      series: [...groups].map(([id, g]) => toSeries(id, g.iterations, g.aggregates)),
      notes: notes.length ? notes : undefined,
    } as Run);
  },
};

function seconds(row: JsonNode, field: 'real_time' | 'cpu_time'): number {
  const unit = row.get('time_unit');
  const u = unit.optString() ?? 'ns';
  const factor = UNIT_SECONDS[u];
  if (factor === undefined) unit.fail(`unknown time unit "${u}" (expected ns, us, ms or s)`);
  return row.get(field).number() * factor;
}

function toSeries(id: string, iterations: JsonNode[], aggregates: JsonNode[]): Series {
  const samples = iterations.map(r => seconds(r, 'real_time'));
  const summary: Summary = samples.length ? summarize(samples) : {};
  const extra: Record<string, number | string> = {};
  const cpu = iterations.map(r => seconds(r, 'cpu_time'));
  if (cpu.length) extra.cpuTime = mean(cpu);
  if (iterations.length) extra.iterations = mean(iterations.map(r => r.get('iterations').number()));
  const threads = (iterations[0] ?? aggregates[0])?.get('threads').optNumber();
  if (threads !== undefined && threads !== 1) extra.threads = threads;
  // User counters (items_per_second, bytes_per_second, custom): mean over the repetitions.
  const counters = new Map<string, number[]>();
  for (const r of iterations) {
    for (const [k, v] of Object.entries(r.object())) {
      if (!KNOWN_FIELDS.has(k) && typeof v === 'number') counters.set(k, [...(counters.get(k) ?? []), v]);
    }
  }
  for (const [k, v] of counters) extra[k] = mean(v);
  // The tool's own aggregates win over ours (they are what its users see).
  for (const a of aggregates) {
    const kind = a.get('aggregate_name').optString() ?? LEGACY_AGGREGATE.exec(a.get('name').string())?.[2] ?? '';
    if (kind === 'cv') extra.cv = a.get('real_time').number(); // a ratio, not a time
    else if (kind === 'mean' || kind === 'median' || kind === 'stddev') summary[kind] = seconds(a, 'real_time');
    else extra[`aggregate.${kind}`] = seconds(a, 'real_time');
  }
  if (summary.n === undefined && aggregates.length) summary.n = aggregates[0].get('repetitions').optNumber();
  const label = iterations[0]?.get('label').optString();
  if (label) extra.label = label;
  return compact({
    id,
    group: id.split('/')[0],
    metric: 'duration',
    unit: 's',
    samples: samples.length ? samples : undefined,
    summary: compact(summary),
    extra,
  } as Series);
}

function mean(values: number[]): number {
  return values.reduce((s, x) => s + x, 0) / values.length;
}

function machine(context: JsonNode): MachineFingerprint {
  // Google Benchmark names no CPU model, OS or arch: empty strings mean unknown.
  return { cpuModel: '', cores: context.get('num_cpus').optNumber() ?? 0, os: '', arch: '', runtimes: {} };
}
