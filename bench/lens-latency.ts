// Lens latency (issue 5). Run: npx tsc -p . && node out/bench/lens-latency.js
// A 20,000-line pytest file with 2,000 benchmarks, 2,000 stored results (real ingest into a
// temp workspace), and what provideCodeLenses does on each request: the document's items from
// the in-memory index and store, then a title per item. Measured three ways, median and p95:
//  - warm: same document version, same store state (the common request);
//  - after a store change (a result arrived: the mapping is recomputed, the parse is not);
//  - after a one-line edit (incremental re-index + mapping).
// Each is measured idle and again while our load engine streams a load test against a local
// server in two child processes (the CPU contention a running suite causes). Target: < 5 ms warm.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { lensTitle } from '../src/features/lensText';
import { DocumentItems } from '../src/workspace/documentItems';
import { ResultsStore } from '../src/workspace/resultsStore';

const N = 2000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-lens-bench-'));
const rel = 'tests/perf/test_many.py';

function source(): string {
  const out = ['import pytest', ''];
  for (let i = 0; i < N; i++) {
    out.push('', `@pytest.mark.benchmark(group="g${i % 10}")`, `def test_case_${i}(benchmark):`);
    for (let k = 0; k < 6; k++) out.push(`    value_${k} = ${i} * ${k}  # body line`);
    out.push(`    benchmark(lambda: sum(range(${i % 50})))`);
  }
  return out.join('\n') + '\n';
}

function resultFile(): string {
  const template = JSON.parse(fs.readFileSync(path.join('test', 'fixtures', 'pytest-benchmark', 'stats.json'), 'utf8'));
  const b0 = template.benchmarks[2];
  template.benchmarks = Array.from({ length: N }, (_, i) => ({
    ...b0,
    name: `test_case_${i}`,
    fullname: `${rel}::test_case_${i}`,
    stats: { ...b0.stats, data: b0.stats.data.map((x: number) => x * (1 + (i % 7) / 100)) },
  }));
  const file = path.join(dir, 'many.json');
  fs.writeFileSync(file, JSON.stringify(template));
  return file;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

function report(label: string, xs: number[]): void {
  console.log(`${label.padEnd(52)} median ${pct(xs, 50).toFixed(3).padStart(8)} ms   p95 ${pct(xs, 95).toFixed(3).padStart(8)} ms   (n=${xs.length})`);
}

async function measure(label: string, docs: DocumentItems, store: ResultsStore, text: string): Promise<void> {
  let version = 1;
  const doc = () => ({ key: 'bench', version, relPath: rel, text: () => text });
  const request = async () => {
    const t0 = performance.now();
    const items = await docs.items(doc(), store);
    let n = 0;
    for (const item of items) if (item.states.length) n += lensTitle(item).length;
    const ms = performance.now() - t0;
    if (n === 0) throw new Error('no lens had results: the mapping is broken');
    return ms;
  };
  await request();
  const warm: number[] = [];
  for (let i = 0; i < 200; i++) warm.push(await request());
  const changed: number[] = [];
  for (let i = 0; i < 30; i++) {
    docs.invalidate();
    changed.push(await request());
  }
  const edited: number[] = [];
  for (let i = 0; i < 30; i++) {
    const line = 10 + i * 7;
    const lines = text.split('\n');
    lines.splice(line, 0, '');
    text = lines.join('\n');
    version++;
    const offset = text.split('\n').slice(0, line).join('\n').length + 1;
    const t0 = performance.now();
    docs.edit(doc(), [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, rangeOffset: offset, rangeLength: 0, text: '\n' }]);
    await request();
    edited.push(performance.now() - t0);
  }
  report(`${label}: warm request`, warm);
  report(`${label}: after a store change`, changed);
  report(`${label}: after a one-line edit`, edited);
}

function loadUnderway(): { stop: () => void; ready: Promise<void> } {
  const server = http.createServer((_q, s) => s.end('{"videos":[]}'));
  const children: ChildProcess[] = [];
  const ready = new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      const scenario = path.join(dir, 'scenario.json');
      fs.writeFileSync(scenario, JSON.stringify({ target: `http://127.0.0.1:${port}`, connections: 4, durationSec: 120, requests: [{ path: '/api/videos' }] }));
      for (let i = 0; i < 2; i++) {
        children.push(spawn(process.execPath, [path.join(__dirname, '..', 'src', 'engines', 'loadMain.js'), '--scenario', scenario, '--out', path.join(dir, `load${i}.json`), '--progress-json'], { stdio: 'ignore' }));
      }
      setTimeout(() => {
        // A generator that died at start would make this an idle measurement: refuse it.
        if (children.some(c => c.exitCode !== null)) throw new Error('the load engine did not keep running');
        resolve();
      }, 1500);
    }),
  );
  return { ready, stop: () => (children.forEach(c => c.kill('SIGINT')), server.close()) };
}

async function main(): Promise<void> {
  fs.mkdirSync(path.join(dir, 'tests', 'perf'), { recursive: true });
  const text = source();
  fs.writeFileSync(path.join(dir, rel), text);
  const store = new ResultsStore(dir);
  await store.ingest(resultFile());
  console.log(`${text.split('\n').length} lines, ${N} benchmarks, ${store.all().length} stored results`);
  const docs = new DocumentItems();
  await measure('idle', docs, store, text);
  docs.forget('bench');
  const load = loadUnderway();
  await load.ready;
  try {
    await measure('while a load test streams', docs, store, text);
  } finally {
    load.stop();
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
