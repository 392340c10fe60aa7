// Where the CLI writes. Results go to stdout; progress and diagnostics to stderr so that
// `perf-lens report --format json > r.json` stays clean. On a terminal, progress is one
// line rewritten in place; elsewhere (CI logs, pipes) every step is a plain line.
import type { Log } from '../util/log';

export interface Output {
  /** A line of results on stdout. */
  out(text: string): void;
  /** A plain diagnostic line on stderr (clears a progress line first). */
  err(text: string): void;
  /** A step of progress: rewritten in place on a TTY, a plain line otherwise. */
  progress(text: string): void;
  /** Ends a progress line, if one is showing. */
  done(): void;
  readonly tty: boolean;
  log: Log;
}

export function consoleOutput(opts: { progress: boolean }): Output {
  const tty = opts.progress && !!process.stdout.isTTY && !!process.stderr.isTTY;
  let showing = false;
  const clear = (): void => {
    if (showing) process.stderr.write('\r\x1b[K');
    showing = false;
  };
  const err = (text: string): void => {
    clear();
    process.stderr.write(`${text}\n`);
  };
  const fmt = (m: string | Error, args: unknown[]): string => [m instanceof Error ? m.message : m, ...args.map(String)].join(' ');
  return {
    tty,
    out: text => {
      clear();
      process.stdout.write(`${text}\n`);
    },
    err,
    progress: text => {
      if (!opts.progress) return;
      if (tty) {
        const width = (process.stderr.columns ?? 80) - 1;
        process.stderr.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
        showing = true;
      } else {
        process.stderr.write(`${text}\n`);
      }
    },
    done: clear,
    log: {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (m, ...a) => err(`warning: ${fmt(m, a)}`),
      error: (m, ...a) => err(`error: ${fmt(m, a)}`),
    },
  };
}
