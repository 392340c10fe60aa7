// Prometheus text exposition format (0.0.4, as prom-client and prometheus_client serve it; the
// OpenMetrics `# EOF` and exemplars are tolerated). Parsed by hand: the npm parser we tried
// (parse-prometheus-text-format 1.1.1) merges all label sets of a histogram into one, losing the
// route labels this feature is about, and accepts non-numeric values. Bad input gets an
// IngestError naming the source (URL or file) and line.
import { IngestError } from '../ingest/types';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'info' | 'stateset' | 'gaugehistogram' | 'unknown';

export interface Sample {
  /** Sample name as written, e.g. `http_request_duration_seconds_bucket`. */
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Family this sample belongs to (from `# TYPE`), else its own name. */
  family: string;
}

export interface Exposition {
  /** Family name → declared type (absent when a sample has no `# TYPE`). */
  types: Map<string, MetricType>;
  samples: Sample[];
}

const TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped', 'info', 'stateset', 'gaugehistogram', 'unknown'];
const SUFFIXES = ['_bucket', '_count', '_sum', '_created', '_total', '_gcount', '_gsum', '_info'];
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parseValue(text: string): number | undefined {
  switch (text) {
    case '+Inf': case 'Inf': case '+inf': case 'inf': return Infinity;
    case '-Inf': case '-inf': return -Infinity;
    case 'NaN': case 'nan': return NaN;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function familyOf(name: string, types: Map<string, MetricType>): string {
  if (types.has(name)) return name;
  for (const s of SUFFIXES) if (name.endsWith(s) && types.has(name.slice(0, -s.length))) return name.slice(0, -s.length);
  return name;
}

/** Parses one exposition document. `source` (URL or file) names where errors come from. */
export function parseExposition(text: string, source: string): Exposition {
  const types = new Map<string, MetricType>();
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const fail = (detail: string): never => {
      throw new IngestError(source, `${detail}: ${JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line)}`, { line: i + 1 });
    };
    if (!line.trim()) continue;
    if (line.startsWith('#')) {
      const m = /^#\s*(TYPE|HELP|EOF)\b\s*(\S*)\s*(.*)$/.exec(line);
      if (m?.[1] === 'EOF') break;
      if (m?.[1] === 'TYPE') {
        const t = m[3].trim().toLowerCase() as MetricType;
        if (!NAME.test(m[2])) fail('bad metric name in TYPE line');
        if (!TYPES.includes(t)) fail(`unknown metric type "${m[3].trim()}"`);
        types.set(m[2], t);
      }
      continue; // HELP and free comments carry nothing we use
    }
    const name = NAME.exec(line)?.[0];
    if (!name) fail('expected a metric name');
    let pos = name!.length;
    const labels: Record<string, string> = {};
    if (line[pos] === '{') {
      pos++;
      for (;;) {
        while (line[pos] === ' ' || line[pos] === '\t' || line[pos] === ',') pos++;
        if (line[pos] === '}') {
          pos++;
          break;
        }
        const label = LABEL.exec(line.slice(pos))?.[0];
        if (!label) fail('expected a label name');
        pos += label!.length;
        while (line[pos] === ' ') pos++;
        if (line[pos] !== '=') fail(`expected = after label ${label}`);
        pos++;
        while (line[pos] === ' ') pos++;
        if (line[pos] !== '"') fail(`expected a quoted value for label ${label}`);
        pos++;
        let value = '';
        for (;;) {
          const c = line[pos++];
          if (c === undefined) fail(`unterminated value of label ${label}`);
          if (c === '"') break;
          if (c === '\\') {
            const e = line[pos++];
            value += e === 'n' ? '\n' : e === '\\' ? '\\' : e === '"' ? '"' : `\\${e ?? ''}`;
          } else {
            value += c;
          }
        }
        labels[label!] = value;
      }
    }
    // value [timestamp] [# exemplar]
    const rest = line.slice(pos).replace(/\s#\s.*$/, '').trim().split(/\s+/);
    if (!rest[0]) fail('missing sample value');
    const value = parseValue(rest[0]);
    if (value === undefined) fail(`sample value "${rest[0]}" is not a number`);
    if (rest.length > 2 || (rest[1] !== undefined && parseValue(rest[1]) === undefined)) fail('unexpected text after the sample value');
    samples.push({ name: name!, labels, value: value!, family: familyOf(name!, types) });
  }
  return { types, samples };
}
