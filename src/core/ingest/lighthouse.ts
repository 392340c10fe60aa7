// Lighthouse reports (LHR JSON, `lighthouse --output=json`, Lighthouse CI's lhr-*.json) and
// manifests listing several of them (what `lhci upload --target=filesystem` writes, and what a
// Perf Lens frontend suite writes): one series per page and metric, every report a sample.
//
// Series ids: `page:<path>#<metric>`, path = the requested URL's path and query (no origin: local
// ports change between runs), metric one of fcp, lcp, tbt, speed-index, tti, cls, js-heap.
// Units: seconds for the timings, bytes for the JS heap, CLS as its unitless score ('count').
// js-heap comes from the audit our generated config adds (lighthouseRun.ts); Lighthouse 12 itself
// reports no JS heap figure, so plain reports have no js-heap series.
import * as fs from 'fs';
import * as path from 'path';
import type { Metric, Run, Series, Unit } from '../model';
import { compact, JsonNode, readJsonNode, summarize } from './json';
import { JS_HEAP_AUDIT } from './lighthouseRun';
import { IngestError, type ParseOptions, type Parser } from './types';

interface MetricDef {
  key: string;
  audit: string;
  label: string;
  metric: Metric;
  unit: Unit;
  /** Multiplier from Lighthouse's numericUnit to ours. */
  scale: number;
  numericUnit: string;
}

export const PAGE_METRICS: readonly MetricDef[] = [
  { key: 'fcp', audit: 'first-contentful-paint', label: 'First Contentful Paint', metric: 'duration', unit: 's', scale: 1e-3, numericUnit: 'millisecond' },
  { key: 'lcp', audit: 'largest-contentful-paint', label: 'Largest Contentful Paint', metric: 'duration', unit: 's', scale: 1e-3, numericUnit: 'millisecond' },
  { key: 'tbt', audit: 'total-blocking-time', label: 'Total Blocking Time', metric: 'duration', unit: 's', scale: 1e-3, numericUnit: 'millisecond' },
  { key: 'speed-index', audit: 'speed-index', label: 'Speed Index', metric: 'duration', unit: 's', scale: 1e-3, numericUnit: 'millisecond' },
  { key: 'tti', audit: 'interactive', label: 'Time to Interactive', metric: 'duration', unit: 's', scale: 1e-3, numericUnit: 'millisecond' },
  { key: 'cls', audit: 'cumulative-layout-shift', label: 'Cumulative Layout Shift', metric: 'count', unit: 'count', scale: 1, numericUnit: 'unitless' },
  { key: 'js-heap', audit: JS_HEAP_AUDIT, label: 'JS heap', metric: 'memory', unit: 'bytes', scale: 1, numericUnit: 'byte' },
];

/** `page:/dashboard#lcp`. */
export function pageSeriesId(pagePath: string, metricKey: string): string {
  return `page:${pagePath}#${metricKey}`;
}

/** The path and query of a URL ("/" when it has none). */
export function pagePath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname || '/'}${u.search}`;
  } catch {
    return url;
  }
}

/** One report's numbers, keyed by metric key. */
interface ReportValues {
  file: string;
  url: string;
  fetchTime?: string;
  totalMs?: number;
  version: string;
  settings: Record<string, string>;
  score?: number;
  values: Map<string, number>;
  notes: string[];
}

function readReport(root: JsonNode): ReportValues {
  const version = root.get('lighthouseVersion').string();
  const url = root.get('requestedUrl').optString() ?? root.get('finalDisplayedUrl').optString() ?? root.get('finalUrl').string();
  const where = `${pagePath(url)} (${path.basename(root.file)})`;
  const notes: string[] = [];
  const values = new Map<string, number>();
  const runtime = root.get('runtimeError').optObject();
  if (runtime) {
    // The page did not load (NO_FCP, ERRORED_DOCUMENT_REQUEST …): no metric of this run is real.
    notes.push(`${where}: Lighthouse runtime error ${runtime.get('code').optString() ?? ''}: ${runtime.get('message').optString() ?? ''}`.trim());
  } else {
    const audits = root.get('audits');
    audits.object();
    for (const m of PAGE_METRICS) {
      const a = audits.get(m.audit);
      if (a.missing) continue;
      const value = a.get('numericValue').optNumber();
      if (value === undefined) {
        const why = a.get('errorMessage').optString() ?? a.get('scoreDisplayMode').optString() ?? 'no numericValue';
        notes.push(`${where}: ${m.label} not measured (${why})`);
        continue;
      }
      const unit = a.get('numericUnit').optString();
      if (unit !== undefined && unit !== m.numericUnit) a.get('numericUnit').fail(`expected "${m.numericUnit}", got "${unit}"`);
      values.set(m.key, value * m.scale);
    }
  }
  const cs = root.get('configSettings').optObject();
  const settings: Record<string, string> = {};
  for (const k of ['formFactor', 'throttlingMethod'] as const) {
    const v = cs?.get(k).optString();
    if (v) settings[k] = v;
  }
  const perf = root.get('categories').optObject()?.get('performance').optObject();
  return {
    file: root.file,
    url,
    fetchTime: root.get('fetchTime').optString(),
    totalMs: root.get('timing').optObject()?.get('total').optNumber(),
    version,
    settings,
    score: perf?.get('score').optNumber(),
    values,
    notes,
  };
}

/** Reports (in run order) → one Run: a series per page and metric with every report a sample. */
export function runFromReports(reports: readonly ReportValues[], source: string): Run {
  if (!reports.length) throw new IngestError(source, 'no Lighthouse report to read');
  const pages = new Map<string, ReportValues[]>();
  for (const r of reports) {
    const p = pagePath(r.url);
    pages.set(p, [...(pages.get(p) ?? []), r]);
  }
  const series: Series[] = [];
  for (const [page, rs] of pages) {
    const scores = rs.map(r => r.score).filter((s): s is number => s !== undefined);
    for (const m of PAGE_METRICS) {
      const samples = rs.flatMap(r => (r.values.has(m.key) ? [r.values.get(m.key) as number] : []));
      if (!samples.length) continue;
      const extra: Record<string, string | number> = { url: rs[0].url, runs: rs.length, audit: m.audit, ...rs[0].settings };
      if (scores.length) extra.performanceScore = summarize(scores).median as number;
      series.push(
        compact({
          id: pageSeriesId(page, m.key),
          name: `${page} ${m.label}`,
          group: page,
          metric: m.metric,
          unit: m.unit,
          samples,
          summary: summarize(samples),
          notes: m.key === 'js-heap' ? ['used JS heap after load, no forced GC (CDP Runtime.getHeapUsage)'] : undefined,
          extra,
        } as Series),
      );
    }
  }
  const times = reports.map(r => (r.fetchTime ? Date.parse(r.fetchTime) : NaN)).filter(Number.isFinite);
  const totalMs = reports.reduce((s, r) => s + (r.totalMs ?? 0), 0);
  const notes = reports.flatMap(r => r.notes);
  const versions = [...new Set(reports.map(r => r.version))];
  if (versions.length > 1) notes.push(`reports from several Lighthouse versions: ${versions.join(', ')}`);
  if (!series.length) throw new IngestError(source, `no page metric in ${reports.length} report(s)${notes.length ? `: ${notes.join('; ')}` : ''}`);
  return compact({
    tool: 'lighthouse' as const,
    kind: 'frontend' as const,
    startedAt: new Date(times.length ? Math.min(...times) : fs.statSync(source).mtimeMs).toISOString(),
    durationSec: totalMs ? totalMs / 1000 : undefined,
    source,
    series,
    notes: notes.length ? notes : undefined,
  });
}

// LHR files begin with lighthouseVersion (JSON.stringify of the result object, key order fixed).
const LHR_HEAD = /^\s*\{\s*"lighthouseVersion"\s*:\s*"\d/;

export const lighthouseParser: Parser = {
  tool: 'lighthouse',
  format: 'Lighthouse report JSON (--output=json, lhci lhr-*.json)',
  detect(head) {
    return LHR_HEAD.test(head) && head.includes('"requestedUrl"');
  },
  async parse(file: string, options?: ParseOptions): Promise<Run> {
    return runFromReports([readReport(await readJsonNode(file, options))], file);
  },
};

// A manifest is an array of { url, jsonPath, isRepresentativeRun, summary? } (lhci's filesystem
// target writes absolute jsonPaths; ours are relative to the manifest's folder).
const MANIFEST_HEAD = /^\s*\[\s*\{[^\]]*"jsonPath"\s*:/;

export const lighthouseManifestParser: Parser = {
  tool: 'lighthouse',
  format: 'Lighthouse CI / Perf Lens manifest.json listing Lighthouse reports',
  detect(head) {
    return MANIFEST_HEAD.test(head) && head.includes('"url"');
  },
  async parse(file: string, options?: ParseOptions): Promise<Run> {
    const entries = (await readJsonNode(file, options)).array();
    const dir = path.dirname(file);
    const reports: ReportValues[] = [];
    const notes: string[] = [];
    for (const e of entries) {
      const jsonPath = e.get('jsonPath').string();
      const report = locate(dir, jsonPath);
      if (!report) {
        notes.push(`${pagePath(e.get('url').string())}: no report at ${jsonPath} (that Lighthouse run failed or the file was removed)`);
        continue;
      }
      reports.push(readReport(await readJsonNode(report, options)));
    }
    if (!reports.length) throw new IngestError(file, `none of the ${entries.length} reports it lists exists${notes.length ? `: ${notes.join('; ')}` : ''}`);
    const run = runFromReports(reports, file);
    const assertions = await lhciAssertions(dir, options);
    const all = [...notes, ...(run.notes ?? []), ...assertions];
    return all.length ? { ...run, notes: all } : run;
  },
};

/** A listed report: as written, else beside the manifest (a folder copied from CI keeps names only). */
function locate(dir: string, jsonPath: string): string | undefined {
  const candidates = [path.resolve(dir, jsonPath), path.join(dir, path.basename(jsonPath))];
  return candidates.find(c => fs.existsSync(c));
}

/**
 * Failed `lhci assert` results (assertion-results.json beside the manifest or in the folder
 * above it, e.g. .lighthouseci/) as run notes: they are the user's own gates, worth showing.
 */
async function lhciAssertions(dir: string, options?: ParseOptions): Promise<string[]> {
  const file = [path.join(dir, 'assertion-results.json'), path.join(dir, '..', 'assertion-results.json')].find(f => fs.existsSync(f));
  if (!file) return [];
  const out: string[] = [];
  for (const a of (await readJsonNode(file, options)).array()) {
    if (a.get('passed').optBoolean() !== false) continue;
    const url = a.get('url').optString();
    const actual = a.get('actual').optNumber();
    out.push(
      `lhci assert (${a.get('level').optString() ?? 'error'}): ${a.get('auditId').optString() ?? a.get('name').optString() ?? '?'} ` +
        `${a.get('name').optString() ?? ''} ${a.get('operator').optString() ?? ''} ${a.get('expected').optNumber() ?? ''}, actual ${actual ?? '?'}` +
        `${url ? ` on ${pagePath(url)}` : ''}`,
    );
  }
  return out;
}
