// `perf-lens run` from a terminal streams live like the editor's task: the builtin load engine
// appends to .perf/live/<suite>.jsonl, LiveRuns (the editor's tailer) sees start → progress →
// done while it runs, and the live folder is git-ignored. ~1 s of load against a local server.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LiveRuns, type LiveEvent } from '../../../src/workspace/liveRuns';
import { startServer, type TestServer } from '../engines/serverHelpers';
import { cleanupWorkspaces, runCli, tempWorkspace } from './harness';

describe('cli: perf-lens run writes the live progress file', function () {
  this.timeout(30000);
  let server: TestServer | undefined;
  after(async () => {
    await server?.close();
    cleanupWorkspaces();
  });

  it('a terminal run is seen live by the editor and its live folder is git-ignored', async () => {
    server = await startServer((_req, res) => res.end('{"ok":true}'));
    const target = server.url;
    const ws = tempWorkspace({
      'perf-lens.config.json': JSON.stringify({ version: 1, suites: { 'api-smoke': { kind: 'load', engine: 'builtin', scenario: 'load.json', target, durationSec: 1 } } }),
      'load.json': JSON.stringify({ target, mode: 'closed', connections: 2, durationSec: 1, requests: [{ path: '/' }] }),
    });
    execFileSync('git', ['init', '-q'], { cwd: ws });
    const live = new LiveRuns({ throttleMs: 20, pollMs: 100 });
    const seen: LiveEvent[] = [];
    live.onLiveEvent(e => seen.push(e));
    live.addFolder(ws); // no .perf/live yet: the poll finds it once the run creates it
    try {
      const r = await runCli(['run', 'api-smoke'], { cwd: ws });
      assert.strictEqual(r.code, 0, r.stderr);
      const file = path.join(ws, '.perf', 'live', 'api-smoke.jsonl');
      assert.ok(fs.existsSync(file), `no progress file; .perf holds ${fs.readdirSync(path.join(ws, '.perf'))}`);
      const deadline = Date.now() + 5000;
      while (!seen.some(e => e.event.type === 'done') && Date.now() < deadline) await new Promise(res => setTimeout(res, 50));
      const types = seen.map(e => e.event.type);
      assert.strictEqual(types[0], 'start', types.join(','));
      assert.ok(types.includes('done'), types.join(','));
      assert.ok(seen.every(e => e.suite === 'api-smoke' && e.folder === ws));
      // Scratch, never committed: git sees the results but not the live folder.
      assert.strictEqual(fs.readFileSync(path.join(ws, '.perf', 'live', '.gitignore'), 'utf8').trim().split('\n').pop(), '*');
      const untracked = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ws, encoding: 'utf8' });
      assert.doesNotMatch(untracked, /\.perf\/live/);
      assert.match(untracked, /\.perf\/results\//);
    } finally {
      live.dispose();
    }
  });
});
