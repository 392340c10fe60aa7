// Child process for the crash and concurrency tests (crash.test.ts spawns the compiled
// .js beside it). Not a test file. Modes:
//   baselines-loop FILE            accept big runs forever, generation N+1 each time
//   history-loop DIR TAG           append big runs forever
//   accept-ids FILE PREFIX COUNT   accept PREFIX-0 … PREFIX-(COUNT-1), one acceptRun each
//   append-runs DIR PREFIX COUNT   append COUNT runs whose suite is PREFIX
// Prints one line per completed write, so the parent knows what must have survived.
import * as fs from 'fs';
import { acceptRun, parseBaselines } from '../../../src/core/store/baselines';
import { HistoryStore } from '../../../src/core/store/history';
import { makeRun } from './runs';

export const BIG_SERIES = 150;
export const BIG_SAMPLES = 200;

const bigIds = Array.from({ length: BIG_SERIES }, (_, i) => `tests/perf/test_big.py::test_case_${String(i).padStart(3, '0')}`);

async function baselinesLoop(file: string): Promise<void> {
  let gen = 0;
  if (fs.existsSync(file)) {
    const doc = parseBaselines(fs.readFileSync(file, 'utf8'), file);
    for (const cls of Object.values(doc.baselines)) for (const e of Object.values(cls)) gen = Math.max(gen, Number(e.acceptedBy.split('-').pop()));
  }
  for (;;) {
    gen++;
    // Every series of generation N carries N in acceptedBy and its mean: a mixed file would show.
    const run = makeRun({ ids: bigIds, value: gen, samples: BIG_SAMPLES });
    await acceptRun(file, run, { by: `tool:gen-${gen}`, timeoutMs: 5000 });
    process.stdout.write(`${gen}\n`);
  }
}

async function historyLoop(dir: string, tag: string): Promise<void> {
  const store = new HistoryStore(dir, { timeoutMs: 5000 });
  for (let i = 0; ; i++) {
    const run = await store.append(makeRun({ ids: bigIds.slice(0, 60), value: i + 1, samples: BIG_SAMPLES, suite: tag }));
    process.stdout.write(`${run.id}\n`);
  }
}

async function acceptIds(file: string, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await acceptRun(file, makeRun({ ids: [`${prefix}-${i}`], samples: 20 }), { by: `tool:${prefix}`, timeoutMs: 10_000 });
  }
}

async function appendRuns(dir: string, prefix: string, count: number): Promise<void> {
  const store = new HistoryStore(dir, { timeoutMs: 10_000 });
  for (let i = 0; i < count; i++) await store.append(makeRun({ ids: ['s'], value: i + 1, suite: prefix }));
}

async function main(): Promise<void> {
  const [mode, a, b, c] = process.argv.slice(2);
  if (mode === 'baselines-loop') return baselinesLoop(a);
  if (mode === 'history-loop') return historyLoop(a, b);
  if (mode === 'accept-ids') return acceptIds(a, b, Number(c));
  if (mode === 'append-runs') return appendRuns(a, b, Number(c));
  throw new Error(`unknown mode ${mode}`);
}

if (require.main === module) {
  main().catch(e => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
