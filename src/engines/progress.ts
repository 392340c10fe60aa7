// Progress output. On a TTY a one-line bar rewritten in place (on stderr, so stdout stays clean);
// otherwise — and always with --progress-json — one JSON line per event on stdout.
// With --progress-file PATH every event is also appended to PATH as a JSON line: VS Code tasks do
// not let the extension read a task's output, so the editor tails that file instead
// (src/workspace/liveRuns.ts).
import * as fs from 'fs';
import * as path from 'path';
import { gitignoreScratch } from '../core/store/scratch';

export interface ProgressSink {
  update(line: string, json: object): void;
  /** Any event object (progress, metrics, alert, done …): passed through to the JSON channels as is. */
  event(json: object): void;
  end(): void;
}

/**
 * A fresh progress file: removed and created again (a new inode, so a reader still holding
 * the previous run's offset notices the new run), then appended to line by line. Writes are
 * synchronous and small (one line a second); a failing write never stops the run. A folder it
 * has to create (`.perf/live/` on a first `perf-lens run` in a terminal) is git-ignored, as the
 * editor's own (workspace/liveRuns.ts): progress files are scratch, not for `git status`.
 */
export function progressFile(file: string): { write(json: object): void; close(): void } {
  let fd: number | undefined;
  try {
    const dir = path.dirname(file);
    if (fs.mkdirSync(dir, { recursive: true }) !== undefined) gitignoreScratch(dir);
    fs.rmSync(file, { force: true });
    fd = fs.openSync(file, 'a');
  } catch (e) {
    process.stderr.write(`progress file ${file}: ${(e as Error).message} (live results are off)\n`);
  }
  return {
    write(json) {
      if (fd === undefined) return;
      try {
        fs.writeSync(fd, `${JSON.stringify(json)}\n`);
      } catch {
        /* disk full or file removed: the run itself matters more than its live view */
      }
    },
    close() {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}

export function progressSink(forceJson: boolean, file?: string): ProgressSink {
  const live = file ? progressFile(file) : undefined;
  const inner = consoleSink(forceJson);
  if (!live) return inner;
  return {
    update(line, json) {
      inner.update(line, json);
      live.write(json);
    },
    event(json) {
      inner.event(json);
      live.write(json);
    },
    end() {
      inner.end();
    },
  };
}

function consoleSink(forceJson: boolean): ProgressSink {
  if (forceJson || !process.stderr.isTTY) {
    return {
      update: (_line, json) => process.stdout.write(`${JSON.stringify(json)}\n`),
      event: json => process.stdout.write(`${JSON.stringify(json)}\n`),
      end: () => undefined,
    };
  }
  let shown = false;
  return {
    update(line) {
      process.stderr.write(`\r\x1b[2K${line}`);
      shown = true;
    },
    event: () => undefined,
    end() {
      if (shown) process.stderr.write('\n');
    },
  };
}

/** `[#####.....] 12.0/30 s` style bar; total unknown → elapsed only. */
export function bar(elapsed: number, total: number | undefined, width = 20): string {
  if (!total) return `${elapsed.toFixed(0)} s`;
  const f = Math.min(1, Math.max(0, elapsed / total));
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${elapsed.toFixed(0)}/${total} s`;
}
