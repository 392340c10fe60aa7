// The /proc/<pid>/stat reader behind the memory sampler on Linux: RSS agrees with the kernel's own
// VmRSS, CPU follows a busy child, descriptors are closed once a pid has gone.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import { hasProcStat, ProcStatReader } from '../../../src/engines/memory/procStat';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const openFds = () => fs.readdirSync('/proc/self/fd').length;

(hasProcStat ? describe : describe.skip)('engines/memory procStat reader', function () {
  this.timeout(20000);

  it('RSS matches VmRSS, a busy child shows CPU, an exited child is gone and its descriptor closed', async () => {
    const busy = spawn(process.execPath, ['-e', 'const a = Buffer.alloc(32 << 20, 1); for (;;) a[0]++'], { stdio: 'ignore' });
    const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    const fds0 = openFds();
    const reader = new ProcStatReader();
    try {
      await sleep(800);
      const first = reader.read(busy.pid!, [busy.pid!, idle.pid!]);
      assert.ok(first);
      assert.strictEqual(first.processes, 2);
      assert.strictEqual(openFds(), fds0 + 2);
      await sleep(700);
      const t = reader.read(busy.pid!, [busy.pid!]);
      const vmRss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
      assert.ok(t);
      // Same kernel counter, read a moment apart.
      assert.ok(Math.abs(t.rss - vmRss(busy.pid!)) < 2 << 20, `rss ${t.rss} vs VmRSS ${vmRss(busy.pid!)}`);
      assert.ok(t.rss > 32 << 20, `the busy child holds its 32 MB buffer: ${t.rss}`);
      // Spinning on a shared, loaded box: some CPU, never more than one core (plus rounding).
      assert.ok(t.cpu > 1 && t.cpu < 110, `busy cpu ${t.cpu}%`);
      // The idle pid left the set: its descriptor is closed.
      assert.strictEqual(openFds(), fds0 + 1);
      busy.kill('SIGKILL');
      await new Promise(r => busy.once('exit', r));
      await sleep(50);
      assert.strictEqual(reader.read(busy.pid!, [busy.pid!]), undefined);
      assert.strictEqual(openFds(), fds0);
    } finally {
      reader.clear();
      busy.kill('SIGKILL');
      idle.kill('SIGKILL');
    }
  });
});
