import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';

// A parent process (real node) that starts a detached group — a shell with a second process in it
// — ties it to its life, prints the group id, then does what the test asks.
const lifeline = path.resolve(__dirname, '../../../src/core/env/lifeline.js');
const parentScript = (then: 'wait' | 'release-and-exit' | 'exit') => `
const { spawn } = require('child_process');
const { tieGroupToLife } = require(${JSON.stringify(lifeline)});
const g = spawn('sh', ['-c', 'sleep 60 & sleep 60; wait'], { detached: true, stdio: 'ignore' });
const line = tieGroupToLife(g.pid, 0.5);
g.unref();
process.stdout.write(g.pid + '\\n');
${then === 'wait' ? 'setInterval(() => {}, 1000);' : then === 'release-and-exit' ? 'line.release();' : ''}
`;

function startParent(then: Parameters<typeof parentScript>[0]): Promise<{ parent: ChildProcess; pgid: number }> {
  const parent = spawn(process.execPath, ['-e', parentScript(then)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    parent.stdout!.once('data', (d: Buffer) => resolve({ parent, pgid: Number(d.toString().trim()) }));
    parent.once('error', reject);
  });
}

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise(r => setTimeout(r, 50));
  }
  return cond();
}

const exited = (p: ChildProcess) => new Promise<void>(res => (p.exitCode !== null || p.signalCode !== null ? res() : p.once('exit', () => res())));

describe('lifeline: a detached group ends with its parent, however the parent ends', function () {
  this.timeout(20000);
  const groups: number[] = [];
  afterEach(() => {
    for (const g of groups.splice(0)) {
      try { process.kill(-g, 'SIGKILL'); } catch { /* gone */ }
    }
  });

  it('SIGKILL of the parent (no exit handler runs) ends the whole group', async () => {
    const { parent, pgid } = await startParent('wait');
    groups.push(pgid);
    assert.ok(await until(() => groupAlive(pgid), 2000), 'the group runs while the parent lives');
    await new Promise(r => setTimeout(r, 300));
    assert.ok(groupAlive(pgid), 'the watchdog does not end a group whose parent is alive');
    parent.kill('SIGKILL');
    await exited(parent);
    assert.ok(await until(() => !groupAlive(pgid), 5000), `group ${pgid} still alive 5 s after its parent was killed`);
  });

  it('a parent whose event loop ends is not kept alive by the watchdog, and its group ends with it', async () => {
    const { parent, pgid } = await startParent('exit');
    groups.push(pgid);
    const t0 = Date.now();
    await exited(parent);
    assert.ok(Date.now() - t0 < 5000, 'the parent exited on its own');
    assert.ok(await until(() => !groupAlive(pgid), 5000), 'the group ended when the parent did');
  });

  it('released, the group outlives the parent (the caller ended it, or chose to keep it)', async () => {
    const { parent, pgid } = await startParent('release-and-exit');
    groups.push(pgid);
    await exited(parent);
    await new Promise(r => setTimeout(r, 1500)); // longer than the watchdog's grace
    assert.ok(groupAlive(pgid), 'a released lifeline never kills');
  });
});
