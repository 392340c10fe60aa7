// Opening a workspace folder for a command: config checked first (a missing or bad
// perf-lens.config.json is the caller's setup mistake, exit 2), then the results store.
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE, loadProjectConfig } from '../core/config/projectConfig';
import { ResultsStore } from '../workspace/resultsStore';
import type { Output } from './io';

/** An error with the exit code it should end the process with. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export interface Ctx {
  /** Absolute workspace folder (--cwd, default the current directory). */
  cwd: string;
  out: Output;
}

export function resolveCwd(dir: string | undefined): string {
  const cwd = path.resolve(dir ?? process.cwd());
  let st: fs.Stats;
  try {
    st = fs.statSync(cwd);
  } catch {
    throw new CliError(`--cwd ${dir}: no such directory`, 2);
  }
  if (!st.isDirectory()) throw new CliError(`--cwd ${dir}: not a directory`, 2);
  return cwd;
}

/**
 * The results store of the workspace. `requireConfig`: commands that run suites need a config;
 * the others work from results and baselines alone (default budgets and verdict rules).
 */
export async function openWorkspace(ctx: Ctx, opts: { requireConfig: boolean }): Promise<ResultsStore> {
  let config;
  try {
    config = await loadProjectConfig(ctx.cwd);
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  if (!config && opts.requireConfig) {
    throw new CliError(`no ${CONFIG_FILE} in ${ctx.cwd} (create one, or point --cwd at the folder that has it)`, 2);
  }
  const store = new ResultsStore(ctx.cwd, { log: ctx.out.log });
  await store.reload();
  for (const p of store.loadProblems) throw new CliError(p, 1);
  return store;
}
