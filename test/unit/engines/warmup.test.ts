import * as assert from 'assert';
import { parseScenario } from '../../../src/engines/load/scenario';
import { plateaued, warmUpBudgetSec, warmUpGenerator, WARMUP_SLICE_SEC } from '../../../src/engines/load/warmup';

// Slice rates (thousand exchanges/s) of a real closed-loop warm-up here (0.25 s slices, 10
// connections, in-process server): a dip at the sixth slice, the plateau from the eighth.
const MEASURED = [2.4, 4, 7.4, 8.6, 23.1, 12.1, 17.7, 26.9, 26.5, 26.6, 25.5, 26.2];

describe('engines/load warm-up', () => {
  it('a plateau is three slices in a row within 7% of their median, not a dip or a climb', () => {
    const firstPlateau = MEASURED.findIndex((_, i) => plateaued(MEASURED.slice(0, i + 1)));
    assert.strictEqual(firstPlateau, 9, 'after 26.9, 26.5, 26.6');
    assert.ok(!plateaued([8.6, 23.1, 12.1]) && !plateaued([10, 11, 12.5]) && !plateaued([5, 5]));
    assert.ok(plateaued([20, 21, 19.6]));
  });

  it('takes at most half the run, between 0.75 s and 3 s', () => {
    assert.deepStrictEqual([1.5, 4, 60, undefined].map(d => warmUpBudgetSec({ durationSec: d })), [0.75, 2, 3, 3]);
  });

  it('runs closed-loop slices against its own loopback server until the plateau, then the open loop at its rate', async () => {
    const sc = parseScenario(JSON.stringify({ target: 'http://127.0.0.1:9/api', mode: 'open', rate: 500, connections: 4, durationSec: 60, requests: [{ path: '/x' }] }));
    const seen: { mode: string; sec?: number; rate?: number; target: string; connections: number }[] = [];
    let i = 0;
    const w = await warmUpGenerator(sc, async warm => {
      seen.push({ mode: warm.mode, sec: warm.durationSec, rate: warm.rate, target: warm.target.origin, connections: warm.connections });
      const rate = warm.mode === 'open' ? 500 : MEASURED[i++] * 1000;
      return { overall: { requests: Math.round(rate * warm.durationSec!) }, elapsedSec: warm.durationSec! };
    });
    const closed = seen.filter(s => s.mode === 'closed');
    assert.strictEqual(closed.length, 10, 'stops at the plateau');
    assert.ok(closed.every(s => s.sec === WARMUP_SLICE_SEC && s.rate === undefined && s.connections === 4));
    assert.deepStrictEqual(seen.slice(10).map(s => [s.mode, s.rate]), [['open', 500]]);
    assert.ok(seen.every(s => /^http:\/\/127\.0\.0\.1:\d+$/.test(s.target) && s.target !== 'http://127.0.0.1:9'), 'never the target');
    const expected = MEASURED.slice(0, 10).reduce((n, r) => n + Math.round(r * 1000 * WARMUP_SLICE_SEC), 0) + Math.round(500 * 0.75);
    assert.strictEqual(w.exchanges, expected);
  });

  it('stops at its budget when the rate never settles, and at once when the run is stopped', async () => {
    const sc = parseScenario(JSON.stringify({ target: 'http://127.0.0.1:9/', connections: 2, durationSec: 1.5, requests: [{ path: '/' }] }));
    let n = 0;
    const t0 = Date.now();
    await warmUpGenerator(sc, async warm => {
      n++;
      await new Promise(r => setTimeout(r, warm.durationSec! * 1000));
      return { overall: { requests: n * 1000 }, elapsedSec: warm.durationSec! }; // always climbing
    });
    assert.ok(n >= 2 && n <= 4 && Date.now() - t0 < 1500, `0.75 s budget: ${n} slices in ${Date.now() - t0} ms`);
    let calls = 0;
    await warmUpGenerator(sc, async () => ((calls++), { overall: { requests: 1 }, elapsedSec: 0.25 }), () => true);
    assert.strictEqual(calls, 0);
  });
});
