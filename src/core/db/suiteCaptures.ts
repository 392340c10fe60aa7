// pg_stat_statements captures of suites started elsewhere (the editor's tasks): begin when a
// suite with `database` starts, finish when it ends. Keyed by folder and suite, as a suite runs
// once at a time per folder. Failures are reported, never thrown: the suite's own results still
// count.
import * as path from 'path';
import type { DatabaseConfig } from './config';
import { dbResultFile, PgCapture } from './pgSnapshot';

interface SuiteLike {
  name: string;
  cwd: string;
  env: Record<string, string>;
  database?: DatabaseConfig;
}

export class SuiteCaptures {
  private readonly running = new Map<string, Promise<PgCapture | undefined>>();

  constructor(private readonly onError: (message: string) => void) {}

  /** Takes the before snapshot (or resets) for a suite with `database`; no-op otherwise. */
  begin(folder: string, suite: SuiteLike): void {
    if (!suite.database) return;
    const capture = PgCapture.begin(suite.database, { cwd: path.join(folder, suite.cwd), env: { ...process.env, ...suite.env } }).catch((e: Error) => {
      this.onError(`suite ${suite.name}: ${e.message}`);
      return undefined;
    });
    this.running.set(`${folder}\u0000${suite.name}`, capture);
  }

  /** Takes the after snapshot and writes the pair; resolves with the file, or undefined. */
  async finish(folder: string, suite: SuiteLike): Promise<string | undefined> {
    const key = `${folder}\u0000${suite.name}`;
    const pending = this.running.get(key);
    this.running.delete(key);
    const capture = await pending;
    if (!capture) return undefined;
    try {
      return await capture.finish(path.join(folder, dbResultFile(suite.name)), suite.name);
    } catch (e) {
      this.onError(`suite ${suite.name}: ${(e as Error).message}`);
      return undefined;
    }
  }
}
