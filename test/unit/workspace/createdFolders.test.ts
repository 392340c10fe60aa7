// The watcher for folders created after start-up: a tree made with mkdir -p and files edited
// deep inside it are reported (real fs.watch on a temp folder), skipped folders are not
// watched, a deleted folder stops being watched, and the folder limit holds.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreatedFolderWatch, type CreatedFolderEvent } from '../../../src/workspace/createdFolders';

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('workspace: watching folders created after start-up', () => {
  let root: string;
  let events: CreatedFolderEvent[];
  let watch: CreatedFolderWatch;
  const has = (kind: string, rel: string) => events.some(e => e.kind === kind && e.rel === rel);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-folders-'));
    events = [];
    watch = new CreatedFolderWatch(root, { enters: rel => !rel.split('/').includes('node_modules'), onEvent: e => events.push(e) });
  });
  afterEach(() => {
    watch.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports an edit deep inside a tree created with mkdir -p, and files and folders added to it later', async () => {
    fs.mkdirSync(path.join(root, 'tests', 'perf', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(root, 'tests', 'perf', 'test_a.py'), 'def test_a(): pass\n');
    await watch.add('tests');
    assert.deepStrictEqual(watch.folders(), ['tests', 'tests/perf', 'tests/perf/deep']);
    fs.appendFileSync(path.join(root, 'tests', 'perf', 'test_a.py'), '# edited\n');
    await until(() => has('changed', 'tests/perf/test_a.py'));
    fs.mkdirSync(path.join(root, 'tests', 'perf', 'deep', 'new', 'er'), { recursive: true });
    await until(() => has('folder', 'tests/perf/deep/new'));
    await until(() => watch.folders().includes('tests/perf/deep/new/er'));
    fs.writeFileSync(path.join(root, 'tests', 'perf', 'deep', 'new', 'er', 'test_b.py'), 'x = 1\n');
    await until(() => has('changed', 'tests/perf/deep/new/er/test_b.py'));
  });

  it('watches one existing folder alone (a folder holding findings): edits in it, and folders created in it later', async () => {
    fs.mkdirSync(path.join(root, 'tests', 'perf', 'old'), { recursive: true });
    fs.writeFileSync(path.join(root, 'tests', 'perf', 'test_a.py'), 'def test_a(): pass\n');
    watch.watchFolder('tests/perf');
    watch.watchFolder('tests/perf'); // once
    assert.deepStrictEqual(watch.folders(), ['tests/perf'], 'not its parent, not its existing subfolders');
    fs.appendFileSync(path.join(root, 'tests', 'perf', 'test_a.py'), '# edited\n');
    await until(() => has('changed', 'tests/perf/test_a.py'));
    fs.mkdirSync(path.join(root, 'tests', 'perf', 'new', 'er'), { recursive: true });
    await until(() => watch.folders().includes('tests/perf/new/er'));
    watch.watchFolder('node_modules/pkg');
    assert.ok(!watch.folders().includes('node_modules/pkg'), 'skipped folders stay unwatched');
  });

  it('does not watch folders the caller skips', async () => {
    fs.mkdirSync(path.join(root, 'pkg', 'node_modules', 'dep'), { recursive: true });
    await watch.add('pkg');
    assert.deepStrictEqual(watch.folders(), ['pkg']);
  });

  it('stops watching a deleted folder and says it is gone', async () => {
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    await watch.add('a');
    fs.rmSync(path.join(root, 'a', 'b'), { recursive: true });
    await until(() => has('deleted', 'a/b'));
    await until(() => !watch.folders().includes('a/b'));
    assert.deepStrictEqual(watch.folders(), ['a']);
  });

  it('watches at most maxFolders folders and says so once', async () => {
    let limits = 0;
    watch.dispose();
    watch = new CreatedFolderWatch(root, { enters: () => true, onEvent: () => undefined, maxFolders: 3, onLimit: () => limits++ });
    for (const d of ['t/1', 't/2', 't/3', 't/4']) fs.mkdirSync(path.join(root, d), { recursive: true });
    await watch.add('t');
    assert.strictEqual(watch.folders().length, 3);
    assert.strictEqual(limits, 1);
  });
});
