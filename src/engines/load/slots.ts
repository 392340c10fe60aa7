// Open-loop arrivals wait for a free connection slot (a connection × its pipelining depth) in a
// FIFO of our own, and go out on that connection's Client the moment a slot frees — within the
// completion of the previous request. undici's Pool queue hands a freed connection its next
// request only on the connection's 'drain' event, one more event-loop turn per request. Measured
// against a Node server (3 alternating rounds, latency from the intended send time): at 15,000/s
// p99 42–337 ms with the Pool, 22–66 ms with these slots; at 25,000/s p50 200–278 ms against 1.2 ms.
export class Slots<T> {
  private readonly free: T[] = [];
  private waiting: Array<(item: T) => void> = [];
  private head = 0; // index of the oldest waiter: shift() on a 50,000-long backlog is O(n)

  constructor(items: readonly T[], perItem: number) {
    // Round-robin order, so a light load spreads over the connections instead of piling on one.
    for (let k = 0; k < perItem; k++) this.free.push(...items);
    this.free.reverse(); // pop() takes from the end
  }

  /** A free slot now, or a promise of the next one freed (first come, first served). */
  acquire(): T | Promise<T> {
    const item = this.free.pop();
    if (item !== undefined) return item;
    return new Promise<T>(resolve => this.waiting.push(resolve));
  }

  /** Gives the slot to the oldest waiter, else back to the free list. */
  release(item: T): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head];
      this.waiting[this.head++] = undefined as unknown as (item: T) => void;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
      next(item);
      return;
    }
    this.free.push(item);
  }

  /** Arrivals waiting for a slot. */
  get queued(): number {
    return this.waiting.length - this.head;
  }
}
