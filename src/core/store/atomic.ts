// Crash-safe file writes and a cross-process lock. A reader sees either the old file or
// the new one, never a mix: kill -9 or power loss mid-write leaves the old content.
import { randomBytes } from 'crypto';
import * as fsp from 'fs/promises';
import * as os from 'os';
import * as path from 'path';
import { StoreWriteError } from './errors';

/** fsync a directory so a rename/create in it is durable. Some platforms (Windows) refuse: that is fine. */
export async function fsyncDir(dir: string): Promise<void> {
  let h: fsp.FileHandle | undefined;
  try {
    h = await fsp.open(dir, 'r');
    await h.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw e;
  } finally {
    await h?.close();
  }
}

const tempPrefix = (target: string) => `.${path.basename(target)}.`;

/**
 * Writes `data` to `target` atomically: a temp file in the same directory (same file
 * system, so rename is atomic), fsync, rename over the target, fsync the directory.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  await fsp.mkdir(dir, { recursive: true });
  // The pid in the name lets a later writer remove temps left by a killed process.
  const tmp = path.join(dir, `${tempPrefix(target)}${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let h: fsp.FileHandle;
  try {
    h = await fsp.open(tmp, 'wx', 0o644);
  } catch (e) {
    throw new StoreWriteError(target, e);
  }
  try {
    await h.writeFile(data);
    await h.sync();
  } catch (e) {
    // Disk full mid-write: drop the partial temp, the target was never touched.
    await h.close();
    await fsp.rm(tmp, { force: true });
    throw new StoreWriteError(target, e);
  }
  await h.close();
  try {
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw new StoreWriteError(target, e);
  }
  await fsyncDir(dir);
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files of `target` left behind by writers that were killed (their pid is gone). */
export async function removeStaleTemps(target: string): Promise<number> {
  const dir = path.dirname(target);
  const prefix = tempPrefix(target);
  let removed = 0;
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith('.tmp')) continue;
    const pid = Number(n.slice(prefix.length).split('.')[0]);
    if (pid !== process.pid && !pidAlive(pid)) {
      await fsp.rm(path.join(dir, n), { force: true });
      removed++;
    }
  }
  return removed;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockFile: string,
    readonly waitedMs: number,
    readonly holder?: LockInfo,
  ) {
    super(
      `${lockFile}: timed out after ${waitedMs} ms waiting for the lock` +
        (holder ? ` (held by pid ${holder.pid} on ${holder.host} since ${holder.time})` : '') +
        '. If no Perf Lens process is running, delete the lock file.',
    );
    this.name = 'LockTimeoutError';
  }
}

export interface LockInfo {
  pid: number;
  host: string;
  time: string; // ISO
  token: string; // tells our lock from a successor's when releasing
}

export interface LockOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /**
   * A lock older than this is stale whatever its pid says (default 10 min): holders keep it for
   * milliseconds, a lock from another host (shared folder) cannot be pid-checked, and a container
   * restart can hand a dead holder's pid to an unrelated live process.
   */
  maxLockAgeMs?: number;
}

async function readLock(file: string): Promise<{ info?: LockInfo; mtimeMs: number } | undefined> {
  try {
    const [text, st] = await Promise.all([fsp.readFile(file, 'utf8'), fsp.stat(file)]);
    try {
      const j = JSON.parse(text) as LockInfo;
      return { info: typeof j.pid === 'number' ? j : undefined, mtimeMs: st.mtimeMs };
    } catch {
      return { mtimeMs: st.mtimeMs }; // empty or half-written: holder died between create and write, or is writing now
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Is the lock's holder gone? Unreadable content gets a grace period: its writer may be mid-write. */
function isStale(l: { info?: LockInfo; mtimeMs: number }, maxLockAgeMs: number): boolean {
  const age = Date.now() - l.mtimeMs;
  if (!l.info) return age > 2000;
  if (age > maxLockAgeMs) return true;
  return l.info.host === os.hostname() && !pidAlive(l.info.pid);
}

/**
 * Breaks a stale lock. Two waiters may both see it stale; without care the slower one would
 * delete the lock the faster one just took. So breaking happens under a second O_EXCL file,
 * re-checking that the lock is still the same stale one.
 */
async function breakStaleLock(lockFile: string, seen: { info?: LockInfo; mtimeMs: number }): Promise<boolean> {
  const breaker = `${lockFile}.break`;
  let h: fsp.FileHandle;
  try {
    h = await fsp.open(breaker, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A breaker killed mid-break would block everyone: it only ever lives for microseconds.
    const st = await fsp.stat(breaker).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > 5000) await fsp.rm(breaker, { force: true });
    return false;
  }
  try {
    const now = await readLock(lockFile);
    if (now && now.mtimeMs === seen.mtimeMs && now.info?.token === seen.info?.token) {
      await fsp.rm(lockFile, { force: true });
    }
    return true;
  } finally {
    await h.close();
    await fsp.rm(breaker, { force: true });
  }
}

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/**
 * Runs `fn` while holding `lockFile` (created with O_EXCL, holding pid + host + time).
 * A lock whose pid is dead is stale and broken; otherwise waits with jittered backoff up to
 * `timeoutMs`, then throws LockTimeoutError naming the holder.
 */
export async function withLock<T>(lockFile: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxLockAgeMs = opts.maxLockAgeMs ?? 10 * 60_000;
  await fsp.mkdir(path.dirname(lockFile), { recursive: true });
  const info: LockInfo = { pid: process.pid, host: os.hostname(), time: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const start = Date.now();
  let delay = 2;
  let last: LockInfo | undefined;
  for (;;) {
    try {
      const h = await fsp.open(lockFile, 'wx', 0o644);
      try {
        await h.writeFile(JSON.stringify(info));
      } catch (e) {
        // Created but not filled (disk full): remove it, or every later writer waits for it.
        await h.close();
        await fsp.rm(lockFile, { force: true });
        throw new StoreWriteError(lockFile, e, 'cannot take the lock');
      }
      await h.close();
      break;
    } catch (e) {
      if (e instanceof StoreWriteError) throw e;
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') throw new StoreWriteError(lockFile, e, 'cannot take the lock');
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = await readLock(lockFile);
    if (held) {
      last = held.info ?? last;
      // Someone else is breaking it when we could not: wait like for a live holder.
      if (isStale(held, maxLockAgeMs) && (await breakStaleLock(lockFile, held))) continue;
    }
    const waited = Date.now() - start;
    if (waited >= timeoutMs) throw new LockTimeoutError(lockFile, waited, last);
    await sleep(Math.min(delay + Math.random() * delay, timeoutMs - waited));
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await fn();
  } finally {
    // Release only our own lock: if it was (wrongly) broken meanwhile, the file is someone else's.
    const held = await readLock(lockFile).catch(() => undefined);
    if (held?.info?.token === info.token) await fsp.rm(lockFile, { force: true });
  }
}

/**
 * Read-modify-write of one file under its lock (`<file>.lock`), written atomically.
 * `update` gets the current text (undefined when missing) and returns the new text, or
 * undefined to leave the file alone.
 */
export async function updateFileLocked<T>(
  file: string,
  update: (current: string | undefined) => Promise<{ text?: string; result: T }> | { text?: string; result: T },
  opts: LockOptions = {},
): Promise<T> {
  return withLock(
    `${file}.lock`,
    async () => {
      await removeStaleTemps(file);
      let current: string | undefined;
      try {
        current = await fsp.readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      const { text, result } = await update(current);
      if (text !== undefined && text !== current) await writeFileAtomic(file, text);
      return result;
    },
    opts,
  );
}


/** A store file's text, or undefined when it does not exist yet (other read errors are thrown). */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
