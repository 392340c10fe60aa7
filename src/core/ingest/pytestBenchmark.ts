// pytest-benchmark `--benchmark-json`: one series per benchmark (id = fullname), times already
// in seconds; per-round `stats.data` become samples (always written by 3.x, by 4.x only with
// --benchmark-save-data).
import type { GitInfo, MachineFingerprint, Run, Series } from '../model';
import { compact, isoUtc, JsonNode, normalizeArch, readJsonNode } from './json';
import type { ParseOptions, Parser } from './types';

export const pytestBenchmarkParser: Parser = {
  tool: 'pytest-benchmark',
  format: 'pytest-benchmark --benchmark-json',
  detect(head) {
    // machine_info is the first key pytest-benchmark writes; fullname/stats confirm it.
    return /^\s*\{\s*"machine_info"\s*:/.test(head) || (/"machine_info"\s*:/.test(head) && /"fullname"\s*:/.test(head));
  },
  async parse(file: string, options?: ParseOptions): Promise<Run> {
    const root = await readJsonNode(file, options);
    root.object();
    const series = root.get('benchmarks').array().map(toSeries);
    return compact({
      tool: 'pytest-benchmark',
      startedAt: isoUtc(root.get('datetime')),
      git: gitInfo(root.get('commit_info')),
      machine: machine(root.get('machine_info')),
      source: file,
      series,
    } as Run);
  },
};

function toSeries(b: JsonNode): Series {
  const stats = b.get('stats');
  const data = stats.get('data').optArray()?.map(n => n.number());
  const extra: Record<string, number | string> = {};
  const ops = stats.get('ops').optNumber();
  if (ops !== undefined) extra.ops = ops;
  const iterations = stats.get('iterations').optNumber();
  if (iterations !== undefined) extra.iterations = iterations;
  const outliers = stats.get('outliers').optString();
  if (outliers !== undefined) extra.outliers = outliers;
  for (const q of ['q1', 'q3'] as const) {
    const v = stats.get(q).optNumber();
    if (v !== undefined) extra[q] = v;
  }
  // benchmark.extra_info[...] set by the test: keep the scalar ones.
  const info = b.get('extra_info').optObject();
  if (info) {
    for (const [k, v] of Object.entries(info.object())) if (typeof v === 'number' || typeof v === 'string') extra[`info.${k}`] = v;
  }
  const param = b.get('param').optString();
  if (param !== undefined) extra.param = param;
  const name = b.get('name').string();
  return compact({
    id: b.get('fullname').string(),
    name,
    group: b.get('group').optString(),
    metric: 'duration',
    unit: 's',
    samples: data,
    summary: compact({
      n: stats.get('rounds').number(),
      mean: stats.get('mean').number(),
      median: stats.get('median').number(),
      stddev: stats.get('stddev').number(),
      min: stats.get('min').number(),
      max: stats.get('max').number(),
      iqr: stats.get('iqr').optNumber(),
    }),
    notes: iterations !== undefined && iterations > 1 ? [`each round ran ${iterations} iterations; values are per iteration`] : undefined,
    extra: Object.keys(extra).length ? extra : undefined,
  } as Series);
}

function gitInfo(ci: JsonNode): GitInfo | undefined {
  if (ci.missing || ci.value === null) return undefined;
  ci.object();
  const id = ci.get('id').optString();
  const branch = ci.get('branch').optString();
  // Outside a repository pytest-benchmark writes id "unversioned" and branch "(unknown)".
  const git = compact({
    commit: id && id !== 'unversioned' ? id : undefined,
    branch: branch && branch !== '(unknown)' ? branch : undefined,
    dirty: id && id !== 'unversioned' ? ci.get('dirty').optBoolean() : undefined,
  } as GitInfo);
  return Object.keys(git).length ? git : undefined;
}

function machine(mi: JsonNode): MachineFingerprint | undefined {
  if (mi.missing || mi.value === null) return undefined;
  mi.object();
  const cpu = mi.has('cpu') ? mi.get('cpu') : undefined;
  const cpuText = (key: string) => (cpu && cpu.has(key) ? cpu.get(key).optString() : undefined);
  const arch = normalizeArch(mi.get('machine').optString() ?? '');
  const runtimes: Record<string, string> = {};
  const py = mi.get('python_version').optString();
  if (py) runtimes.python = py;
  const impl = mi.get('python_implementation').optString();
  if (impl && impl !== 'CPython') runtimes[impl.toLowerCase()] = mi.get('python_implementation_version').optString() ?? '';
  return {
    cpuModel: cpuText('brand_raw') ?? cpuText('brand') ?? mi.get('processor').optString() ?? '',
    cores: cpu && cpu.has('count') ? cpu.get('count').optNumber() ?? 0 : 0,
    os: [mi.get('system').optString()?.toLowerCase(), mi.get('release').optString(), arch].filter(Boolean).join(' '),
    arch,
    runtimes,
  };
}
