// bench/ingest: throughput of the part-1 parsers on big inputs built by repeating the real fixtures,
// side by side with a peer in the same run (ratio): for JSON formats the peer is a bare
// fs.readFile + JSON.parse of the same file (the floor any JSON parser pays); for the go -json
// stream it is a bare line count over a read stream. Also prints heap growth (sampled every 5 ms,
// so approximate): the streamed Go parser stays flat while whole-file JSON grows with the file.
//
// Run: cd /work/main && npx tsc -p . && node --expose-gc out/bench/ingest.js [sizeMiB=40] [rounds=3]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { goTestJsonParser } from '../src/core/ingest/goBench';
import { googleBenchmarkParser } from '../src/core/ingest/googleBenchmark';
import { pytestBenchmarkParser } from '../src/core/ingest/pytestBenchmark';
import type { Parser } from '../src/core/ingest/types';

const repo = process.cwd();
const sizeMiB = Number(process.argv[2] ?? 40);
const rounds = Number(process.argv[3] ?? 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-bench-ingest-'));
const fx = (...p: string[]) => path.join(repo, 'test', 'fixtures', ...p);

/** Repeat a JSON document's array entries (renaming ids) until the file reaches sizeMiB. */
function bigJson(src: string, key: string, idField: string, name: string): string {
  const doc = JSON.parse(fs.readFileSync(src, 'utf8')) as Record<string, unknown>;
  const items = doc[key] as Record<string, unknown>[];
  const one = Buffer.byteLength(JSON.stringify(items));
  const copies = Math.max(1, Math.ceil((sizeMiB * 1024 * 1024) / one));
  doc[key] = Array.from({ length: copies }, (_, c) => items.map(it => ({ ...it, [idField]: `${String(it[idField])}#${c}` }))).flat();
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

function bigGoStream(): string {
  const lines = fs.readFileSync(fx('go', 'test2json.jsonl'), 'utf8').trim().split('\n');
  const body = lines.filter(l => l.includes('"output"'));
  const file = path.join(dir, 'go.jsonl');
  const fd = fs.openSync(file, 'w');
  let written = 0;
  for (let c = 0; written < sizeMiB * 1024 * 1024; c++) {
    // distinct package per copy so every copy is its own set of series
    const chunk = body.map(l => l.replace(/example\.com\/svc\/parse/g, `example.com/svc/p${c % 500}`)).join('\n') + '\n';
    fs.writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  fs.closeSync(fd);
  return file;
}

async function time(fn: () => Promise<unknown>): Promise<{ ms: number; heapMiB: number }> {
  (global as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const t0 = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, heapMiB: (peak - before) / 1024 / 1024 };
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of fs.createReadStream(file)) for (const b of chunk as Buffer) if (b === 10) n++;
  return n;
}

async function row(label: string, file: string, parser: Parser, peer: () => Promise<unknown>): Promise<void> {
  const mib = fs.statSync(file).size / 1024 / 1024;
  const ours: number[] = [];
  const theirs: number[] = [];
  let heap = 0;
  let series = 0;
  for (let r = 0; r < rounds; r++) {
    const t = await time(async () => (series = (await parser.parse(file, { maxBytes: 1024 * 1024 * 1024 })).series.length));
    ours.push(t.ms);
    heap = Math.max(heap, t.heapMiB);
    theirs.push((await time(peer)).ms);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(
    `${label.padEnd(18)} ${mib.toFixed(1).padStart(6)} MiB  series ${String(series).padStart(7)}  ours ${med(ours).toFixed(0).padStart(6)} ms (${(mib / (med(ours) / 1000)).toFixed(1)} MiB/s, heap +${heap.toFixed(0)} MiB)  peer ${med(theirs).toFixed(0).padStart(6)} ms  ratio ${(med(ours) / med(theirs)).toFixed(2)}`,
  );
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores, target size ${sizeMiB} MiB, median of ${rounds} rounds`);
  const py = bigJson(fx('pytest-benchmark', 'stats.json'), 'benchmarks', 'fullname', 'pytest.json');
  const gb = bigJson(fx('google-benchmark', 'repetitions.json'), 'benchmarks', 'run_name', 'gbench.json');
  const go = bigGoStream();
  const parseJsonPeer = (f: string) => async () => JSON.parse(await fs.promises.readFile(f, 'utf8'));
  await row('pytest-benchmark', py, pytestBenchmarkParser, parseJsonPeer(py));
  await row('google-benchmark', gb, googleBenchmarkParser, parseJsonPeer(gb));
  await row('go test -json', go, goTestJsonParser, () => countLines(go));
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
