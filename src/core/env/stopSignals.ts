// The signals that mean "stop, and keep what you have": Ctrl+C (SIGINT), kill and CI (SIGTERM),
// and SIGHUP, which a terminal sends when it closes — that is how VS Code ends a task the user
// stops. Without a SIGHUP handler Node exits at once: no partial results written, and detached
// children (Locust's master and workers) left running.
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Calls `onStop` on a stop signal (with `once`, each signal's first only: a second Ctrl+C keeps
 * its usual meaning). Returns the function that removes the handlers.
 */
export function onStopSignal(onStop: (sig: NodeJS.Signals) => void, opts: { once?: boolean } = {}): () => void {
  const handler = (sig: NodeJS.Signals) => {
    if (sig === 'SIGHUP') ignoreClosedTerminal();
    onStop(sig);
  };
  for (const s of STOP_SIGNALS) {
    if (opts.once) process.once(s, handler);
    else process.on(s, handler);
  }
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, handler);
  };
}

/** The exit code a shell gives a process ended by `sig` (128 + its number). */
export function signalExitCode(sig: NodeJS.Signals): number {
  return sig === 'SIGINT' ? 130 : sig === 'SIGHUP' ? 129 : 143;
}

/** After SIGHUP the terminal is gone: writing progress to it fails (EIO), which must not end the stop early. */
function ignoreClosedTerminal(): void {
  for (const stream of [process.stdout, process.stderr]) if (!stream.listenerCount('error')) stream.on('error', () => undefined);
}
