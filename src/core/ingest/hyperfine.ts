// hyperfine `--export-json`: one series per command (id = the command string, which hyperfine
// replaces with the --command-name when one is given); times[] in seconds become samples.
import { promises as fs } from 'fs';
import type { Run, Series } from '../model';
import { compact, JsonNode, readJsonNode } from './json';
import { isoOrUndefined } from './sanity';
import type { ParseOptions, Parser } from './types';

export const hyperfineParser: Parser = {
  tool: 'hyperfine',
  format: 'hyperfine --export-json',
  detect(head) {
    return /^\s*\{\s*"results"\s*:\s*\[\s*\{\s*"command"\s*:/.test(head);
  },
  async parse(file: string, options?: ParseOptions): Promise<Run> {
    const root = await readJsonNode(file, options);
    const series = root.get('results').array().map(toSeries);
    // hyperfine writes no timestamp; the file's modification time is when the run ended.
    const { mtime } = await fs.stat(file);
    const total = series.reduce((s, x) => s + (x.samples ?? []).reduce((a, b) => a + b, 0), 0);
    return {
      tool: 'hyperfine',
      // Absurd times (2^64 s) would put the start outside any date: the file time is then the best guess.
      startedAt: isoOrUndefined(mtime.getTime() - total * 1000) ?? mtime.toISOString(),
      source: file,
      series,
      notes: ['start time estimated from the file time minus the measured run times (hyperfine records no timestamp)'],
    };
  },
};

function toSeries(r: JsonNode): Series {
  const times = r.get('times').optArray()?.map(n => n.number());
  const extra: Record<string, number | string> = {};
  for (const key of ['user', 'system'] as const) {
    const v = r.get(key).optNumber();
    if (v !== undefined) extra[`${key}Sec`] = v;
  }
  const codes = r.get('exit_codes').optArray()?.map(n => n.optNumber());
  const failed = codes?.filter(c => c !== 0).length ?? 0;
  if (failed) extra.nonZeroExits = failed;
  const params = r.get('parameters').optObject();
  if (params) for (const k of Object.keys(params.object())) extra[`param.${k}`] = paramValue(params.get(k));
  return compact({
    id: r.get('command').string(),
    metric: 'duration',
    unit: 's',
    samples: times,
    summary: compact({
      n: times?.length,
      mean: r.get('mean').number(),
      median: r.get('median').optNumber(),
      stddev: r.get('stddev').optNumber(), // null with a single run
      min: r.get('min').optNumber(),
      max: r.get('max').optNumber(),
    }),
    extra: Object.keys(extra).length ? extra : undefined,
  } as Series);
}

function paramValue(n: JsonNode): string | number {
  return typeof n.value === 'number' ? n.number() : n.string();
}
