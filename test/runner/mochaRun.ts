// Runs mocha files in this process with the spec reporter, and the closing line
// every runner of ours prints: "total: N passed, N failed".
import Mocha from 'mocha';

export interface Totals {
  passes: number;
  failures: number;
  pending: number;
}

export function runMocha(files: string[], timeoutMs: number): Promise<Totals> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: timeoutMs, reporter: 'spec' });
  for (const f of files) mocha.addFile(f);
  return new Promise(resolve => {
    const runner = mocha.run(failures => resolve({ passes: runner.stats?.passes ?? 0, failures, pending: runner.stats?.pending ?? 0 }));
  });
}

export function add(a: Totals, b: Totals): Totals {
  return { passes: a.passes + b.passes, failures: a.failures + b.failures, pending: a.pending + b.pending };
}

/** Prints the closing line and exits non-zero on any failure or when nothing ran. */
export function runMain(run: () => Promise<Totals>): void {
  run().then(
    t => {
      process.stdout.write(`\ntotal: ${t.passes} passed, ${t.failures} failed${t.pending ? `, ${t.pending} skipped` : ''}\n`);
      process.exit(t.failures > 0 || t.passes === 0 ? 1 : 0);
    },
    (e: unknown) => {
      process.stderr.write(`tests could not run: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(2);
    },
  );
}
