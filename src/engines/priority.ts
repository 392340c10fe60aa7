// A load generator started from the editor shares the CPU with the editor itself. On a small
// machine it can take every core, and the extension host (and the user's typing) then waits
// for the scheduler — measured in test/integration/suites/live. The editor's task asks for a
// lower priority through PERF_LENS_ENGINE_NICE; the CLI and CI leave it unset.
import * as os from 'os';

export const ENGINE_NICE_ENV = 'PERF_LENS_ENGINE_NICE';

/** Lowers this process's CPU priority to the niceness in PERF_LENS_ENGINE_NICE (0–19), if set. */
export function applyRequestedPriority(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[ENGINE_NICE_ENV];
  if (raw === undefined || raw === '') return undefined;
  const nice = Number(raw);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) return undefined;
  try {
    // Only ever lowers: a niceness below the current one would need privileges and is never asked for.
    if (os.getPriority() < nice) os.setPriority(nice);
    return os.getPriority();
  } catch {
    return undefined; // not permitted on this platform: run as is
  }
}
