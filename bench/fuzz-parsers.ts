// Parser fuzzer: mutates every real fixture of every format (truncation, byte flips, huge and
// non-finite numbers, wrong JSON types, 100k-deep nesting, invalid UTF-8, BOMs, CRLF, empty
// files, long lines) and ingests each mutant through ingestFile. Contract per case: a valid
// model or a located IngestError naming the file; no other exception, no hang past the per-case
// bound (cases run in worker threads under a watchdog). Then one ~1 GB input per format.
//
// Run:  npx tsc -p . && node out/bench/fuzz-parsers.js [--seed 1] [--cases 10000]
//       [--formats go-text,locust] [--no-huge] [--huge-only] [--case-timeout 5000] [--jobs 2]
//       [--huge-heap-mb 256]
// A huge case runs in a worker whose JS heap is capped (--huge-heap-mb): a parser that holds
// the gigabyte (or grows with it) dies there, which is a violation.
// Replay one case: --formats NAME --from I --cases 1 --no-huge [--save] (the seed/index of each
// violation is printed; its mutant — every case's with --save — goes under --found,
// default /tmp/perf-lens-fuzz-found).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { buildCase } from './fuzz/cases';
import type { HugeResult } from './fuzz/huge';
import { TARGETS, type FuzzTarget } from './fuzz/targets';
import type { WorkerJob, WorkerMessage } from './fuzz/worker';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

// Fixtures resolve from the repository root, where the script is run (as the unit tests do).
const repoRoot = path.resolve(process.env.PERF_LENS_REPO ?? process.cwd());
const seed = Number(arg('seed', '1'));
const cases = Number(arg('cases', '10000'));
const from = Number(arg('from', '0'));
const caseTimeoutMs = Number(arg('case-timeout', '5000'));
const hugeTimeoutMs = Number(arg('huge-timeout', '600000'));
const jobs = Number(arg('jobs', String(Math.max(1, Math.min(2, os.cpus().length)))));
const foundDir = arg('found', path.join(os.tmpdir(), 'perf-lens-fuzz-found'));
const formats = arg('formats', TARGETS.map(t => t.name).join(',')).split(',');
const huge = !process.argv.includes('--no-huge');
const hugeOnly = process.argv.includes('--huge-only');
const hugeHeapMb = Number(arg('huge-heap-mb', '256'));
const save = process.argv.includes('--save');
const chunk = 1000;

interface Tally {
  cases: number;
  accepted: number;
  rejectedLocated: number;
  rejectedWholeFile: number;
  violations: number;
  hangs: number;
  ms: number[];
  byMutator: Map<string, { n: number; accepted: number }>;
}

const tallies = new Map<string, Tally>();
const violations: { target: string; index: number; label: string; why: string }[] = [];
const hugeResults: HugeResult[] = [];
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-fuzz-'));

function tally(name: string): Tally {
  let t = tallies.get(name);
  if (!t) tallies.set(name, (t = { cases: 0, accepted: 0, rejectedLocated: 0, rejectedWholeFile: 0, violations: 0, hangs: 0, ms: [], byMutator: new Map() }));
  return t;
}

function recordViolation(target: FuzzTarget, index: number, label: string, why: string): void {
  violations.push({ target: target.name, index, label, why });
  saveCase(target, index, label, why);
}

/** Writes the case's files and the reason under --found (violations always; every case with --save). */
function saveCase(target: FuzzTarget, index: number, label: string, why: string): void {
  const dir = path.join(foundDir, `${target.name}-s${seed}-${index}`);
  fs.mkdirSync(dir, { recursive: true });
  try {
    buildCase(repoRoot, target, seed, index, dir);
  } catch (e) {
    fs.writeFileSync(path.join(dir, 'BUILD-FAILED.txt'), String(e));
  }
  fs.writeFileSync(path.join(dir, 'WHY.txt'), `${target.name} seed ${seed} case ${index} (${label})\n${why}\n`);
}

interface Job {
  target: FuzzTarget;
  from: number;
  to: number;
  huge?: boolean;
}

/** Runs one job in a worker; a case that outlives its bound is a hang, and the rest is re-queued. */
function runJob(job: Job, slot: number, requeue: (j: Job) => void): Promise<void> {
  return new Promise(resolve => {
    const data: WorkerJob = { repoRoot, target: job.target.name, seed, from: job.from, to: job.to, dir: path.join(workRoot, `w${slot}`), huge: job.huge };
    const w = new Worker(path.join(__dirname, 'fuzz', 'worker.js'), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: job.huge ? hugeHeapMb : 2048 } });
    const t = tally(job.target.name);
    let current = job.from;
    /** The case the worker is making while `building`. */
    let next = job.from;
    let label = job.huge ? 'huge' : '?';
    let startedAt = Date.now();
    let finished = false;
    const limit = job.huge ? hugeTimeoutMs : caseTimeoutMs;
    // Starting the worker and making the next mutant is the fuzzer's work, not the parser's: it
    // gets its own, wider bound (100k-deep nestings take seconds to make on a loaded box, and once
    // counted against the parse they were reported as parser hangs).
    let building = !job.huge;
    const buildLimit = Math.max(10 * caseTimeoutMs, 60_000);
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      resolve();
    };
    const watchdog = setInterval(() => {
      if (Date.now() - startedAt <= (building ? buildLimit : limit)) return;
      void w.terminate();
      if (job.huge) {
        hugeResults.push({ target: job.target.name, bytes: 0, verdict: { kind: 'violation', why: `hang: no result within ${limit} ms` }, ms: limit, maxRssMiB: 0 });
      } else {
        t.cases++;
        t.violations++;
        if (building) {
          // No case in flight: the fuzzer itself stalled making case `next` (or starting the worker).
          recordViolation(job.target, next, 'building', `fuzzer stalled: case not made within ${buildLimit} ms`);
          if (next + 1 < job.to) requeue({ ...job, from: next + 1 });
        } else {
          t.hangs++;
          recordViolation(job.target, current, label, `hang: case ran longer than ${limit} ms`);
          if (current + 1 < job.to) requeue({ ...job, from: current + 1 });
        }
      }
      finish();
    }, 250);
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') {
        current = m.index;
        label = m.label;
        building = false;
        startedAt = Date.now();
      } else if (m.type === 'case') {
        const r = m.result;
        label = r.label;
        building = true;
        next = r.index + 1;
        startedAt = Date.now();
        t.cases++;
        t.ms.push(r.ms);
        const firstMutator = r.label.split('+')[0];
        const bm = t.byMutator.get(firstMutator) ?? { n: 0, accepted: 0 };
        bm.n++;
        if (r.verdict.kind === 'accepted') {
          t.accepted++;
          bm.accepted++;
        } else if (r.verdict.kind === 'rejected') {
          if (r.verdict.located) t.rejectedLocated++;
          else t.rejectedWholeFile++;
        } else {
          t.violations++;
          recordViolation(job.target, r.index, r.label, r.verdict.why);
        }
        if (save && r.verdict.kind !== 'violation') saveCase(job.target, r.index, r.label, JSON.stringify(r.verdict));
        t.byMutator.set(firstMutator, bm);
      } else if (m.type === 'huge') {
        hugeResults.push(m.result);
      } else if (m.type === 'stray') {
        t.violations++;
        recordViolation(job.target, m.index, label, m.why);
      } else if (m.type === 'done') {
        void w.terminate();
        finish();
      }
    });
    w.on('error', e => {
      // Out of memory or a crash of the thread: a violation of the case in flight.
      if (job.huge) hugeResults.push({ target: job.target.name, bytes: 0, verdict: { kind: 'violation', why: `worker died: ${e.message}` }, ms: Date.now() - startedAt, maxRssMiB: 0 });
      else {
        t.cases++;
        t.violations++;
        const at = building ? next : current;
        recordViolation(job.target, at, building ? 'building' : label, `worker died: ${e.message}`);
        if (at + 1 < job.to) requeue({ ...job, from: at + 1 });
      }
      finish();
    });
    w.on('exit', finish);
  });
}

const header = 'format             cases  accepted  rejected(line/field)  rejected(whole file)  violations  hangs  p50 ms  p99 ms  max ms';
function line(name: string): string {
  const t = tally(name);
  return `${name.padEnd(18)} ${String(t.cases).padStart(5)}  ${String(t.accepted).padStart(8)}  ${String(t.rejectedLocated).padStart(20)}  ${String(t.rejectedWholeFile).padStart(20)}  ${String(t.violations).padStart(10)}  ${String(t.hangs).padStart(5)}  ${pct(t.ms, 50).toFixed(1).padStart(6)}  ${pct(t.ms, 99).toFixed(1).padStart(6)}  ${Math.max(0, ...t.ms).toFixed(0).padStart(6)}`;
}
const printed = new Set<string>();
/** Progress: a format's line as soon as all its cases are in (a long run shows results early). */
function progress(name: string): void {
  if (!printed.has(name) && tally(name).cases >= cases) {
    printed.add(name);
    console.log(`  done ${line(name)}`);
  }
}

async function runAll(queue: Job[]): Promise<void> {
  const slots = Array.from({ length: jobs }, (_, slot) =>
    (async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        await runJob(job, slot, j => queue.unshift(j));
        progress(job.target.name);
      }
    })(),
  );
  await Promise.all(slots);
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main(): Promise<void> {
  const targets = TARGETS.filter(t => formats.includes(t.name));
  const t0 = Date.now();
  console.log(`fuzz-parsers: seed ${seed}, ${cases} cases per format from index ${from}, ${targets.length} formats, ${jobs} workers, case bound ${caseTimeoutMs} ms`);
  const queue: Job[] = [];
  if (!hugeOnly) for (const target of targets) for (let i = from; i < from + cases; i += chunk) queue.push({ target, from: i, to: Math.min(from + cases, i + chunk) });
  console.log(`progress (a format is done when all its cases are in):`);
  await runAll(queue);
  const mutationSec = (Date.now() - t0) / 1000;

  console.log(`\n${header}`);
  let total = 0;
  let totalViolations = 0;
  for (const target of targets) {
    const t = tally(target.name);
    total += t.cases;
    totalViolations += t.violations;
    console.log(line(target.name));
  }
  console.log(`total: ${total} cases, ${totalViolations} violations, ${mutationSec.toFixed(1)} s (shared 2-core machine: times are noisy)`);
  const mutators = new Map<string, { n: number; accepted: number }>();
  for (const t of tallies.values()) for (const [k, v] of t.byMutator) mutators.set(k, { n: (mutators.get(k)?.n ?? 0) + v.n, accepted: (mutators.get(k)?.accepted ?? 0) + v.accepted });
  console.log(`cases by first mutator (accepted/total): ${[...mutators].map(([k, v]) => `${k} ${v.accepted}/${v.n}`).join(', ')}`);

  if (huge) {
    const hugeQueue: Job[] = targets.map(target => ({ target, from: 0, to: 1, huge: true }));
    // One at a time: two gigabyte parses at once would measure the disk, not the parser.
    for (const job of hugeQueue) await runJob(job, 0, () => undefined);
    console.log(`\nhuge input (worker heap capped at ${hugeHeapMb} MB)`);
    console.log('format          bytes        outcome                        time s  peak heap MiB  RSS growth MiB  process maxRSS MiB');
    for (const h of hugeResults) {
      const what = h.verdict.kind === 'accepted' ? `accepted (${h.series} series)` : h.verdict.kind === 'rejected' ? `rejected: ${h.verdict.message.split(': ').slice(1).join(': ').slice(0, 60)}` : `VIOLATION: ${h.verdict.why}`;
      if (h.verdict.kind === 'violation') totalViolations++;
      console.log(`${h.target.padEnd(15)} ${String(h.bytes).padStart(11)}  ${what.padEnd(30)} ${(h.ms / 1000).toFixed(1).padStart(6)}  ${String(h.peakHeapMiB ?? '-').padStart(13)}  ${String(h.rssGrowthMiB ?? '-').padStart(14)}  ${String(h.maxRssMiB).padStart(18)}`);
    }
  }

  if (violations.length) {
    const groups = new Map<string, typeof violations>();
    for (const v of violations) {
      const key = `${v.target}: ${v.why.replace(/\/tmp\/\S+/g, 'FILE').replace(/\d+(\.\d+)?/g, 'N').slice(0, 140)}`;
      groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    console.log(`\nviolations (${violations.length}, ${groups.size} kinds; mutants saved under ${foundDir}):`);
    for (const [k, vs] of groups) console.log(`  ${vs.length} × ${k}\n      e.g. case ${vs[0].index} (${vs[0].label})`);
  }
  fs.rmSync(workRoot, { recursive: true, force: true });
  process.exitCode = totalViolations ? 1 : 0;
}

void main();
