import * as assert from 'assert';
import { errorKind, KeyStats, percentilesSec, Timeline } from '../../../src/engines/load/recorder';
import { arrivalTime } from '../../../src/engines/load/runner';

describe('engines/load timeline and recording', () => {
  it('buckets by completion second, fills empty seconds, keeps errors by kind and the max users', () => {
    const tl = new Timeline(1000);
    tl.add({ key: 'a', endSec: 0.1, latencySec: 0.010 });
    tl.add({ key: 'a', endSec: 0.9, latencySec: 0.030, failure: 'HTTP 500' });
    tl.add({ key: 'a', endSec: 2.5, failure: 'ECONNREFUSED' });
    tl.users(0, 3);
    tl.users(0, 2);
    const pts = tl.close(3);
    assert.strictEqual(pts.length, 3);
    assert.deepStrictEqual(pts.map(p => p.t), [1000, 1001, 1002]);
    assert.deepStrictEqual(pts.map(p => p.requests), [2, 0, 1]);
    assert.deepStrictEqual(pts.map(p => p.failures), [1, 0, 1]);
    assert.strictEqual(pts[0].users, 3);
    assert.deepStrictEqual(pts[0].errors, { 'HTTP 500': 1 });
    assert.deepStrictEqual(pts[2].errors, { ECONNREFUSED: 1 });
    assert.strictEqual(pts[2].percentiles, undefined, 'no latency without a response');
    // HDR with 3 significant digits: within 0.1%.
    assert.ok(Math.abs(pts[0].percentiles!.p50 - 0.010) < 0.010 * 0.001 + 1e-6, String(pts[0].percentiles!.p50));
    assert.ok(Math.abs(pts[0].percentiles!.p99 - 0.030) < 0.030 * 0.001 + 1e-6, String(pts[0].percentiles!.p99));
  });

  it('puts a completion in an already closed second into the first open one', () => {
    const tl = new Timeline(0);
    tl.close(2);
    tl.add({ key: 'a', endSec: 1.5, latencySec: 0.001 });
    const pts = tl.close(3);
    assert.deepStrictEqual(pts.map(p => [p.t, p.requests]), [[2, 1]]);
    assert.strictEqual(tl.points.length, 3);
  });

  it('per-key stats: percentiles of 1..1000 ms within HDR precision, failures by message', () => {
    const s = new KeyStats();
    for (let i = 1; i <= 1000; i++) s.add({ key: 'k', endSec: 0, latencySec: i / 1000, failure: i > 990 ? 'slow (> 0.99 s)' : undefined });
    const p = percentilesSec(s.hist);
    for (const [k, want] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const) {
      assert.ok(Math.abs(p[k] - want) <= want * 0.001 + 1e-6, `${k} ${p[k]} vs ${want}`);
    }
    assert.strictEqual(s.failures, 10);
    assert.deepStrictEqual([...s.errors], [['slow (> 0.99 s)', 10]]);
  });

  it('open-loop arrival schedule: constant rate, and a linear ramp that joins it', () => {
    assert.strictEqual(arrivalTime(50, 100, 0), 0.5);
    // Ramp over 2 s to 100/s: 100 arrivals during the ramp, the 100th exactly at 2 s.
    assert.ok(Math.abs(arrivalTime(100, 100, 2) - 2) < 1e-12);
    assert.ok(Math.abs(arrivalTime(25, 100, 2) - 1) < 1e-12); // N(t) = rate t² / 2R → t = 1 s at 25
    assert.ok(Math.abs(arrivalTime(200, 100, 2) - 3) < 1e-12);
    for (let i = 1; i < 300; i++) assert.ok(arrivalTime(i, 100, 2) > arrivalTime(i - 1, 100, 2));
  });

  it('classifies transport errors by kind', () => {
    assert.strictEqual(errorKind(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
    assert.strictEqual(errorKind(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' })), 'timeout');
    assert.strictEqual(errorKind(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' })), 'ECONNRESET');
    assert.strictEqual(errorKind({ cause: { code: 'ECONNRESET' } }), 'ECONNRESET');
  });
});
