// The load generator's V8 flags must be given when its process starts (LOAD_ENGINE_NODE_FLAGS:
// 64 MB semi-spaces; the young generation's scavenges otherwise weigh on the p99). The VS Code
// task, `perf-lens run` and a memory suite's load child start it with them. Started by hand —
// `node loadMain.js …`, `perf-lens load …` — it starts itself again with them, once: as a child in
// its own process group (so a terminal's Ctrl+C reaches it once, from us, and it still writes its
// partial results), tied to our life, with our exit code.
import * as inspector from 'inspector';
import { signalGroup, spawnOwnGroup } from '../core/env/lifeline';
import { onStopSignal } from '../core/env/stopSignals';

/** Set in the restarted process: it runs in place whatever its flags (never a second restart). */
export const RESTARTED_ENV = 'PERF_LENS_ENGINE_RESTARTED';

/**
 * Whether this process must start again to have `flags`. Not on Windows (no process groups to
 * forward to), and not under a debugger (`--inspect`, an editor's auto-attach): the run stays
 * where the user is debugging it.
 */
export function needsRestart(flags: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (!flags.length || env[RESTARTED_ENV] || process.platform === 'win32' || inspector.url() !== undefined) return false;
  const given = [...process.execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  return !flags.every(f => given.includes(f));
}

/** Runs `script args` in a new Node process with `flags` added; resolves with its exit code. */
export async function restartWithFlags(flags: readonly string[], script: string, args: readonly string[]): Promise<number> {
  const { child, exited } = spawnOwnGroup(process.execPath, [...process.execArgv, ...flags, script, ...args], { ...process.env, [RESTARTED_ENV]: '1' });
  // Every signal is passed on (a second Ctrl+C keeps its meaning: stop now).
  const off = onStopSignal(sig => child.pid !== undefined && signalGroup(child.pid, sig));
  const result = await exited.finally(off);
  if (typeof result === 'number') return result;
  process.stderr.write(`perf-lens: cannot start ${process.execPath}: ${result.message}\n`);
  return 4;
}
