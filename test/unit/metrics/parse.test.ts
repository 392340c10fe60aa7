import * as assert from 'assert';
import { IngestError } from '../../../src/core/ingest/types';
import { parseExposition, parseValue } from '../../../src/core/metrics/parse';
import { CLIENTS, expo, readText } from './fixtures';

describe('metrics/parse: Prometheus text exposition', () => {
  for (const client of CLIENTS) {
    describe(`real ${client} client output`, () => {
      const e = expo(client, 'scrape-2.txt');

      it('reads every sample line, with types from # TYPE', () => {
        const lines = readText(client, 'scrape-2.txt').split('\n').filter(l => l.trim() && !l.startsWith('#'));
        assert.strictEqual(e.samples.length, lines.length);
        assert.strictEqual(e.types.get('http_request_duration_seconds'), 'histogram');
        assert.strictEqual(e.types.get('process_resident_memory_bytes'), 'gauge');
        assert.strictEqual(e.types.get('process_cpu_seconds_total'), 'counter');
      });

      it('keeps every label set of a labelled histogram (the route labels)', () => {
        const buckets = e.samples.filter(s => s.name === 'http_request_duration_seconds_bucket');
        const routes = new Set(buckets.map(s => `${s.labels.method} ${s.labels.route} ${s.labels.status_code}`));
        assert.strictEqual(routes.size, 6, [...routes].join(', ')); // 4 routes, POST 201/500, 404 unmatched
        assert.ok(buckets.every(s => s.family === 'http_request_duration_seconds'));
        const inf = buckets.filter(s => s.labels.le === '+Inf');
        assert.strictEqual(inf.length, 6);
        assert.ok(inf.every(s => Number.isFinite(s.value) && s.value > 0));
      });

      it('assigns _count/_sum/_total (and prometheus_client _created) samples to their family', () => {
        assert.ok(e.samples.filter(s => s.name === 'http_request_duration_seconds_count').every(s => s.family === 'http_request_duration_seconds'));
        const total = e.samples.filter(s => s.name === 'http_requests_total');
        assert.ok(total.length > 0);
        const created = e.samples.filter(s => s.name.endsWith('_created'));
        if (client === 'python') assert.ok(created.length > 0, 'prometheus_client exposes _created');
        for (const s of total) assert.ok(e.types.has(s.family), s.family);
      });
    });
  }

  it('names the source and line of a malformed sample (a real fixture with one line broken)', () => {
    const lines = readText('node', 'scrape-1.txt').split('\n');
    const i = lines.findIndex(l => l.startsWith('http_request_duration_seconds_bucket'));
    lines[i] = lines[i].replace(/"\}/, '}'); // unterminated label value
    assert.throws(() => parseExposition(lines.join('\n'), 'http://127.0.0.1:9/metrics'), (e: unknown) => {
      assert.ok(e instanceof IngestError);
      assert.match((e as Error).message, new RegExp(`^http://127\\.0\\.0\\.1:9/metrics:${i + 1}: `));
      return true;
    });
  });

  it('refuses non-numeric values and trailing junk, accepts special floats and timestamps', () => {
    assert.throws(() => parseExposition('up abc\n', 'x'), /x:1: sample value "abc" is not a number/);
    assert.throws(() => parseExposition('# TYPE up gauge\nup 1 2 3\n', 'x'), /x:2: unexpected text/);
    assert.throws(() => parseExposition('# TYPE up widget\n', 'x'), /x:1: unknown metric type "widget"/);
    const e = parseExposition('a +Inf\nb -Inf 1700000000000\nc NaN\nd{x="a\\"b\\\\c\\nd"} 1.5e3 # {trace_id="1"} 2\n# EOF\nignored after eof', 's');
    assert.deepStrictEqual(e.samples.map(s => s.value).slice(0, 2), [Infinity, -Infinity]);
    assert.ok(Number.isNaN(e.samples[2].value));
    assert.deepStrictEqual(e.samples[3].labels, { x: 'a"b\\c\nd' });
    assert.strictEqual(e.samples[3].value, 1500);
    assert.strictEqual(e.samples.length, 4);
    assert.strictEqual(parseValue('1e'), undefined);
  });
});
