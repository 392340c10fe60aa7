// Progress output. On a TTY a one-line bar rewritten in place (on stderr, so stdout stays clean);
// otherwise — and always with --progress-json — one JSON line per event on stdout, which the
// extension reads live from the task's output.

export interface ProgressSink {
  update(line: string, json: object): void;
  event(json: object): void;
  end(): void;
}

export function progressSink(forceJson: boolean): ProgressSink {
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
