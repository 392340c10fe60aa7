// A child process group that must not outlive us, however we end. Our 'exit' handlers cover a
// normal exit and the stop signals, but SIGKILL (kill -9, the OOM killer, a crashed editor) runs
// no code of ours, and a detached group — Locust's master and workers, a launched service under
// test — would keep running and holding its ports.
//
// The watchdog is a POSIX `sh` in its own session, holding the read end of a pipe whose write
// end only we hold. When we die, for any reason, the kernel closes our end, the watchdog's `read`
// returns at end of file and it ends the group: SIGTERM, then SIGKILL after `graceSec`. Released
// normally, it reads a line instead and exits without touching anything.
import { spawn, type ChildProcess } from 'child_process';
import { signalExitCode } from './stopSignals';

export interface Lifeline {
  /** The group ended (or is being ended) by us: the watchdog exits without killing. */
  release(): void;
}

const WATCHDOG = [
  "trap '' HUP INT TERM", // our Ctrl+C or task stop must not end the watchdog first
  'if read -r _; then exit 0; fi', // a line: released; end of file: we died
  'kill -s TERM -- "-$1" 2>/dev/null || exit 0', // the group is already gone
  'sleep "$2"',
  'kill -s KILL -- "-$1" 2>/dev/null',
  'exit 0',
].join('\n');

/** Sends `sig` to process group `pgid` (on Windows, to that process alone); quiet when it is gone. */
export function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pgid : -pgid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * Ties process group `pgid` (a child spawned with `detached: true`; its pid is the group id) to
 * this process's life. Cheap: one `sh` that sleeps in `read`. Does nothing where there is no
 * POSIX shell and process groups (Windows).
 */
export function tieGroupToLife(pgid: number, graceSec = 2): Lifeline {
  if (process.platform === 'win32' || !(pgid > 1)) return { release: () => undefined };
  let dog: ChildProcess | undefined;
  try {
    dog = spawn('sh', ['-c', WATCHDOG, 'perf-lens-lifeline', String(pgid), String(graceSec)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  } catch {
    return { release: () => undefined };
  }
  dog.on('error', () => undefined); // no sh: the exit handlers still cover a normal exit
  dog.stdin?.on('error', () => undefined); // EPIPE when the watchdog is already gone
  // Neither the watchdog nor its pipe may keep our event loop alive.
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      dog?.stdin?.end('released\n');
    },
  };
}

/**
 * Runs `command args` with our stdio as the leader of its own process group (so a terminal's
 * Ctrl+C reaches it only as the caller forwards it), tied to our life while it runs. `exited`
 * resolves with its exit code (a signal's as a shell reports it), or the error that kept it from starting.
 */
export function spawnOwnGroup(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<number | Error> } {
  const child = spawn(command, args, { stdio: 'inherit', detached: true, ...(env ? { env } : {}) });
  const line = child.pid !== undefined ? tieGroupToLife(child.pid) : undefined;
  const exited = new Promise<number | Error>(resolve => {
    child.once('error', e => resolve(e));
    child.once('exit', (code, sig) => resolve(code ?? (sig ? signalExitCode(sig) : 1)));
  }).finally(() => line?.release());
  return { child, exited };
}
