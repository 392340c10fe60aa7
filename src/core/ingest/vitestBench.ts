// vitest bench --outputJson: files → groups → benchmarks, times in milliseconds
// (seconds here), hz in operations per second. Samples are present only when vitest
// was asked to keep them (benchmark.includeSamples); otherwise the array is empty.
import type { Run, Series } from '../model';
import { readJsonNode, type JsonNode } from './json';
import type { ParseOptions, Parser } from './types';
import { promises as fs } from 'fs';

const MS = 1000;

function benchmarkSeries(group: string, b: JsonNode): Series {
  const name = b.get('name').string();
  const opt = (k: string) => b.get(k).optNumber();
  const sec = (k: string) => {
    const v = opt(k);
    return v === undefined ? undefined : v / MS;
  };
  const percentiles: Record<string, number> = {};
  for (const [key, p] of [['median', 'p50'], ['p75', 'p75'], ['p99', 'p99'], ['p995', 'p99.5'], ['p999', 'p99.9']] as const) {
    const v = sec(key);
    if (v !== undefined) percentiles[p] = v;
  }
  const samples = (b.get('samples').optArray() ?? []).map(n => n.number() / MS);
  const n = opt('sampleCount') ?? (samples.length > 0 ? samples.length : undefined);
  const s: Series = {
    id: `${group} > ${name}`,
    name,
    group,
    metric: 'duration',
    unit: 's',
    summary: {
      n,
      mean: b.get('mean').number() / MS,
      median: sec('median'),
      stddev: sec('sd'),
      min: sec('min'),
      max: sec('max'),
      percentiles,
    },
    extra: { hz: b.get('hz').number() },
  };
  for (const k of Object.keys(s.summary) as (keyof typeof s.summary)[]) {
    if (s.summary[k] === undefined) delete s.summary[k];
  }
  for (const [key, label] of [['rme', 'rmePercent'], ['rank', 'rank'], ['totalTime', 'totalTimeMs'], ['moe', 'moeMs']] as const) {
    const v = opt(key);
    if (v !== undefined && s.extra) s.extra[label] = v;
  }
  if (samples.length > 0) s.samples = samples;
  return s;
}

async function parseVitestBench(file: string, options?: ParseOptions): Promise<Run> {
  const root = await readJsonNode(file, options);
  const series: Series[] = [];
  for (const f of root.get('files').array()) {
    f.get('filepath').string();
    for (const g of f.get('groups').array()) {
      const group = g.get('fullName').string();
      for (const b of g.get('benchmarks').array()) series.push(benchmarkSeries(group, b));
    }
  }
  // The report has no timestamp: the file's modification time (end of the run) stands in.
  const st = await fs.stat(file);
  return {
    tool: 'vitest-bench',
    kind: 'regression',
    startedAt: st.mtime.toISOString(),
    source: file,
    series,
    notes: ['vitest bench JSON has no start time: the file modification time is used.'],
  };
}

export const vitestBenchParser: Parser = {
  tool: 'vitest-bench',
  format: 'vitest bench --outputJson',
  detect(head: string): boolean {
    return /^\s*\{\s*"files"\s*:\s*\[/.test(head) && /"groups"\s*:\s*\[/.test(head) && /"hz"\s*:|"benchmarks"\s*:/.test(head);
  },
  parse: parseVitestBench,
};
