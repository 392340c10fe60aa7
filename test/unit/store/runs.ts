// Builders for store tests: runs, machines and temp folders (not a test file itself).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { MachineFingerprint, Metric, Run, Series } from '../../../src/core/model';

export const machineA: MachineFingerprint = {
  cpuModel: 'Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz',
  cores: 12,
  os: 'linux 6.1.0-18-amd64 x64',
  arch: 'x64',
  runtimes: { node: '20.20.2', python: '3.11.2' },
};

export const machineB: MachineFingerprint = {
  cpuModel: 'Apple M2',
  cores: 8,
  os: 'darwin 23.4.0 arm64',
  arch: 'arm64',
  runtimes: { node: '20.20.2' },
};

const created: string[] = [];

export function tmpDir(tag = 'store'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `perf-lens-${tag}-`));
  created.push(d);
  return d;
}

/** Removes the folders tmpDir made (call from an after() hook). */
export function removeTmpDirs(): void {
  for (const d of created.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export interface RunSpec {
  ids: string[];
  /** Central value of each series (samples are spread ±5 % around it). */
  value?: number | ((id: string) => number);
  samples?: number;
  metric?: Metric;
  machine?: MachineFingerprint;
  startedAt?: string;
  suite?: string;
  tool?: Run['tool'];
  id?: string;
  dirty?: boolean;
}

export function series(id: string, value: number, n: number, metric: Metric = 'duration'): Series {
  const samples = Array.from({ length: n }, (_, i) => value * (0.95 + (0.1 * i) / Math.max(1, n - 1)));
  return {
    id,
    metric,
    unit: metric === 'throughput' ? '1/s' : metric === 'memory' ? 'bytes' : 's',
    samples: n > 0 ? samples : undefined,
    summary: { n: Math.max(n, 1), mean: value, median: value, min: n ? samples[0] : value, max: n ? samples[n - 1] : value },
  };
}

export function makeRun(spec: RunSpec): Run {
  const v = spec.value ?? 0.01;
  return {
    id: spec.id,
    tool: spec.tool ?? 'pytest-benchmark',
    suite: spec.suite,
    startedAt: spec.startedAt ?? '2026-11-20T10:00:00.000Z',
    git: { commit: 'a'.repeat(40), branch: 'main', dirty: spec.dirty ?? false },
    machine: spec.machine === undefined ? machineA : spec.machine,
    series: spec.ids.map(id => series(id, typeof v === 'function' ? v(id) : v, spec.samples ?? 10, spec.metric)),
  };
}
