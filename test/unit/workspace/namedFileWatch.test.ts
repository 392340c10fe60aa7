// The config's own watcher: an edit made right after it starts is reported (real fs.watch on a
// temp folder), whether written in place or renamed over; other files in the folder are not,
// a missing folder is no error, and nothing is reported after dispose.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { watchNamedFiles } from '../../../src/workspace/namedFileWatch';

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 20));
  }
}

const settle = () => new Promise(r => setTimeout(r, 200));

describe('workspace: watching the config file itself', () => {
  let root: string;
  let seen: string[];
  let watch: { dispose(): void };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-named-'));
    fs.writeFileSync(path.join(root, 'perf-lens.config.json'), '{}');
    seen = [];
    watch = watchNamedFiles(root, ['perf-lens.config.json'], name => seen.push(name));
  });
  afterEach(() => {
    watch.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports an in-place edit made at once, and not the other files of the folder', async () => {
    fs.writeFileSync(path.join(root, 'other.json'), '{}');
    fs.writeFileSync(path.join(root, 'perf-lens.config.json'), '{"version": 1}');
    await until(() => seen.length > 0);
    await settle();
    assert.ok(seen.every(n => n === 'perf-lens.config.json'), seen.join());
  });

  it('reports a save that renames a temp file over the config (atomic writers, git checkout)', async () => {
    fs.writeFileSync(path.join(root, '.tmp-config'), '{"version": 1}');
    await settle();
    seen.length = 0;
    fs.renameSync(path.join(root, '.tmp-config'), path.join(root, 'perf-lens.config.json'));
    await until(() => seen.includes('perf-lens.config.json'));
  });

  it('is quiet after dispose, and a folder that does not exist is no error', async () => {
    watch.dispose();
    fs.writeFileSync(path.join(root, 'perf-lens.config.json'), '{"version": 2}');
    await settle();
    assert.deepStrictEqual(seen, []);
    watchNamedFiles(path.join(root, 'missing'), ['x'], () => assert.fail('no folder, no events')).dispose();
  });
});
