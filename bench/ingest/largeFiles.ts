// bench/ingest/largeFiles: our parsers on big inputs scaled up from the real fixtures,
// side by side with Python's csv / json modules (/usr/bin/python3) on the same files.
//  - a Locust stats_history CSV of ~200 MiB (the real 13 s history repeated as a long
//    soak test, timestamps and cumulative counts advancing) and one of ~50 MiB, to show
//    peak RSS does not grow with the file (the CSV is streamed, timelines are bounded);
//  - a pytest-benchmark JSON with 5,000 benchmarks (the real fixture's, renamed).
// Each measurement runs in a fresh child process so its peak RSS (getrusage maxrss) is its own.
// Python does strictly less work than our parsers (no model, no timelines), so the ratio
// is an upper bound on our overhead.
//
// Run: cd /work/main && npx tsc -p . && node out/bench/ingest/largeFiles.js [historyMiB=200] [benchmarks=5000] [rounds=3]
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { locustParser } from '../../src/core/ingest/locust';
import { pytestBenchmarkParser } from '../../src/core/ingest/pytestBenchmark';

const repo = process.cwd();
const fx = (...p: string[]) => path.join(repo, 'test', 'fixtures', ...p);
const PYTHON = '/usr/bin/python3';

interface Measure {
  ms: number;
  maxRssMiB: number;
  detail: string;
}

// ---------- child mode: parse once, print {ms, maxRssMiB, detail} ----------

async function child(kind: string, file: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  let detail = '';
  if (kind === 'locust') {
    const run = await locustParser.parse(file);
    const points = run.series.reduce((n, s) => n + (s.timeline?.length ?? 0), 0);
    detail = `${run.series.length} series, ${points} timeline points`;
  } else if (kind === 'pytest') {
    const run = await pytestBenchmarkParser.parse(file, { maxBytes: 1024 * 1024 * 1024 });
    detail = `${run.series.length} series`;
  } else if (kind === 'idle') {
    detail = 'node with the parsers loaded, no parse';
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m: Measure = { ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, detail };
  process.stdout.write(JSON.stringify(m) + '\n');
}

// Python peers. csv: tokenize every row and float() the same numeric columns our parser
// reads; json: json.load and touch every benchmark's stats.
const PY = String.raw`
import csv, json, sys, time, resource
kind, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
detail = ''
if kind == 'csv':
    with open(path, newline='') as f:
        r = csv.reader(f)
        header = next(r)
        idx = [header.index(c) for c in ('Timestamp', 'User Count', 'Total Request Count', 'Total Failure Count')]
        pct = [i for i, c in enumerate(header) if c.endswith('%')]
        rows = 0
        for row in r:
            for i in idx:
                float(row[i])
            for i in pct:
                if row[i] != 'N/A':
                    float(row[i])
            rows += 1
    detail = '%d rows' % rows
elif kind == 'csv-tokenize':
    with open(path, newline='') as f:
        rows = sum(1 for _ in csv.reader(f))
    detail = '%d rows' % rows
else:
    with open(path) as f:
        doc = json.load(f)
    n = 0
    for b in doc['benchmarks']:
        s = b['stats']
        n += 1 if s['mean'] >= 0 else 0
    detail = '%d benchmarks' % n
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({'ms': ms, 'maxRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'detail': detail}))
`;

function runChild(cmd: string, args: string[]): Measure {
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop() as string) as Measure;
}

function ours(kind: string, file: string): Measure {
  return runChild(process.execPath, [__filename, '--child', kind, file]);
}

function python(kind: string, file: string): Measure {
  return runChild(PYTHON, ['-c', PY, kind, file]);
}

// ---------- inputs ----------

/** A long Locust history: the real per-second blocks repeated, time and counts advancing. */
function bigHistory(dir: string, prefix: string, mib: number): string {
  const lines = fs.readFileSync(fx('locust', 'run_stats_history.csv'), 'utf8').trim().split('\n');
  const header = lines[0];
  const cols = header.split(',');
  const iT = cols.indexOf('Timestamp');
  const iTotal = cols.indexOf('Total Request Count');
  const iFail = cols.indexOf('Total Failure Count');
  const rows = lines.slice(1).map(l => l.split(','));
  const t0 = Number(rows[0][iT]);
  const span = Number(rows[rows.length - 1][iT]) - t0 + 1;
  // Cumulative totals at the end of one copy, per name, so the next copy continues them.
  const lastTotal = new Map<string, [number, number]>();
  for (const r of rows) lastTotal.set(r[3], [Number(r[iTotal]), Number(r[iFail])]);
  fs.copyFileSync(fx('locust', 'run_stats.csv'), path.join(dir, `${prefix}_stats.csv`));
  const file = path.join(dir, `${prefix}_stats_history.csv`);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, header + '\n');
  let written = 0;
  const target = mib * 1024 * 1024;
  for (let c = 0; written < target; c++) {
    const out: string[] = [];
    for (const r of rows) {
      const [tot, fail] = lastTotal.get(r[3]) as [number, number];
      const copy = [...r];
      copy[iT] = String(Number(r[iT]) + c * span);
      copy[iTotal] = String(Number(r[iTotal]) + c * tot);
      copy[iFail] = String(Number(r[iFail]) + c * fail);
      out.push(copy.join(','));
    }
    const chunk = out.join('\n') + '\n';
    fs.writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  fs.closeSync(fd);
  return file;
}

/** pytest-benchmark JSON with `count` benchmarks, the real ones renamed round-robin. */
function bigPytest(dir: string, count: number): string {
  const doc = JSON.parse(fs.readFileSync(fx('pytest-benchmark', 'stats.json'), 'utf8')) as { benchmarks: Record<string, unknown>[] };
  const real = doc.benchmarks;
  doc.benchmarks = Array.from({ length: count }, (_, i) => {
    const b = real[i % real.length];
    return { ...b, name: `${String(b.name)}_${i}`, fullname: `${String(b.fullname)}_${i}` };
  });
  const file = path.join(dir, 'pytest-5000.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

// ---------- report ----------

function median(xs: Measure[]): Measure {
  return [...xs].sort((a, b) => a.ms - b.ms)[xs.length >> 1];
}

function row(label: string, file: string, rounds: number, oursKind: string, pyKinds: string[]): void {
  const mib = fs.statSync(file).size / 1024 / 1024;
  const o = median(Array.from({ length: rounds }, () => ours(oursKind, file)));
  console.log(`\n${label}: ${mib.toFixed(1)} MiB (${o.detail})`);
  console.log(`  ours (node)          ${o.ms.toFixed(0).padStart(7)} ms  ${(mib / (o.ms / 1000)).toFixed(1).padStart(6)} MiB/s  peak RSS ${o.maxRssMiB.toFixed(0)} MiB`);
  for (const k of pyKinds) {
    const p = median(Array.from({ length: rounds }, () => python(k, file)));
    console.log(
      `  python ${k.padEnd(13)} ${p.ms.toFixed(0).padStart(7)} ms  ${(mib / (p.ms / 1000)).toFixed(1).padStart(6)} MiB/s  peak RSS ${p.maxRssMiB.toFixed(0)} MiB   ours/python time ${(o.ms / p.ms).toFixed(2)}`,
    );
  }
}

function main(): void {
  const historyMiB = Number(process.argv[2] ?? 200);
  const benchmarks = Number(process.argv[3] ?? 5000);
  const rounds = Number(process.argv[4] ?? 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-bench-large-'));
  try {
    const pyVersion = execFileSync(PYTHON, ['--version'], { encoding: 'utf8' }).trim();
    console.log(`node ${process.version}, ${pyVersion}, ${os.cpus().length} cores, median of ${rounds} runs, each in a fresh process`);
    const idle = ours('idle', '');
    console.log(`node baseline (parsers loaded, nothing parsed): peak RSS ${idle.maxRssMiB.toFixed(0)} MiB`);
    const small = bigHistory(dir, 'small', Math.max(1, Math.round(historyMiB / 4)));
    row('Locust stats_history (1/4 size)', small, rounds, 'locust', ['csv']);
    fs.rmSync(small);
    const big = bigHistory(dir, 'big', historyMiB);
    row('Locust stats_history', big, rounds, 'locust', ['csv', 'csv-tokenize']);
    fs.rmSync(big);
    row(`pytest-benchmark JSON, ${benchmarks} benchmarks`, bigPytest(dir, benchmarks), rounds, 'pytest', ['json']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch(e => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  main();
}
