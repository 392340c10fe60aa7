// Worker thread for bench/fuzz-parsers.ts: runs a range of cases of one format and posts each
// result, so the parent's watchdog can see progress and terminate a worker stuck in a case
// (a synchronous hang cannot be interrupted from inside the thread).
import * as fs from 'fs';
import { parentPort, workerData } from 'worker_threads';
import { runCase, type CaseResult } from './cases';
import { hugeCase } from './huge';
import { targetByName } from './targets';

export interface WorkerJob {
  repoRoot: string;
  target: string;
  seed: number;
  from: number;
  to: number;
  dir: string;
  /** Run the 1 GB case instead of the mutation cases. */
  huge?: boolean;
}

export type WorkerMessage =
  | { type: 'start'; index: number; label: string }
  | { type: 'case'; result: CaseResult }
  | { type: 'huge'; result: import('./huge').HugeResult }
  | { type: 'stray'; index: number; why: string }
  | { type: 'done' };

const job = workerData as WorkerJob;
const post = (m: WorkerMessage) => parentPort?.postMessage(m);
let current = -1;
// An error escaping a parser's promise chain (an unawaited stream) would surface here.
process.on('uncaughtException', e => post({ type: 'stray', index: current, why: `uncaughtException ${String(e).slice(0, 300)}` }));
process.on('unhandledRejection', e => post({ type: 'stray', index: current, why: `unhandledRejection ${String(e).slice(0, 300)}` }));

async function main(): Promise<void> {
  const target = targetByName(job.target);
  fs.mkdirSync(job.dir, { recursive: true });
  if (job.huge) {
    post({ type: 'huge', result: await hugeCase(job.repoRoot, target, job.dir) });
  } else {
    for (let i = job.from; i < job.to; i++) {
      current = i;
      let result: CaseResult;
      try {
        result = await runCase(job.repoRoot, target, job.seed, i, job.dir, c => post({ type: 'start', index: i, label: c.label }));
      } catch (e) {
        // The fuzzer's own fault (making the mutant), not the parser's: report it as such.
        result = { index: i, label: '?', fixture: '?', verdict: { kind: 'violation', why: `fuzzer error building the case: ${String(e)}` }, ms: 0 };
      }
      post({ type: 'case', result });
    }
  }
  post({ type: 'done' });
}

void main();
