// A real process whose RSS is sampled every 100 ms for 6 s: with --leak it keeps 256 KiB per
// tick during a load window (1.5 s … 4.5 s) and never frees it; without, it allocates and drops.
// The bounded variant refills one buffer, so its RSS should stay flat.
// Prints {loadStart, loadEnd, samples:[{t, rss, heapUsed}]} as JSON (t in epoch seconds).
'use strict';
const leak = process.argv.includes('--leak');
const kept = [];
const reused = Buffer.alloc(256 * 1024);
const samples = [];
const start = Date.now() / 1000;
const loadStart = start + 1.5;
const loadEnd = start + 4.5;
const timer = setInterval(() => {
  const now = Date.now() / 1000;
  if (now >= loadStart && now <= loadEnd) {
    if (leak) kept.push(Buffer.alloc(256 * 1024, 1));
    else reused.fill(now & 255);
  }
  const m = process.memoryUsage();
  samples.push({ t: now, rss: m.rss, heapUsed: m.heapUsed });
  if (now - start >= 6) {
    clearInterval(timer);
    process.stdout.write(JSON.stringify({ loadStart, loadEnd, samples }));
  }
}, 100);
