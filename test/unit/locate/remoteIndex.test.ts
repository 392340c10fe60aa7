import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ContentChange, LocateIndex } from '../../../src/core/locate/index';
import { RemoteLocateIndex } from '../../../src/core/locate/remoteIndex';
import { SourceIndex } from '../../../src/workspace/sourceIndex';
import { summary, workspace } from './workspace';

const REL = 'tests/performance/test_api_benchmarks.py';

/** Insert `insert` at the start of 0-based `line`, as VS Code reports it. */
function insertAt(text: string, line: number, insert: string): { text: string; change: ContentChange } {
  const lines = text.split('\n');
  const offset = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const pos = { line, character: 0 };
  return { text: text.slice(0, offset) + insert + text.slice(offset), change: { range: { start: pos, end: pos }, rangeOffset: offset, rangeLength: 0, text: insert } };
}

async function sameAsLocal(remote: RemoteLocateIndex): Promise<void> {
  const local = new LocateIndex();
  let text = fs.readFileSync(workspace('fastapi-service', REL), 'utf8');
  assert.deepStrictEqual(await remote.index('u', 1, text, REL), await local.index('u', 1, text, REL));
  for (let v = 2; v < 8; v++) {
    const e = insertAt(text, (v * 7) % text.split('\n').length, v % 2 ? '\n' : '# note\n');
    text = e.text;
    assert.deepStrictEqual(await remote.update('u', v, text, [e.change], REL), await local.update('u', v, text, [e.change], REL));
  }
  assert.deepStrictEqual(remote.get('u', 7), local.get('u', 7), 'warm look-up on this side');
  assert.strictEqual(remote.get('u', 6), undefined);
  local.dispose();
}

describe('locate: index in a worker thread', () => {
  it('gives what the in-thread index gives, edits included', async () => {
    const workerFile = path.join(__dirname, '..', '..', '..', 'src', 'core', 'locate', 'scanWorker.js');
    assert.ok(fs.existsSync(workerFile), 'compiled worker next to the compiled sources');
    const remote = new RemoteLocateIndex(workerFile);
    await sameAsLocal(remote);
    assert.ok((remote as unknown as { worker?: unknown }).worker, 'the work went to a worker');
    remote.dispose();
  });

  it('runs in this thread when there is no worker file', async () => {
    const remote = new RemoteLocateIndex(path.join(__dirname, 'no-such-worker.js'));
    await sameAsLocal(remote);
    remote.dispose();
  });

  it('SourceIndex sends long documents to the worker and keeps their edits there', async () => {
    const index = new SourceIndex(1000);
    const big = fs.readFileSync(workspace('fastapi-service', REL), 'utf8');
    const small = 'def test_small():\n    pass\n';
    assert.ok(big.length >= 1000 && small.length < 1000);
    assert.deepStrictEqual(summary(await index.findings('big', 1, REL, () => big)), summary(await new LocateIndex().index('x', 1, big, REL)));
    assert.deepStrictEqual(summary(await index.findings('small', 1, 'tests/test_s.py', () => small)), ['test 0/0 tests/test_s.py::test_small']);
    const e = insertAt(big, 0, '\n\n');
    const moved = await index.edit('big', 2, REL, e.text, [e.change]);
    assert.deepStrictEqual(moved.map(f => f.nameRange.start.line), (await new LocateIndex().index('x', 1, e.text, REL)).map(f => f.nameRange.start.line));
    index.dispose();
  });
});
