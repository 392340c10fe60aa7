// The memory sampler while the sampled service misbehaves: workers forked, killed and forked again
// (counted while alive, per procTree), and the service itself dying by SIGKILL mid-run. The sampler
// must keep sampling, then write a valid run that says what happened.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readJsonNode } from '../../../src/core/ingest/json';
import { validateRun } from '../../../src/core/ingest/perfLens';
import { runMemory } from '../../../src/engines/memory/runMemory';
import { writeRunFile } from '../../../src/engines/output';
import { processesMentioning, runCli } from './serverHelpers';

const node = process.execPath;
const linux = process.platform === 'linux';

// A cluster-like service: two workers holding 40 MB each; worker 1 is SIGKILLed at 1.2 s and the
// root forks a replacement, like a supervisor would.
const SUPERVISOR = `
const { spawn } = require('child_process');
const WORKER = "const b = Buffer.alloc(40 * 1024 * 1024, 1); setInterval(() => b[0]++, 100);";
const start = () => spawn(process.execPath, ['-e', WORKER], { stdio: 'ignore' });
const w1 = start();
start();
setTimeout(() => { w1.kill('SIGKILL'); w1.once('exit', () => start()); }, 1200);
setInterval(() => {}, 1000);
`;

describe('engines/memory sampler under faults', function () {
  this.timeout(20000);

  (linux ? it : it.skip)('forked workers count while alive; a worker killed and replaced does not stop sampling', async () => {
    const r = await runMemory({ command: [node, '-e', SUPERVISOR], durationSec: 3.5, intervalMs: 100, childOutput: 'ignore' });
    assert.strictEqual(r.endedBy, 'duration');
    const mem = r.run.series[0].memory!;
    assert.ok(mem.length >= 15, `${mem.length} samples`);
    const t0 = mem[0].t;
    // Samples keep coming after the kill at 1.2 s, to the end.
    assert.ok(mem.some(m => m.t - t0 > 2.5), `last sample at ${(mem.at(-1)!.t - t0).toFixed(1)} s`);
    // Workers are found within a rescan (1 s) and their memory is in the sum: root alone is ~40 MB.
    const peak = Math.max(...mem.map(m => m.rss));
    assert.ok(peak > 100 * 2 ** 20, `peak ${(peak / 2 ** 20).toFixed(0)} MB should include two 40 MB workers`);
    assert.ok(Number(r.run.series[0].extra?.maxProcesses) >= 3, JSON.stringify(r.run.series[0].extra));
  });

  it('the service dying by SIGKILL mid-run: sampling stops, the run is written and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-memfault-'));
    try {
      const t0 = Date.now();
      const r = await runMemory({
        command: [node, '-e', 'const b = Buffer.alloc(20 * 1024 * 1024, 1); setTimeout(() => process.kill(process.pid, "SIGKILL"), 1000); setInterval(() => b[0]++, 100);'],
        durationSec: 15, intervalMs: 50, childOutput: 'ignore',
      });
      assert.ok(Date.now() - t0 < 8000, 'ended with the process, not at 15 s');
      assert.strictEqual(r.endedBy, 'exited');
      assert.match(r.run.notes!.join(' '), /exited \(code SIGKILL\)/);
      const out = path.join(dir, 'm.json');
      await writeRunFile(out, r.run);
      const back = validateRun(await readJsonNode(out));
      assert.ok(back.series[0].memory!.length >= 5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  (linux ? it : it.skip)('the memory run itself killed by SIGKILL: the service it launched (and its children) end too', async () => {
    const marker = `perf-lens-orphan-${process.pid}-${Date.now()}`;
    // A shell wrapper with a node child, as `sh -c "uvicorn …"` would be; the marker finds them in /proc.
    const service = `${node} -e "setInterval(() => {}, 1000)" ${marker} & ${node} -e "setInterval(() => {}, 1000)" ${marker}; wait`;
    let seen = 0;
    const out = path.join(os.tmpdir(), `${marker}.json`);
    const r = await runCli('memoryMain', ['--out', out, '--interval', '100', '--duration', '60', '--progress-json', '--', 'sh', '-c', service], {
      timeoutMs: 30_000,
      onStdout: (text, kill) => {
        if (seen === 0 && text.includes('"type":"progress"')) {
          seen = processesMentioning(marker).length;
          kill('SIGKILL');
        }
      },
    });
    assert.strictEqual(r.signal, 'SIGKILL', r.stderr.slice(-1000));
    assert.ok(seen >= 2, `the service was running when the run was killed (${seen} processes)`);
    const end = Date.now() + 8000; // the watchdog's SIGTERM, then SIGKILL after 2 s
    while (processesMentioning(marker).length > 0 && Date.now() < end) await new Promise(res => setTimeout(res, 100));
    assert.deepStrictEqual(processesMentioning(marker), []);
  });
});
