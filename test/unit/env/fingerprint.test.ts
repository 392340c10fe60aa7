import * as assert from 'assert';
import * as os from 'os';
import { completeFingerprint, detectFingerprint, machineClass, runtimeDifferences } from '../../../src/core/env/fingerprint';
import type { MachineFingerprint } from '../../../src/core/model';

const intel: MachineFingerprint = {
  cpuModel: 'Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz',
  cores: 12,
  os: 'linux 6.1.0-18-amd64 x64',
  arch: 'x64',
  runtimes: { node: '20.20.2' },
};

describe('env/fingerprint', () => {
  it('detects this machine, node from the process and runtimes passed in', () => {
    const fp = detectFingerprint({ python: '3.11.2' });
    assert.strictEqual(fp.cpuModel, os.cpus()[0].model.trim());
    assert.strictEqual(fp.cores, os.availableParallelism());
    assert.strictEqual(fp.arch, os.arch());
    assert.ok(fp.os.startsWith(`${os.platform()} ${os.release()}`), fp.os);
    assert.deepStrictEqual(fp.runtimes, { node: process.versions.node, python: '3.11.2' });
    assert.match(machineClass(fp), new RegExp(`^${os.platform()}-${os.arch()}-${fp.cores}c-[a-z0-9]`));
  });

  it('builds a readable class key from OS family, arch, cores and CPU model', () => {
    assert.strictEqual(machineClass(intel), 'linux-x64-12c-intel-core-i7-9750h-2.60ghz');
    assert.strictEqual(machineClass({ ...intel, cpuModel: 'Apple M2', os: 'darwin 23.4.0 arm64', arch: 'arm64', cores: 8 }), 'darwin-arm64-8c-apple-m2');
  });

  it('keeps runtime versions and kernel release out of the class, but not cores, arch or CPU', () => {
    const k = machineClass(intel);
    assert.strictEqual(machineClass({ ...intel, runtimes: { node: '22.1.0', python: '3.12.0' } }), k);
    assert.strictEqual(machineClass({ ...intel, os: 'linux 6.9.2-custom x64' }), k);
    assert.notStrictEqual(machineClass({ ...intel, cores: 6 }), k);
    assert.notStrictEqual(machineClass({ ...intel, arch: 'arm64' }), k);
    assert.notStrictEqual(machineClass({ ...intel, cpuModel: 'Intel(R) Core(TM) i7-9850H CPU @ 2.60GHz' }), k);
    assert.notStrictEqual(machineClass({ ...intel, os: 'win32 10.0.22631 x64' }), k);
  });

  it('reports runtime and OS differences within a class', () => {
    const after = { ...intel, os: 'linux 6.9.2 x64', runtimes: { node: '22.1.0', go: 'go1.22.0' } };
    assert.deepStrictEqual(runtimeDifferences(intel, after), ['go (none) → go1.22.0', 'node 20.20.2 → 22.1.0', 'os linux 6.1.0-18-amd64 x64 → linux 6.9.2 x64']);
    assert.deepStrictEqual(runtimeDifferences(intel, intel), []);
  });

  it('completes what a tool left out of its fingerprint when it ran on this machine, never another machine\'s', () => {
    // pytest-benchmark without py-cpuinfo's count: 0 cores, so the same machine had two classes.
    const pytest: MachineFingerprint = { cpuModel: 'Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz', cores: 0, os: 'linux 6.1.0 x64', arch: 'x64', runtimes: { python: '3.11.2' } };
    const done = completeFingerprint(pytest, intel);
    assert.strictEqual(machineClass(done), machineClass(intel));
    assert.deepStrictEqual(done.runtimes, { python: '3.11.2' }, 'the tool\'s runtimes are kept');
    assert.strictEqual(machineClass(completeFingerprint({ ...pytest, cpuModel: '', os: '' }, intel)), machineClass(intel));
    // Another CPU or OS: measured elsewhere, left as the tool said.
    const amd = { ...pytest, cpuModel: 'AMD EPYC 7763' };
    assert.deepStrictEqual(completeFingerprint(amd, intel), amd);
    const mac = { ...pytest, os: 'darwin 23.1.0 arm64' };
    assert.deepStrictEqual(completeFingerprint(mac, intel), mac);
  });
});
