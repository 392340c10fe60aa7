import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LockTimeoutError, removeStaleTemps, updateFileLocked, withLock, writeFileAtomic } from '../../../src/core/store/atomic';
import { removeTmpDirs, tmpDir } from './runs';

/** A pid that certainly belongs to no running process: a child that already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('store/atomic', () => {
  after(removeTmpDirs);

  let dead: number;
  before(() => (dead = deadPid()));

  it('writes atomically, creating folders, leaving no temp file', async () => {
    const file = path.join(tmpDir(), 'a', 'b', 'x.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'two');
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['x.json']);
  });

  it('serialises read-modify-write: 20 concurrent increments all count', async () => {
    const file = path.join(tmpDir(), 'counter');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        updateFileLocked(file, cur => ({ text: String(Number(cur ?? '0') + 1), result: undefined })),
      ),
    );
    assert.strictEqual(fs.readFileSync(file, 'utf8'), '20');
    assert.ok(!fs.existsSync(`${file}.lock`));
  });

  it('breaks a lock whose holder pid is dead', async () => {
    const lock = path.join(tmpDir(), 'x.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: dead, host: os.hostname(), time: new Date().toISOString(), token: 'old' }));
    const got = await withLock(lock, async () => 'ran', { timeoutMs: 2000 });
    assert.strictEqual(got, 'ran');
    assert.ok(!fs.existsSync(lock));
  });

  it('times out with the holder named when a live process holds the lock', async () => {
    const lock = path.join(tmpDir(), 'x.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), time: '2026-11-26T00:00:00.000Z', token: 't' }));
    await assert.rejects(withLock(lock, async () => 'never', { timeoutMs: 150 }), (e: unknown) => {
      assert.ok(e instanceof LockTimeoutError);
      assert.match(e.message, new RegExp(`x\\.lock: timed out after \\d+ ms waiting for the lock \\(held by pid ${process.pid} on `));
      return true;
    });
    assert.ok(fs.existsSync(lock), 'a live holder keeps its lock');
  });

  it('a lock from another host, or a very old one, is stale only after the age limit', async () => {
    const lock = path.join(tmpDir(), 'x.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', time: '2026-11-26T00:00:00.000Z', token: 't' }));
    await assert.rejects(withLock(lock, async () => 1, { timeoutMs: 100 }), LockTimeoutError);
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(lock, old, old);
    assert.strictEqual(await withLock(lock, async () => 2, { timeoutMs: 1000, maxLockAgeMs: 60_000 }), 2);
    // Same host, pid alive (pid reuse after a restart): only age frees it.
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), time: '2026-01-01T00:00:00.000Z', token: 't' }));
    fs.utimesSync(lock, old, old);
    assert.strictEqual(await withLock(lock, async () => 3, { timeoutMs: 1000, maxLockAgeMs: 60_000 }), 3);
  });

  it('removes temp files of dead writers only', async () => {
    const dir = tmpDir();
    const target = path.join(dir, 'baselines.json');
    fs.writeFileSync(path.join(dir, `.baselines.json.${dead}.abcd.tmp`), 'partial');
    fs.writeFileSync(path.join(dir, `.baselines.json.${process.ppid}.abcd.tmp`), 'live writer');
    assert.strictEqual(await removeStaleTemps(target), 1);
    assert.deepStrictEqual(fs.readdirSync(dir), [`.baselines.json.${process.ppid}.abcd.tmp`]);
  });
});
