// Heap sampling over the inspector protocol: a real Node child (behind `sh -c`, as suites run
// commands) that grows its heap is judged on heap used; a non-Node command falls back to RSS.
// About 8 s.
import * as assert from 'assert';
import { HeapPoller, inspectEnv } from '../../../src/engines/memory/heap';
import { runMemory } from '../../../src/engines/memory/runMemory';

const node = process.execPath;
// ~1.6 MB of live objects a second, kept forever.
const GROWER = 'const keep = []; setInterval(() => { for (let i = 0; i < 100; i++) keep.push({ a: new Array(64).fill(Math.random()) }); }, 50);';

describe('engines/memory heap over the inspector', function () {
  this.timeout(30000);

  it('finds inspector URLs in stderr and passes the rest on without Node\'s banners', () => {
    const p = new HeapPoller();
    const out = p.scan('hello\nDebugger listening on ws://127.0.0.1:1/aaaa-bb');
    assert.strictEqual(out, 'hello\n');
    // The URL line completes in the next chunk; a connection is then attempted (and fails: port 1).
    assert.strictEqual(p.scan('\nFor help, see: https://nodejs.org/en/docs/inspector\nworld\n'), 'world\n');
    assert.strictEqual(p.targets, 1);
    p.close();
    assert.strictEqual(inspectEnv({ NODE_OPTIONS: '--max-old-space-size=64' }).NODE_OPTIONS, '--max-old-space-size=64 --inspect=127.0.0.1:0');
  });

  it('a Node child growing its heap: heap used on the samples, verdict judged on the heap', async () => {
    const r = await runMemory({ command: ['sh', '-c', `${node} -e '${GROWER}'`], heap: true, durationSec: 4, intervalMs: 100, warmupSec: 0.5, childOutput: 'ignore' });
    const mem = r.run.series[0].memory!;
    const withHeap = mem.filter(m => m.heapUsed !== undefined);
    // Before Node's inspector is up (sh, then node starting) samples have no heap; after, nearly all do.
    const after = mem.slice(mem.findIndex(m => m.heapUsed !== undefined));
    assert.ok(withHeap.length >= 0.8 * after.length && withHeap.length >= 10, `${withHeap.length} of ${after.length} samples since the first heap figure have heapUsed`);
    assert.ok(withHeap.every(m => m.heapUsed! > 1e6 && m.heapUsed! < m.rss), 'heap used is MBs and below the RSS');
    const growth = withHeap.at(-1)!.heapUsed! - withHeap[0].heapUsed!;
    assert.ok(growth > 2 * 2 ** 20, `heap grew ${growth} bytes`);
    assert.strictEqual(r.verdict.field, 'heapUsed');
    assert.strictEqual(r.verdict.status, 'leak', r.verdict.reason);
    const extra = r.run.series[0].extra!;
    assert.strictEqual(extra.verdictOn, 'heapUsed');
    assert.ok(typeof extra['rss.verdict'] === 'string');
    assert.ok(r.run.series[0].notes!.some(n => /inspector Runtime\.getHeapUsage, 1 process/.test(n)), r.run.series[0].notes!.join(' | '));
  });

  it('a command with no Node process: RSS verdict and a note saying why', async () => {
    const r = await runMemory({ command: ['sh', '-c', 'sleep 5'], heap: true, durationSec: 1.5, intervalMs: 100, childOutput: 'ignore' });
    assert.strictEqual(r.verdict.field, 'rss');
    assert.ok(r.run.series[0].memory!.every(m => m.heapUsed === undefined));
    assert.ok(r.run.notes!.some(n => /no Node inspector answered/.test(n)), String(r.run.notes));
  });
});
