// Our own run format: `{"format":"perf-lens-run","version":1, ...Run}` (docs/run-format.md,
// perf-lens-run.schema.json). Checked by hand on read so every error names the exact field path,
// and no schema library ships in the extension.
import type {
  EndpointStats, GitInfo, MachineFingerprint, MemorySample, Metric, Run, Series, SuiteKind, Summary, TimelinePoint, ToolId, Unit,
} from '../model';
import { RUN_FORMAT_VERSION, SUITE_KINDS, TOOL_IDS } from '../model';
import { compact, isoUtc, JsonNode, readJsonNode } from './json';
import type { ParseOptions, Parser } from './types';

export const RUN_FORMAT_NAME = 'perf-lens-run';

const TOOLS: readonly ToolId[] = TOOL_IDS;
const KINDS: readonly SuiteKind[] = SUITE_KINDS;
const METRICS: readonly Metric[] = ['duration', 'throughput', 'memory', 'errorRate', 'count'];
const UNITS: readonly Unit[] = ['s', '1/s', 'bytes', 'ratio', 'count'];

export const perfLensParser: Parser = {
  tool: 'perf-lens',
  format: `Perf Lens run (${RUN_FORMAT_NAME} JSON)`,
  detect(head) {
    return /"format"\s*:\s*"perf-lens-run"/.test(head);
  },
  async parse(file: string, options?: ParseOptions): Promise<Run> {
    return validateRun(await readJsonNode(file, options));
  },
};

/** The JSON our engines write: format marker and version first, then the Run. */
export function serializeRun(run: Run): string {
  return `${JSON.stringify({ format: RUN_FORMAT_NAME, version: RUN_FORMAT_VERSION, ...run }, null, 2)}\n`;
}

/** Check a parsed document and return it as a Run (unknown extra fields are dropped). */
export function validateRun(root: JsonNode): Run {
  root.object();
  const format = root.get('format');
  if (format.string() !== RUN_FORMAT_NAME) format.fail(`expected "${RUN_FORMAT_NAME}", got "${format.string()}"`);
  const version = root.get('version');
  const v = version.number();
  // Additive changes keep the version; a new major version means fields changed meaning.
  if (!Number.isInteger(v) || v < 1) version.fail(`expected a positive integer version, got ${v}`);
  if (v > RUN_FORMAT_VERSION) {
    version.fail(`unsupported ${RUN_FORMAT_NAME} version ${v}: this Perf Lens reads version ${RUN_FORMAT_VERSION}; update Perf Lens to read it`);
  }
  return compact({
    id: root.get('id').optString(),
    tool: oneOf(root.get('tool'), TOOLS),
    suite: root.get('suite').optString(),
    kind: root.get('kind').missing ? undefined : oneOf(root.get('kind'), KINDS),
    startedAt: isoUtc(root.get('startedAt')),
    durationSec: nonNegative(root.get('durationSec')),
    git: root.get('git').optObject() && git(root.get('git')),
    machine: root.get('machine').optObject() && machine(root.get('machine')),
    source: root.get('source').optString(),
    series: uniqueIds(root.get('series').array()).map(series),
    notes: strings(root.get('notes')),
  } as Run);
}

/** Baselines and comparisons key on series ids: a duplicate would silently shadow a series. */
function uniqueIds(items: JsonNode[]): JsonNode[] {
  const seen = new Set<string>();
  for (const item of items) {
    const id = item.get('id');
    if (seen.has(id.string())) id.fail(`duplicate series id "${id.string()}"`);
    seen.add(id.string());
  }
  return items;
}

function oneOf<T extends string>(n: JsonNode, allowed: readonly T[]): T {
  const s = n.string();
  if (!(allowed as readonly string[]).includes(s)) n.fail(`expected one of ${allowed.join(', ')}, got "${s}"`);
  return s as T;
}

function nonNegative(n: JsonNode): number | undefined {
  const v = n.optNumber();
  if (v !== undefined && v < 0) n.fail(`expected a number >= 0, got ${v}`);
  return v;
}

function strings(n: JsonNode): string[] | undefined {
  return n.optArray()?.map(s => s.string());
}

function numberRecord(n: JsonNode): Record<string, number> | undefined {
  if (!n.optObject()) return undefined;
  return Object.fromEntries(Object.keys(n.object()).map(k => [k, n.get(k).number()]));
}

function git(n: JsonNode): GitInfo {
  return compact({ commit: n.get('commit').optString(), branch: n.get('branch').optString(), dirty: n.get('dirty').optBoolean() });
}

function machine(n: JsonNode): MachineFingerprint {
  const rt = n.get('runtimes');
  return {
    cpuModel: n.get('cpuModel').string(),
    cores: n.get('cores').number(),
    os: n.get('os').string(),
    arch: n.get('arch').string(),
    runtimes: Object.fromEntries(Object.keys(rt.object()).map(k => [k, rt.get(k).string()])),
  };
}

function summary(n: JsonNode): Summary {
  n.object();
  return compact({
    n: nonNegative(n.get('n')),
    mean: n.get('mean').optNumber(),
    median: n.get('median').optNumber(),
    stddev: nonNegative(n.get('stddev')),
    min: n.get('min').optNumber(),
    max: n.get('max').optNumber(),
    iqr: n.get('iqr').optNumber(),
    percentiles: numberRecord(n.get('percentiles')),
  });
}

function endpoint(n: JsonNode): EndpointStats {
  return compact({
    method: n.get('method').optString(),
    route: n.get('route').string(),
    requests: n.get('requests').number(),
    failures: n.get('failures').number(),
    rps: n.get('rps').optNumber(),
    errors: n.get('errors').optArray()?.map(e => ({ message: e.get('message').string(), count: e.get('count').number() })),
  });
}

function timelinePoint(n: JsonNode): TimelinePoint {
  return compact({
    t: n.get('t').number(),
    requests: n.get('requests').number(),
    failures: n.get('failures').number(),
    users: n.get('users').optNumber(),
    percentiles: numberRecord(n.get('percentiles')),
  });
}

function memorySample(n: JsonNode): MemorySample {
  return compact({ t: n.get('t').number(), rss: n.get('rss').number(), heapUsed: n.get('heapUsed').optNumber(), cpu: n.get('cpu').optNumber() });
}

function extra(n: JsonNode): Record<string, number | string> | undefined {
  if (!n.optObject()) return undefined;
  return Object.fromEntries(
    Object.keys(n.object()).map(k => {
      const v = n.get(k);
      return [k, typeof v.value === 'number' ? v.number() : v.value === null || typeof v.value !== 'string' ? v.fail(`expected number or string, got ${v.value === null ? 'null' : typeof v.value}`) : v.string()];
    }),
  );
}

function series(n: JsonNode): Series {
  n.object();
  return compact({
    id: n.get('id').string(),
    name: n.get('name').optString(),
    group: n.get('group').optString(),
    metric: oneOf(n.get('metric'), METRICS),
    unit: oneOf(n.get('unit'), UNITS),
    samples: n.get('samples').optArray()?.map(s => s.number()),
    summary: summary(n.get('summary')),
    endpoint: n.get('endpoint').optObject() && endpoint(n.get('endpoint')),
    timeline: n.get('timeline').optArray()?.map(timelinePoint),
    memory: n.get('memory').optArray()?.map(memorySample),
    notes: strings(n.get('notes')),
    extra: extra(n.get('extra')),
  } as Series);
}
