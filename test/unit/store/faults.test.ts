// Stores under faults, the fast deterministic part (bench/store-faults.ts runs the 100-kill loop
// and concurrent CLI writers): a full disk (a real 64 KiB tmpfs; skipped with a message where
// mounting is not permitted) and history lines torn at every kind of point.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocatedError } from '../../../src/core/errors';
import { acceptRun, loadBaselines } from '../../../src/core/store/baselines';
import { HistoryStore, type HistoryWarning } from '../../../src/core/store/history';
import { makeRun, removeTmpDirs, tmpDir } from './runs';

/** Fills the file system of `dir` until ENOSPC, then frees `leave` bytes; returns the filler file. */
function fillDisk(dir: string, leave: number): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
  fs.truncateSync(filler, Math.max(0, fs.statSync(filler).size - leave));
  return filler;
}

describe('store faults: a full disk (tmpfs of 64 KiB)', function () {
  this.timeout(20_000);
  let mnt = '';
  before(function () {
    mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-fulldisk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'pipe' });
    } catch (e) {
      fs.rmdirSync(mnt);
      mnt = '';
      process.stdout.write(`      skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}\n`);
      this.skip();
    }
  });
  after(() => {
    if (!mnt) return;
    execFileSync('umount', [mnt]);
    fs.rmdirSync(mnt);
  });
  afterEach(() => {
    if (mnt) for (const n of fs.readdirSync(mnt)) fs.rmSync(path.join(mnt, n), { recursive: true, force: true });
  });

  it('baseline accept fails with an error naming the file; baselines.json is byte-identical and no temp or lock is left', async () => {
    const file = path.join(mnt, '.perf', 'baselines.json');
    await acceptRun(file, makeRun({ ids: ['small'], samples: 5 }), { by: 'tool:first' });
    const before = fs.readFileSync(file);
    fillDisk(mnt, 0);
    const big = makeRun({ ids: Array.from({ length: 50 }, (_, i) => `series-${i}`), samples: 200 });
    await assert.rejects(acceptRun(file, big, { by: 'tool:second', timeoutMs: 2000 }), (e: Error) => {
      assert.ok(e instanceof LocatedError, `${e.name}: ${e.message}`);
      assert.match(e.message, /baselines\.json(\.lock)?: .*no space left on device \(ENOSPC\); the previous content is intact/);
      return true;
    });
    assert.deepStrictEqual(fs.readFileSync(file), before);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['baselines.json']);
    fs.rmSync(path.join(mnt, 'filler'));
    await acceptRun(file, makeRun({ ids: ['series-0', 'series-1'], samples: 20 }), { by: 'tool:second' });
    assert.deepStrictEqual(Object.keys(Object.values((await loadBaselines(file)).baselines)[0]).sort(), ['series-0', 'series-1', 'small'], 'works again once space is freed');
  });

  it('a history append that hits ENOSPC is rolled back: no torn line, every earlier run readable, appends resume', async () => {
    const dir = path.join(mnt, '.perf', 'history');
    const store = new HistoryStore(dir, { timeoutMs: 2000 });
    const ids: string[] = [];
    let error: Error | undefined;
    // 300-sample runs are ~7 KiB each: the disk fills within a few appends, usually mid-record.
    for (let i = 0; i < 20 && !error; i++) {
      try {
        ids.push((await store.append(makeRun({ ids: [`s${i}`], samples: 300 }))).id);
      } catch (e) {
        error = e as Error;
      }
    }
    assert.ok(error, 'the disk never filled');
    assert.ok(error instanceof LocatedError, `${error.name}: ${error.message}`);
    assert.match(error.message, /\d{4}-\d\d\.jsonl: cannot append to history: no space left on device \(ENOSPC\); the previous content is intact/);
    const file = (await store.files())[0];
    assert.ok(fs.readFileSync(file, 'utf8').endsWith('\n'), 'ends on a whole record');
    const warnings: HistoryWarning[] = [];
    const runs = await new HistoryStore(dir, { onWarning: w => warnings.push(w) }).list();
    assert.deepStrictEqual(runs.map(r => r.id).sort(), [...ids].sort());
    assert.deepStrictEqual(warnings, []);
    assert.deepStrictEqual(fs.readdirSync(dir).filter(n => n.includes('lock')), [], 'no lock left behind');
    fs.truncateSync(file, 0); // free space, then the store works again
    assert.ok((await store.append(makeRun({ ids: ['after'] }))).id);
  });
});

describe('store faults: half-written history lines', () => {
  after(removeTmpDirs);

  it('a record cut at any byte is skipped with one warning naming file and line; the rest reads and appends continue', async () => {
    const dir = path.join(tmpDir('torn'), 'history');
    const good = new HistoryStore(dir);
    const first = await good.append(makeRun({ ids: ['a', 'b'], id: 'first' }));
    const file = (await good.files())[0];
    const whole = fs.readFileSync(file);
    const record = JSON.stringify({ schemaVersion: 1, recordedAt: '2026-11-20T10:00:00.000Z', run: makeRun({ ids: ['torn'], id: 'torn' }) });
    // Every cut point of a record, stepping 7 bytes (a kill -9 can stop a write anywhere).
    for (let cut = 1; cut < record.length; cut += 7) {
      fs.writeFileSync(file, Buffer.concat([whole, Buffer.from(record.slice(0, cut))]));
      const warnings: HistoryWarning[] = [];
      const store = new HistoryStore(dir, { onWarning: w => warnings.push(w) });
      const ids = (await store.list()).map(r => r.id);
      assert.deepStrictEqual(ids, [first.id], `cut at ${cut}`);
      assert.strictEqual(warnings.length, 1, `cut at ${cut}: ${JSON.stringify(warnings)}`);
      assert.deepStrictEqual({ file: warnings[0].file, line: warnings[0].line }, { file, line: 2 });
      assert.match(warnings[0].message, /incomplete or corrupt line/);
    }
    // The next append ends the torn line first, so it never swallows the new record.
    const next = await good.append(makeRun({ ids: ['c'], id: 'next' }));
    const warnings: HistoryWarning[] = [];
    const ids = (await new HistoryStore(dir, { onWarning: w => warnings.push(w) }).list()).map(r => r.id).sort();
    assert.deepStrictEqual(ids, [first.id, next.id].sort());
    assert.strictEqual(warnings.length, 1);
  });

  it('a torn line in the middle (a crash, then more appends) costs only that line', async () => {
    const dir = path.join(tmpDir('torn-mid'), 'history');
    const store = new HistoryStore(dir);
    await store.append(makeRun({ ids: ['a'], id: 'one' }));
    const file = (await store.files())[0];
    fs.appendFileSync(file, '{"schemaVersion":1,"recordedAt":"2026-11-20T10:00:00.000Z","run":{"id":"half","tool":"pyt');
    await store.append(makeRun({ ids: ['a'], id: 'two' }));
    await store.append(makeRun({ ids: ['a'], id: 'three' }));
    const warnings: HistoryWarning[] = [];
    const reader = new HistoryStore(dir, { onWarning: w => warnings.push(w) });
    assert.deepStrictEqual((await reader.list()).map(r => r.id).sort(), ['one', 'three', 'two']);
    assert.deepStrictEqual(warnings.map(w => w.line), [2]);
    assert.strictEqual((await reader.seriesValues('a', 10)).length, 3);
  });
});
