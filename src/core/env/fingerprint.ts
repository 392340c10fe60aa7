// The machine a run was measured on, and the key that decides which baselines
// are comparable with it.
import * as os from 'os';
import type { MachineFingerprint } from '../model';

/**
 * Fingerprint of this machine. `runtimes` (e.g. { python: "3.11.2" }) are the versions
 * the caller detected for the tool it ran; node is always filled in from this process.
 */
export function detectFingerprint(runtimes: Record<string, string> = {}): MachineFingerprint {
  const cpus = os.cpus();
  return {
    cpuModel: (cpus[0]?.model ?? 'unknown').trim(),
    // availableParallelism honours cgroup/affinity limits; cpus().length is the fallback.
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    arch: os.arch(),
    runtimes: { node: process.versions.node, ...runtimes },
  };
}

/** Lower-case slug: letters, digits and single dashes; vendor marks like (R)/(TM) dropped. */
function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/\((r|tm|c)\)/g, ' ')
    .replace(/\b(cpu|processor)\b/g, ' ')
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/\.(?![0-9])|(?<![0-9])\./g, '-') // keep dots only inside numbers ("2.60ghz")
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The OS family ("linux", "darwin", "win32"): the first word of `fp.os`. */
function osFamily(fp: MachineFingerprint): string {
  return slug(fp.os.split(/\s+/)[0] ?? fp.os) || 'unknown-os';
}

/**
 * Comparability key: OS family, arch, core count and CPU model, e.g.
 * `linux-x64-8c-intel-core-i7-9750h-2.60ghz`. Readable because it is a key in the
 * committed baselines.json and shows up in PR diffs.
 *
 * Deliberately NOT in the class:
 * - runtime versions (node/python/go): a runtime upgrade is exactly the kind of change a
 *   baseline comparison should reveal, so it must compare against the old baseline rather
 *   than silently start a new, empty class. Versions are recorded on each baseline and
 *   reported beside a verdict instead.
 * - kernel release: kernels update weekly on CI images; splitting baselines per patch
 *   level would orphan them. Same reasoning: recorded in `fp.os`, shown, not keyed.
 */
export function machineClass(fp: MachineFingerprint): string {
  return [osFamily(fp), slug(fp.arch) || 'unknown-arch', `${fp.cores}c`, slug(fp.cpuModel) || 'unknown-cpu'].join('-');
}

/**
 * The tool's fingerprint with what it left out filled from `local`, when it was measured here.
 * pytest-benchmark without py-cpuinfo's count reports 0 cores, so the same machine gave two
 * classes depending on which Python ran the suite. Only a fingerprint of the same CPU model
 * (or none) and OS family is completed: a file from another machine keeps what it says.
 */
export function completeFingerprint(tool: MachineFingerprint, local: MachineFingerprint): MachineFingerprint {
  const sameCpu = !tool.cpuModel.trim() || slug(tool.cpuModel) === slug(local.cpuModel);
  if (!sameCpu || (tool.os.trim() && osFamily(tool) !== osFamily(local))) return tool;
  return {
    ...tool,
    cpuModel: tool.cpuModel.trim() ? tool.cpuModel : local.cpuModel,
    cores: tool.cores > 0 ? tool.cores : local.cores,
    os: tool.os.trim() ? tool.os : local.os,
    arch: tool.arch || local.arch,
  };
}

/** Runtime differences between two fingerprints of the same class, for reports ("node 20.1.0 → 20.20.2"). */
export function runtimeDifferences(before: MachineFingerprint, after: MachineFingerprint): string[] {
  const names = [...new Set([...Object.keys(before.runtimes), ...Object.keys(after.runtimes)])].sort();
  const out: string[] = [];
  for (const n of names) {
    const a = before.runtimes[n];
    const b = after.runtimes[n];
    if (a !== b) out.push(`${n} ${a ?? '(none)'} → ${b ?? '(none)'}`);
  }
  if (before.os !== after.os) out.push(`os ${before.os} → ${after.os}`);
  return out;
}
