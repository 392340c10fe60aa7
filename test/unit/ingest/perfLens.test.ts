import * as assert from 'assert';
import * as fs from 'fs';
import { detectParser } from '../../../src/core/ingest/detect';
import { perfLensParser, serializeRun } from '../../../src/core/ingest/perfLens';
import type { Run } from '../../../src/core/model';
import { SUITE_KINDS, TOOL_IDS } from '../../../src/core/model';
import { fixture, repoRoot } from '../helpers';
import { rejectsWith, TmpDir } from './tmpFiles';
import * as path from 'path';

const good = fixture('perf-lens', 'run.json');
const bad = (name: string) => fixture('perf-lens', 'bad', name);

describe('ingest: perf-lens-run (our own format)', () => {
  let tmp: TmpDir;
  before(() => (tmp = new TmpDir()));
  after(() => tmp.remove());

  it('reads every field of a complete run', async () => {
    const run = await perfLensParser.parse(good);
    assert.strictEqual(run.tool, 'perf-lens');
    assert.strictEqual(run.kind, 'load');
    assert.strictEqual(run.durationSec, 30.5);
    assert.deepStrictEqual(run.git, { commit: '0123456789abcdef0123456789abcdef01234567', branch: 'main', dirty: false });
    assert.deepStrictEqual(run.machine?.runtimes, { node: '20.20.2' });
    const [api, mem] = run.series;
    assert.deepStrictEqual(api.samples, [0.012, 0.015, 0.011, 0.019]);
    assert.deepStrictEqual(api.summary.percentiles, { p50: 0.0135, p95: 0.0184, p99: 0.01888 });
    assert.deepStrictEqual(api.endpoint, { method: 'GET', route: '/api/videos', requests: 4, failures: 1, rps: 0.13, errors: [{ message: 'HTTP 503', count: 1 }] });
    assert.deepStrictEqual(api.timeline?.[1], { t: 1763633701, requests: 2, failures: 1, users: 5 });
    assert.deepStrictEqual(api.extra, { connections: 5, engine: 'undici' });
    assert.deepStrictEqual(mem.memory?.[0], { t: 1763633700, rss: 50331648, heapUsed: 20971520, cpu: 12.5 });
    assert.deepStrictEqual(run.notes, ['partial: stopped by the user at 30.5 s']);
  });

  it('serializeRun round-trips through the reader', async () => {
    const run = await perfLensParser.parse(good);
    const text = serializeRun(run);
    assert.ok(text.startsWith('{\n  "format": "perf-lens-run",\n  "version": 1,'));
    const again = await perfLensParser.parse(tmp.write('again.json', text));
    assert.deepStrictEqual(again, run);
    const minimal: Run = { tool: 'perf-lens', startedAt: '2026-01-01T00:00:00.000Z', series: [] };
    assert.deepStrictEqual(await perfLensParser.parse(tmp.write('min.json', serializeRun(minimal))), minimal);
  });

  it('ignores unknown optional fields (additive changes keep version 1)', async () => {
    const f = tmp.editJson(good, 'newer.json', d => {
      d.futureField = { x: 1 };
      d.series[0].futureSeriesField = 'y';
    });
    assert.strictEqual((await perfLensParser.parse(f)).series.length, 2);
  });

  it('is detected by content, also under a misleading name', async () => {
    assert.strictEqual(await detectParser(tmp.copy(good, 'stats.json')), perfLensParser);
  });

  it('refuses bad files with the file and the line or field', async () => {
    await rejectsWith(perfLensParser.parse(bad('truncated.json')), `${bad('truncated.json')}:36:`, 'truncated JSON', 'line 36, column 14');
    await rejectsWith(perfLensParser.parse(bad('wrong-type.json')), bad('wrong-type.json'), 'expected number, got string (field series[1].summary.max)');
    await rejectsWith(perfLensParser.parse(bad('unknown-version.json')), 'unsupported perf-lens-run version 2', 'reads version 1', '(field version)');
    await rejectsWith(perfLensParser.parse(bad('unknown-metric.json')), 'got "latency"', '(field series[0].metric)');
    const v = tmp.editJson(good, 'v0.json', d => (d.version = 1.5));
    await rejectsWith(perfLensParser.parse(v), 'positive integer version');
    const e = tmp.editJson(good, 'extra.json', d => (d.series[0].extra.engine = true));
    await rejectsWith(perfLensParser.parse(e), 'expected number or string, got boolean', 'series[0].extra.engine');
    const dup = tmp.editJson(good, 'dup.json', d => (d.series[1].id = d.series[0].id));
    await rejectsWith(perfLensParser.parse(dup), 'duplicate series id "GET /api/videos"', '(field series[1].id)');
    const t = tmp.editJson(good, 'date.json', d => (d.startedAt = 'yesterday'));
    await rejectsWith(perfLensParser.parse(t), 'expected an ISO date', '(field startedAt)');
  });

  it('the schema and the reader agree on the field names', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/core/ingest/perf-lens-run.schema.json'), 'utf8'));
    const src = fs.readFileSync(path.join(repoRoot, 'src/core/ingest/perfLens.ts'), 'utf8');
    const names = [
      ...Object.keys(schema.properties),
      ...Object.keys(schema.$defs.series.properties),
      ...Object.keys(schema.$defs.summary.properties),
      ...Object.keys(schema.$defs.series.properties.endpoint.properties),
      ...Object.keys(schema.$defs.series.properties.memory.items.properties),
      ...Object.keys(schema.$defs.series.properties.timeline.items.properties),
      ...Object.keys(schema.properties.machine.properties),
    ].filter(k => k !== 'format' && k !== 'version');
    const unread = names.filter(k => !src.includes(`'${k}'`));
    assert.deepStrictEqual(unread, []);
    // The tool and kind lists come from the model; the schema users validate against must match.
    assert.deepStrictEqual(schema.properties.tool.enum, [...TOOL_IDS]);
    assert.deepStrictEqual(schema.properties.kind.enum, [...SUITE_KINDS]);
  });
});
