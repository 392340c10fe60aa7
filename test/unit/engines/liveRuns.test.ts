// The live channel end to end: a real load engine appends progress to --progress-file while
// LiveRuns (the extension's tailer) reads only the appended bytes and passes events on.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { progressFile } from '../../../src/engines/progress';
import { LiveRuns, type LiveEvent } from '../../../src/workspace/liveRuns';
import { runCli, startServer } from './serverHelpers';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-live-'));

function until(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  return new Promise((res, rej) => {
    const check = () => (cond() ? res() : Date.now() - t0 > ms ? rej(new Error('timed out waiting')) : setTimeout(check, 20));
    check();
  });
}

describe('engines/live progress file and LiveRuns', function () {
  this.timeout(20000);

  it('streams start, one progress event per second with its timeline point, then done, while the engine runs', async () => {
    const srv = await startServer((_req, res) => res.end('ok'));
    const ws = tmp();
    const live = new LiveRuns({ throttleMs: 20, pollMs: 200 });
    try {
      live.addFolder(ws); // no .perf/live yet: found by the poll once the engine creates it
      const seen: Array<LiveEvent & { at: number }> = [];
      live.onLiveEvent(e => seen.push({ ...e, at: Date.now() }));
      fs.writeFileSync(path.join(ws, 's.json'), JSON.stringify({ target: srv.url, connections: 2, durationSec: 4, requests: [{ path: '/' }] }));
      const file = path.join(ws, '.perf/live/api.jsonl');
      let doneAt = 0;
      const r = await runCli('loadMain', ['--scenario', path.join(ws, 's.json'), '--out', path.join(ws, 'r.json'), '--suite', 'api', '--progress-file', file]);
      doneAt = Date.now();
      assert.strictEqual(r.code, 0, r.stderr);
      await until(() => seen.some(e => e.event.type === 'done'));
      const types = seen.map(e => e.event.type);
      assert.strictEqual(types[0], 'start');
      assert.strictEqual(types.at(-1), 'done');
      const progress = seen.filter(e => e.event.type === 'progress');
      assert.ok(progress.length >= 2, types.join(','));
      assert.ok(progress.every(e => e.suite === 'api' && e.folder === ws));
      const point = progress[0].event.point as { t: number; requests: number };
      assert.ok(point.t > 1e9 && point.requests > 0, JSON.stringify(point));
      // Live, not after the fact: the first progress event arrived a second or more before the run ended.
      assert.ok(doneAt - progress[0].at >= 900, `first progress ${doneAt - progress[0].at} ms before the end`);
      assert.strictEqual(live.invalidLines, 0);
      assert.deepStrictEqual(live.running(), []);
    } finally {
      live.dispose();
      await srv.close();
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });

  it('a progress folder it creates is git-ignored; a folder that was already there is left alone', () => {
    const ws = tmp();
    try {
      const p = progressFile(path.join(ws, '.perf/live/load.jsonl'));
      p.write({ type: 'start' });
      p.close();
      assert.strictEqual(fs.readFileSync(path.join(ws, '.perf/live/.gitignore'), 'utf8').split('\n').filter(l => l && !l.startsWith('#')).join(), '*');
      assert.ok(!fs.existsSync(path.join(ws, '.perf/.gitignore')), '.perf itself holds the committed baselines');
      progressFile(path.join(ws, 'progress.jsonl')).close();
      assert.ok(!fs.existsSync(path.join(ws, '.gitignore')), "the user's own folder gets no .gitignore");
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });

  it('passes unknown event types through, keeps half-written lines for later, skips garbage, and restarts on a recreated file', async () => {
    const ws = tmp();
    const file = path.join(ws, '.perf/live/mem.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const live = new LiveRuns({ throttleMs: 10, pollMs: 100 });
    const seen: LiveEvent[] = [];
    live.onLiveEvent(e => seen.push(e));
    const running: number[] = [];
    live.onDidChangeRunning(r => running.push(r.length));
    try {
      live.addFolder(ws);
      await new Promise(r => setTimeout(r, 50));
      const p = progressFile(file);
      p.write({ type: 'start', kind: 'memory', suite: 'mem suite' });
      p.write({ type: 'alert', rule: 'p99', message: 'p99 over 200 ms', value: 0.3, threshold: 0.2, t: 1 });
      fs.appendFileSync(file, 'not json\n[1,2]\n{"type":"metrics","cpu":');
      await until(() => seen.length >= 2);
      await new Promise(r => setTimeout(r, 150));
      assert.strictEqual(seen.length, 2, 'the half line waits');
      fs.appendFileSync(file, '12.5}\n');
      await until(() => seen.length >= 3).catch(e => { throw new Error(`${e.message} 3: ${JSON.stringify(seen.map(x => x.event.type))}`); });
      assert.deepStrictEqual(seen.map(e => [e.suite, e.event.type]), [['mem suite', 'start'], ['mem suite', 'alert'], ['mem suite', 'metrics']]);
      assert.strictEqual(seen[2].event.cpu, 12.5);
      assert.strictEqual(live.invalidLines, 2);
      assert.deepStrictEqual(live.running().map(r => [r.suite, r.kind]), [['mem suite', 'memory']]);
      p.close();

      // A new run recreates the file (new inode): read from its start, even if it is now longer.
      const q = progressFile(file);
      q.write({ type: 'start', kind: 'memory', suite: 'mem suite', pad: 'x'.repeat(500) });
      q.write({ type: 'done' });
      q.close();
      await until(() => seen.length >= 5).catch(e => { throw new Error(`${e.message}: ${JSON.stringify(seen.map(x => x.event.type))}`); });
      assert.deepStrictEqual(seen.slice(3).map(e => e.event.type), ['start', 'done']);
      assert.deepStrictEqual(live.running(), []);
      assert.ok(running.includes(1) && running.at(-1) === 0);
    } finally {
      live.dispose();
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });

  it('does not replay finished runs of an earlier session; ended() closes a run that never said done', async () => {
    const ws = tmp();
    const dir = path.join(ws, '.perf/live');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'old.jsonl'), '{"type":"start","kind":"load","suite":"old"}\n{"type":"done"}\n');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, 'old.jsonl'), old, old);
    const live = new LiveRuns({ throttleMs: 10, pollMs: 100 });
    const seen: LiveEvent[] = [];
    live.onLiveEvent(e => seen.push(e));
    try {
      live.addFolder(ws);
      fs.writeFileSync(path.join(dir, 'crash.jsonl'), '{"type":"start","kind":"load","suite":"crash"}\n');
      await until(() => seen.length >= 1);
      await new Promise(r => setTimeout(r, 100));
      assert.deepStrictEqual(seen.map(e => e.suite), ['crash']);
      live.ended(ws, 'crash', 4);
      await until(() => seen.length >= 2);
      assert.deepStrictEqual(seen[1].event, { type: 'ended', exitCode: 4 });
      assert.deepStrictEqual(live.running(), []);
    } finally {
      live.dispose();
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});
