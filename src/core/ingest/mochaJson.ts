// mocha --reporter json: one duration series per test (a single sample: mocha times
// each test once). Pass/fail goes into extra.status and notes; pending tests have no
// duration and are listed in the run notes instead.
import type { Run, Series } from '../model';
import { isoDate } from './autocannon';
import { readJsonNode, type JsonNode } from './json';
import type { ParseOptions, Parser } from './types';

function testId(test: JsonNode): string {
  const fullTitle = test.get('fullTitle').string();
  const file = test.get('file').optString();
  return file ? `${file}::${fullTitle}` : fullTitle;
}

function failed(test: JsonNode): string | undefined {
  const err = test.get('err').optObject();
  if (!err || Object.keys(err.object()).length === 0) return undefined;
  const message = err.get('message').optString() ?? err.get('name').optString() ?? 'failed';
  return message.split('\n')[0];
}

async function parseMocha(file: string, options?: ParseOptions): Promise<Run> {
  const root = await readJsonNode(file, options);
  const stats = root.get('stats');
  const pendingIds = new Set((root.get('pending').optArray() ?? []).map(testId));
  const series: Series[] = [];
  const pending: string[] = [];
  const seen = new Set<string>();
  for (const test of root.get('tests').array()) {
    const id = testId(test);
    const duration = test.get('duration').optNumber();
    if (duration === undefined || pendingIds.has(id)) {
      pending.push(test.get('fullTitle').string());
      continue;
    }
    const seconds = duration / 1000;
    const error = failed(test);
    const s: Series = {
      id,
      name: test.get('title').string(),
      metric: 'duration',
      unit: 's',
      samples: [seconds],
      summary: { n: 1, mean: seconds, median: seconds, min: seconds, max: seconds },
      extra: { status: error === undefined ? 'passed' : 'failed' },
      notes: ['mocha times each test once, in whole milliseconds: one sample, no spread.'],
    };
    const file = test.get('file').optString();
    if (file) s.group = file;
    const speed = test.get('speed').optString();
    if (speed && s.extra) s.extra.speed = speed;
    const retry = test.get('currentRetry').optNumber();
    if (retry && s.extra) s.extra.retries = retry;
    if (error !== undefined) s.notes?.push(`failed: ${error}`);
    series.push(s);
    seen.add(id);
  }
  const notes: string[] = [];
  if (pending.length > 0) notes.push(`${pending.length} pending test${pending.length === 1 ? '' : 's'} without a duration: ${pending.join('; ')}`);
  // Hook failures ("before all" hook …) appear only under failures, never as a test.
  for (const f of root.get('failures').optArray() ?? []) {
    if (!seen.has(testId(f))) notes.push(`failure outside a timed test: ${f.get('fullTitle').string()}: ${failed(f) ?? 'failed'}`);
  }
  const run: Run = {
    tool: 'mocha',
    startedAt: isoDate(stats.get('start')),
    source: file,
    series,
  };
  const total = stats.get('duration').optNumber();
  if (total !== undefined) run.durationSec = total / 1000;
  if (notes.length > 0) run.notes = notes;
  return run;
}

export const mochaJsonParser: Parser = {
  tool: 'mocha',
  format: 'mocha --reporter json',
  detect(head: string): boolean {
    return /^\s*\{\s*"stats"\s*:\s*\{\s*"suites"\s*:/.test(head) && /"passes"\s*:/.test(head);
  },
  parse: parseMocha,
};
