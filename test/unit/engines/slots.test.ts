import * as assert from 'assert';
import { Slots } from '../../../src/engines/load/slots';

describe('engines/load connection slots (open loop)', () => {
  it('hands out every connection once before any twice, then queues arrivals first come, first served', async () => {
    const s = new Slots(['a', 'b'], 2);
    assert.deepStrictEqual([s.acquire(), s.acquire(), s.acquire(), s.acquire()], ['a', 'b', 'a', 'b']);
    const order: string[] = [];
    const waits = [1, 2, 3].map(i => Promise.resolve(s.acquire()).then(slot => order.push(`${i}:${slot}`)));
    assert.strictEqual(s.queued, 3);
    s.release('b');
    s.release('a');
    s.release('a');
    await Promise.all(waits);
    assert.deepStrictEqual(order, ['1:b', '2:a', '3:a']);
    assert.strictEqual(s.queued, 0);
    s.release('b');
    assert.strictEqual(s.acquire(), 'b', 'a slot nobody waits for goes back to the free list');
  });

  it('a long backlog drains in order (the FIFO compacts as it goes)', async () => {
    const s = new Slots([0], 1);
    s.acquire();
    const got: number[] = [];
    const waits = Array.from({ length: 5000 }, (_, i) => Promise.resolve(s.acquire()).then(() => got.push(i)));
    for (let i = 0; i < 5000; i++) s.release(0);
    await Promise.all(waits);
    assert.deepStrictEqual(got, Array.from({ length: 5000 }, (_, i) => i));
    assert.strictEqual(s.queued, 0);
  });
});
